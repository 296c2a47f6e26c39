// Pure state of the Reports page: the range picker, words for figures, the CSV of the table, and
// the live "now" panel's counts. Times shown are the viewer's; ranges sent are instants (UTC).
import { IncidentState, MetricsGroup, Priority } from "../../../../server/domain/vocabulary";
import { toCsv } from "../export";
import type { Metrics, MetricsRowData } from "./report-queries";

const DAY_MS = 86_400_000;

export type RangePreset = "7" | "30" | "90" | "custom";

export const PRESETS: { value: RangePreset; label: string }[] = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
  { value: "custom", label: "Custom range" },
];

export const GROUP_LABELS: Readonly<Record<MetricsGroup, string>> = {
  [MetricsGroup.PRIORITY]: "Priority",
  [MetricsGroup.SERVICE]: "Service",
  [MetricsGroup.CATEGORY]: "Category",
  [MetricsGroup.QUEUE]: "Queue",
  [MetricsGroup.DAY]: "Day",
};

export interface Range {
  from: string;
  to: string;
}

/** The last `days` days up to `now`, to the millisecond. */
export function presetRange(days: number, now: Date): Range {
  return { from: new Date(now.getTime() - days * DAY_MS).toISOString(), to: now.toISOString() };
}

/** "YYYY-MM-DD" -> local midnight of that day in the viewer's zone, or null. */
function localMidnight(date: string, dayOffset = 0): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + dayOffset);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A custom range of calendar days in the viewer's zone, both days included: from the first day's
 * midnight to the midnight after the last day. An error in words when a date is missing; an order
 * or length the server refuses comes back from the server (it names the field).
 */
export function customRange(fromDay: string, toDay: string): Range | { error: string } {
  const from = localMidnight(fromDay);
  const to = localMidnight(toDay, 1);
  if (!from) return { error: "Pick the first day of the range." };
  if (!to) return { error: "Pick the last day of the range." };
  return { from: from.toISOString(), to: to.toISOString() };
}

/** A local "YYYY-MM-DD" for a date input (viewer's zone). */
export function dayInput(at: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}`;
}

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h"; "—" for no figure. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  // Whole minutes, cut (not rounded): 59 min 59 s is "59 min", never "0 h 60 min".
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "93.5 %" (0..1 in); "—" for no figure. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  const pct = share * 100;
  return `${Number.isInteger(pct) ? pct : pct.toFixed(1)} %`;
}

/** Seconds as minutes or hours for a chart axis (null stays null: no bar). */
export const inMinutes = (s: number | null | undefined) => (s === null || s === undefined ? null : s / 60);
export const inHours = (s: number | null | undefined) => (s === null || s === undefined ? null : s / 3600);

/** A row label for people: days as the viewer's calendar words. */
export function rowLabel(groupBy: MetricsGroup | string, row: Pick<MetricsRowData, "key" | "label">): string {
  if (groupBy !== MetricsGroup.DAY) return row.label;
  const [y, m, d] = row.key.split("-").map(Number);
  if (!y || !m || !d) return row.label;
  return new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }).format(new Date(y, m - 1, d));
}

const secondsCell = (s: number | null | undefined) => (s === null || s === undefined ? "" : Math.round(s));
const shareCell = (x: number | null | undefined) =>
  x === null || x === undefined ? "" : Number(x.toFixed(4));

/** The table as CSV (seconds and 0..1 shares as plain numbers, for spreadsheets), totals last. */
export function metricsCsv(metrics: Metrics): string {
  const group = GROUP_LABELS[metrics.groupBy as MetricsGroup] ?? metrics.groupBy;
  const line = (label: string, key: string, r: Omit<MetricsRowData, "key" | "label">) => [
    label,
    key,
    r.count,
    secondsCell(r.mttaSeconds),
    secondsCell(r.mttaMedianSeconds),
    secondsCell(r.mttaBusinessSeconds),
    secondsCell(r.mttaBusinessMedianSeconds),
    secondsCell(r.mttrSeconds),
    secondsCell(r.mttrMedianSeconds),
    secondsCell(r.mttrBusinessSeconds),
    secondsCell(r.mttrBusinessMedianSeconds),
    shareCell(r.ackAttainment),
    shareCell(r.slaAttainment),
    r.breaches,
    r.ackBreaches,
    r.resolveBreaches,
  ];
  return toCsv([
    [
      group,
      "Key",
      "Incidents",
      "MTTA mean (s)",
      "MTTA median (s)",
      "MTTA business mean (s)",
      "MTTA business median (s)",
      "MTTR mean (s)",
      "MTTR median (s)",
      "MTTR business mean (s)",
      "MTTR business median (s)",
      "Acknowledge attainment",
      "Resolve attainment",
      "Incidents with breaches",
      "Acknowledge breaches",
      "Resolve breaches",
    ],
    ...metrics.rows.map((r) => line(r.label, r.key, r)),
    line("Total", "", metrics),
  ]);
}

/** "beacon-incidents-by-priority-2026-03-01-to-2026-03-31.csv" (days in the viewer's zone). */
export function csvFileName(metrics: Pick<Metrics, "groupBy" | "from" | "to">): string {
  const last = new Date(new Date(metrics.to).getTime() - 1);
  return `beacon-incidents-by-${metrics.groupBy.toLowerCase()}-${dayInput(new Date(metrics.from))}-to-${dayInput(last)}.csv`;
}

// ── The "now" panel ─────────────────────────────────────────────────────────────────────────────

/** Not yet resolved: what "open" means on the panel (RESOLVED waits for the customer, not for us). */
export const UNRESOLVED_STATES: IncidentState[] = [
  IncidentState.NEW,
  IncidentState.ASSIGNED,
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
];

interface ClockView {
  dueAt: string | null;
  breached: boolean;
}

export interface OpenIncident {
  id: string;
  priority: `${Priority}`;
  state: `${IncidentState}`;
  number?: string;
  title?: string;
  sla?: { acknowledge: ClockView; resolve: ClockView } | null;
}

const isUnresolved = (state: string) => (UNRESOLVED_STATES as string[]).includes(state);

/** Open incidents by id; an event adds, moves or removes one. */
export type OpenSet = Readonly<Record<string, OpenIncident>>;

export function openSetOf(items: readonly OpenIncident[]): OpenSet {
  const set: Record<string, OpenIncident> = {};
  for (const i of items) if (isUnresolved(i.state)) set[i.id] = i;
  return set;
}

export function applyOpenEvent(set: OpenSet, incident: OpenIncident): OpenSet {
  const open = isUnresolved(incident.state);
  if (!open && !(incident.id in set)) return set;
  const next: Record<string, OpenIncident> = { ...set };
  if (open) next[incident.id] = incident;
  else delete next[incident.id];
  return next;
}

export function countByPriority(set: OpenSet): Record<Priority, number> {
  const counts: Record<Priority, number> = {
    [Priority.P1]: 0,
    [Priority.P2]: 0,
    [Priority.P3]: 0,
    [Priority.P4]: 0,
  };
  for (const i of Object.values(set)) counts[i.priority as Priority]++;
  return counts;
}

export interface DueClock {
  id: string;
  number: string;
  title: string;
  priority: string;
  clock: "acknowledge" | "resolve";
  dueAt: string;
}

/**
 * The running clocks of open incidents due within `withinMs` of `now` (or already past, not yet
 * marked breached), soonest first: what is about to breach.
 */
export function dueSoonest(set: OpenSet, now: number, withinMs: number, limit = 5): DueClock[] {
  const due: DueClock[] = [];
  for (const i of Object.values(set)) {
    for (const clock of ["acknowledge", "resolve"] as const) {
      const c = i.sla?.[clock];
      if (!c || c.breached || c.dueAt === null) continue;
      if (Date.parse(c.dueAt) - now > withinMs) continue;
      due.push({
        id: i.id,
        number: i.number ?? "",
        title: i.title ?? "",
        priority: i.priority,
        clock,
        dueAt: c.dueAt,
      });
    }
  }
  return due.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)).slice(0, limit);
}
