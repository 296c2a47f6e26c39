// Pure helpers of the war room's Maintenance page: lists, the month grid, times in the user's zone.
import { MaintenanceState } from "../../../server/domain/maintenance";
import type { WarMaintenance } from "./maintenance-queries";

const ACTIVE: readonly string[] = [
  MaintenanceState.SCHEDULED,
  MaintenanceState.IN_PROGRESS,
  MaintenanceState.VERIFYING,
];
export const isActiveWindow = (w: { state: string }) => ACTIVE.includes(w.state);
export const isRunningWindow = (w: { state: string }) =>
  w.state === MaintenanceState.IN_PROGRESS || w.state === MaintenanceState.VERIFYING;

/** A live or returned window replaces its copy (a higher version wins); newest start first. */
export function upsertWindow(list: WarMaintenance[], w: WarMaintenance): WarMaintenance[] {
  const old = list.find((x) => x.id === w.id);
  if (old && old.version > w.version) return list;
  return [...list.filter((x) => x.id !== w.id), w].sort(
    (a, b) => b.scheduledStart.localeCompare(a.scheduledStart) || b.id.localeCompare(a.id),
  );
}

/** In progress first, then upcoming soonest first, then past newest first. */
export function sectionsOf(list: WarMaintenance[]) {
  const byStart = (a: WarMaintenance, b: WarMaintenance) => a.scheduledStart.localeCompare(b.scheduledStart);
  return {
    running: list.filter(isRunningWindow).sort(byStart),
    upcoming: list.filter((w) => w.state === MaintenanceState.SCHEDULED).sort(byStart),
    past: list.filter((w) => !isActiveWindow(w)).sort((a, b) => byStart(b, a)),
  };
}

/** `<input type="datetime-local">` value (the user's zone) for an instant, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value); // a datetime-local value without zone is read in the user's zone
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export interface CalendarDay {
  /** Local midnight of the day. */
  date: Date;
  inMonth: boolean;
  windows: WarMaintenance[];
}

/** Weeks (Monday first) covering a month in the user's zone, each day with the windows touching it. */
export function monthGrid(year: number, month: number, windows: WarMaintenance[]): CalendarDay[][] {
  const first = new Date(year, month, 1);
  const start = new Date(year, month, 1 - ((first.getDay() + 6) % 7));
  const weeks: CalendarDay[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: CalendarDay[] = [];
    for (let d = 0; d < 7; d++) {
      const date = new Date(start.getFullYear(), start.getMonth(), start.getDate() + w * 7 + d);
      const next = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1);
      week.push({
        date,
        inMonth: date.getMonth() === month,
        windows: windows.filter(
          (x) =>
            new Date(x.startedAt ?? x.scheduledStart) < next &&
            new Date(x.completedAt ?? x.scheduledEnd) > date,
        ),
      });
    }
    if (w >= 4 && week.every((d) => !d.inMonth)) break;
    weeks.push(week);
  }
  return weeks;
}
