import { allow, type Decision, ErrorCode, refuse } from "./vocabulary";

/**
 * Scheduled maintenance windows: planned work announced in advance, in Statuspage's vocabulary.
 * Pure rules only: times come in as arguments, never from the system clock.
 *
 *   SCHEDULED -> IN_PROGRESS -> VERIFYING -> COMPLETED
 *        \            \             \
 *         `-----------`-------------`--> CANCELED
 *
 * IN_PROGRESS may also complete directly (VERIFYING is an optional step). COMPLETED and CANCELED
 * are final.
 */
export enum MaintenanceState {
  SCHEDULED = "SCHEDULED",
  IN_PROGRESS = "IN_PROGRESS",
  VERIFYING = "VERIFYING",
  COMPLETED = "COMPLETED",
  CANCELED = "CANCELED",
}

export type MaintenanceCommand = "start" | "verify" | "complete" | "cancel" | "edit" | "postUpdate";

const { SCHEDULED, IN_PROGRESS, VERIFYING, COMPLETED, CANCELED } = MaintenanceState;

export const MAINTENANCE_STATE_LABELS: Readonly<Record<MaintenanceState, string>> = {
  [SCHEDULED]: "Scheduled",
  [IN_PROGRESS]: "In progress",
  [VERIFYING]: "Verifying",
  [COMPLETED]: "Completed",
  [CANCELED]: "Canceled",
};

export interface MaintenanceTransition {
  from: readonly MaintenanceState[];
  /** The state afterwards; null when the command leaves the state alone. */
  to: MaintenanceState | null;
  /** Button label in the war room. */
  label: string;
}

/** The one transition table: the server decides with it, the war room picks its buttons from it. */
export const MAINTENANCE_TRANSITIONS: Readonly<Record<MaintenanceCommand, MaintenanceTransition>> = {
  start: { from: [SCHEDULED], to: IN_PROGRESS, label: "Start now" },
  verify: { from: [IN_PROGRESS], to: VERIFYING, label: "Verifying" },
  complete: { from: [IN_PROGRESS, VERIFYING], to: COMPLETED, label: "Complete now" },
  cancel: { from: [SCHEDULED, IN_PROGRESS, VERIFYING], to: CANCELED, label: "Cancel" },
  edit: { from: [SCHEDULED, IN_PROGRESS, VERIFYING], to: null, label: "Edit" },
  postUpdate: { from: [SCHEDULED, IN_PROGRESS, VERIFYING], to: null, label: "Post update" },
};

/** States shown as "upcoming or in progress" on the status page and in statusSummary. */
export const ACTIVE_MAINTENANCE_STATES: readonly MaintenanceState[] = [SCHEDULED, IN_PROGRESS, VERIFYING];
/** States during which the affected services are under maintenance. */
export const RUNNING_MAINTENANCE_STATES: readonly MaintenanceState[] = [IN_PROGRESS, VERIFYING];

export const isFinalMaintenanceState = (s: MaintenanceState) => s === COMPLETED || s === CANCELED;

/** Whether `command` is allowed in `state`, with a message that says what to do instead. */
export function decideMaintenanceCommand(
  state: MaintenanceState,
  command: MaintenanceCommand,
): Decision<MaintenanceState | null> {
  const t = MAINTENANCE_TRANSITIONS[command];
  if (t.from.includes(state)) return allow(t.to);
  if (command === "cancel" && state === COMPLETED) {
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      "This maintenance is already completed and cannot be canceled; post a note on a new window or an incident instead.",
    );
  }
  if (isFinalMaintenanceState(state)) {
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `This maintenance is ${MAINTENANCE_STATE_LABELS[state].toLowerCase()}: nothing about it can change any more. Schedule a new window instead.`,
    );
  }
  const hint: Record<MaintenanceCommand, string> = {
    start: "It has already started.",
    verify: state === SCHEDULED ? "Start it first." : "It is already being verified.",
    complete: "It has not started yet: start it first, or cancel it.",
    cancel: "",
    edit: "",
    postUpdate: "",
  };
  return refuse(
    ErrorCode.INVALID_TRANSITION,
    `Cannot ${t.label.toLowerCase()} a maintenance that is ${MAINTENANCE_STATE_LABELS[state].toLowerCase()}. ${hint[command]}`.trim(),
  );
}

/**
 * The command a public update with a new state stands for (postMaintenanceUpdate(state:)):
 * IN_PROGRESS starts, VERIFYING verifies, COMPLETED completes, the same state only posts. A
 * cancellation needs a reason, so it goes through cancelMaintenance.
 */
export function commandForUpdateState(
  current: MaintenanceState,
  requested: MaintenanceState | null | undefined,
): Decision<MaintenanceCommand> {
  if (requested === null || requested === undefined || requested === current) return allow("postUpdate");
  switch (requested) {
    case IN_PROGRESS:
      return allow("start");
    case VERIFYING:
      return allow("verify");
    case COMPLETED:
      return allow("complete");
    case CANCELED:
      return refuse(
        ErrorCode.BAD_USER_INPUT,
        "To cancel a maintenance use cancelMaintenance with a reason, not an update with state CANCELED.",
      );
    case SCHEDULED:
      return refuse(
        ErrorCode.INVALID_TRANSITION,
        "A maintenance that has started cannot go back to scheduled; schedule a new window instead.",
      );
  }
}

/** How much earlier than "now" a new window's start may be (the time it takes to submit a form). */
export const START_GRACE_MS = 60_000;
export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5000;

export interface WindowTimes {
  scheduledStart: Date;
  scheduledEnd: Date;
}

const validDate = (d: Date | null | undefined): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** A new window: end after start, start not in the past, at least one known service. */
export function validateNewWindow(
  input: WindowTimes & { serviceIds: readonly string[] },
  knownServiceIds: ReadonlySet<string>,
  now: Date,
): Decision<WindowTimes & { serviceIds: string[] }> {
  const times = validateTimes(input.scheduledStart, input.scheduledEnd);
  if (!times.ok) return times;
  if (input.scheduledStart.getTime() < now.getTime() - START_GRACE_MS) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `scheduledStart (${input.scheduledStart.toISOString()}) is in the past; a new window must start now or later.`,
    );
  }
  const services = validateServices(input.serviceIds, knownServiceIds);
  if (!services.ok) return services;
  return allow({ ...times.value, serviceIds: services.value });
}

export function validateTimes(start: Date, end: Date): Decision<WindowTimes> {
  if (!validDate(start)) return refuse(ErrorCode.BAD_USER_INPUT, "scheduledStart is not a valid time.");
  if (!validDate(end)) return refuse(ErrorCode.BAD_USER_INPUT, "scheduledEnd is not a valid time.");
  if (end.getTime() <= start.getTime()) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `scheduledEnd (${end.toISOString()}) must be after scheduledStart (${start.toISOString()}).`,
    );
  }
  return allow({ scheduledStart: start, scheduledEnd: end });
}

export function validateServices(
  serviceIds: readonly string[],
  known: ReadonlySet<string>,
): Decision<string[]> {
  const ids = [...new Set(serviceIds)];
  if (ids.length === 0) {
    return refuse(ErrorCode.BAD_USER_INPUT, "serviceIds is empty: name at least one affected service.");
  }
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    return refuse(
      ErrorCode.BAD_USER_INPUT,
      `serviceIds names unknown service${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; list services to find their ids.`,
    );
  }
  return allow(ids);
}

export interface WindowEdit {
  scheduledStart?: Date | null;
  scheduledEnd?: Date | null;
  serviceIds?: readonly string[] | null;
}

/**
 * New times and services for an edit.
 * - SCHEDULED: anything may change. Moving only the start moves the end by the same real amount
 *   (milliseconds, not wall-clock hours), so a window moved across a daylight-saving change keeps
 *   its real duration. The new start may not be in the past.
 * - IN_PROGRESS / VERIFYING: it has started, so only its end moves (a new start is ignored and the
 *   result says so); the affected services are fixed. The new end must still be after the start.
 * - COMPLETED / CANCELED: nothing.
 */
export function decideWindowEdit(
  current: WindowTimes & { state: MaintenanceState; serviceIds: readonly string[] },
  edit: WindowEdit,
  knownServiceIds: ReadonlySet<string>,
  now: Date,
): Decision<WindowTimes & { serviceIds: string[]; startIgnored: boolean }> {
  const allowed = decideMaintenanceCommand(current.state, "edit");
  if (!allowed.ok) return allowed;
  const started = current.state !== SCHEDULED;
  let serviceIds = [...current.serviceIds];
  if (edit.serviceIds !== null && edit.serviceIds !== undefined) {
    const same =
      new Set(edit.serviceIds).size === current.serviceIds.length &&
      edit.serviceIds.every((id) => current.serviceIds.includes(id));
    if (!same) {
      if (started) {
        return refuse(
          ErrorCode.INVALID_TRANSITION,
          "The window has started: its services are already under maintenance and cannot change. Complete it and schedule another window for other services.",
        );
      }
      const services = validateServices(edit.serviceIds, knownServiceIds);
      if (!services.ok) return services;
      serviceIds = services.value;
    }
  }
  const newStart = edit.scheduledStart ?? null;
  const newEnd = edit.scheduledEnd ?? null;
  if (started) {
    const startIgnored = newStart !== null && newStart.getTime() !== current.scheduledStart.getTime();
    const times = validateTimes(current.scheduledStart, newEnd ?? current.scheduledEnd);
    if (!times.ok) return times;
    return allow({ ...times.value, serviceIds, startIgnored });
  }
  const start = newStart ?? current.scheduledStart;
  const end =
    newEnd ??
    (newStart
      ? new Date(newStart.getTime() + (current.scheduledEnd.getTime() - current.scheduledStart.getTime()))
      : current.scheduledEnd);
  const times = validateTimes(start, end);
  if (!times.ok) return times;
  if (newStart && start.getTime() !== current.scheduledStart.getTime()) {
    if (start.getTime() < now.getTime() - START_GRACE_MS) {
      return refuse(
        ErrorCode.BAD_USER_INPUT,
        `scheduledStart (${start.toISOString()}) is in the past; move the window to now or later, or start it now.`,
      );
    }
  }
  return allow({ ...times.value, serviceIds, startIgnored: false });
}

/** Real (elapsed) duration in minutes, whatever the wall clocks did in between. */
export const durationMinutes = (w: WindowTimes) =>
  Math.round((w.scheduledEnd.getTime() - w.scheduledStart.getTime()) / 60_000);

/** What autoTransition should do at `now`: start a due window, complete an overdue one, or nothing. */
export function dueAutoStep(
  w: WindowTimes & { state: MaintenanceState; autoTransition: boolean },
  now: Date,
): "start" | "complete" | null {
  if (!w.autoTransition) return null;
  if (w.state === SCHEDULED && w.scheduledStart.getTime() <= now.getTime()) return "start";
  if ((w.state === IN_PROGRESS || w.state === VERIFYING) && w.scheduledEnd.getTime() <= now.getTime()) {
    return "complete";
  }
  return null;
}

/**
 * At the end of a window, whether to return a service to the status it had before: only if
 * nobody changed it since the window put it under maintenance (its version is still the one the
 * window's own change produced). Otherwise it is left alone and the room is told.
 */
export function restoreDecision(
  recorded: { previousStatus: string | null; versionAfterStart: number | null },
  service: { status: string; version: number },
): { restore: true; to: string } | { restore: false; why: string } {
  if (recorded.previousStatus === null || recorded.versionAfterStart === null) {
    return { restore: false, why: "the window did not change its status when it started" };
  }
  if (service.version !== recorded.versionAfterStart) {
    return { restore: false, why: "its status was changed by someone during the window" };
  }
  return { restore: true, to: recorded.previousStatus };
}

/** Reminder lead times (minutes before the start); invalid values are the config's business. */
export function reminderTimes(
  start: Date,
  leadMinutes: readonly number[],
  now: Date,
): { leadMinutes: number; at: Date }[] {
  return [...new Set(leadMinutes)]
    .filter((m) => m > 0)
    .sort((a, b) => b - a)
    .map((m) => ({ leadMinutes: m, at: new Date(start.getTime() - m * 60_000) }))
    .filter((r) => r.at.getTime() > now.getTime());
}

/**
 * Whether a reminder is still worth sending when its job runs: the window is still scheduled, it
 * still starts at the time the reminder was computed for (a moved window gets new reminders), and
 * it has not started yet.
 */
export function reminderDue(
  w: { state: MaintenanceState; scheduledStart: Date },
  forStart: Date,
  now: Date,
): boolean {
  return (
    w.state === SCHEDULED &&
    w.scheduledStart.getTime() === forStart.getTime() &&
    w.scheduledStart.getTime() > now.getTime()
  );
}

/** Two time ranges overlap when each starts before the other ends. */
export const rangesOverlap = (a: WindowTimes, b: WindowTimes) =>
  a.scheduledStart.getTime() < b.scheduledEnd.getTime() &&
  b.scheduledStart.getTime() < a.scheduledEnd.getTime();

/**
 * Milliseconds of [from, to) covered by the given windows (merged, so overlapping windows are
 * counted once). Used to leave maintenance out of uptime.
 */
export function coveredMs(
  windows: readonly { from: number; to: number }[],
  from: number,
  to: number,
): number {
  const parts = windows
    .map((w) => ({ from: Math.max(w.from, from), to: Math.min(w.to, to) }))
    .filter((w) => w.to > w.from)
    .sort((a, b) => a.from - b.from);
  let total = 0;
  let curFrom = -1;
  let curTo = -1;
  for (const p of parts) {
    if (p.from > curTo) {
      if (curTo > curFrom) total += curTo - curFrom;
      curFrom = p.from;
      curTo = p.to;
    } else if (p.to > curTo) {
      curTo = p.to;
    }
  }
  if (curTo > curFrom) total += curTo - curFrom;
  return total;
}

/** What a planned window runs into: an open incident on one of its services, or another active window. */
export interface MaintenanceOverlap {
  kind: "incident" | "maintenance";
  id: string;
  title: string;
  /** The services both share (empty for a window overlapping in time on other services). */
  sharedServiceIds: string[];
}

/**
 * Warnings (never refusals) for a window being planned: an open incident has no end yet, so it
 * overlaps any window not already over that shares one of its services; another window overlaps when
 * both are active (scheduled, in progress, verifying) and their times overlap, whatever the services.
 */
export function maintenanceOverlaps(
  window: WindowTimes & { id?: string | null; serviceIds: readonly string[] },
  others: {
    windows: readonly (WindowTimes & {
      id: string;
      title: string;
      state: MaintenanceState;
      serviceIds: readonly string[];
    })[];
    openIncidents: readonly { id: string; title: string; serviceIds: readonly string[] }[];
  },
  now: Date,
): MaintenanceOverlap[] {
  const shared = (ids: readonly string[]) => ids.filter((id) => window.serviceIds.includes(id));
  const out: MaintenanceOverlap[] = [];
  if (window.scheduledEnd.getTime() > now.getTime()) {
    for (const i of others.openIncidents) {
      const common = shared(i.serviceIds);
      if (common.length) out.push({ kind: "incident", id: i.id, title: i.title, sharedServiceIds: common });
    }
  }
  for (const w of others.windows) {
    if (w.id === window.id || !ACTIVE_MAINTENANCE_STATES.includes(w.state) || !rangesOverlap(window, w))
      continue;
    out.push({ kind: "maintenance", id: w.id, title: w.title, sharedServiceIds: shared(w.serviceIds) });
  }
  return out;
}
