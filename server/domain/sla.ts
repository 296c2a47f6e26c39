import { addMeasured, measureSeconds, type SlaCalendar } from "./business-hours";
import { ErrorCode, IncidentState, Priority, Role } from "./vocabulary";

// Service levels (docs/service-levels.md): per-priority targets, business time, and the state of an
// incident's two clocks (acknowledge, resolve) computed from what is stored plus "now". Pure: time
// comes in as an argument.

/** Minutes in a (non-leap) year: the most a policy target may be. */
export const MAX_POLICY_MINUTES = 365 * 24 * 60;
export const DEFAULT_WARN_PERCENT = 75;

// ── Policies ──

export interface SlaPolicyValues {
  priority: Priority;
  acknowledgeMinutes: number;
  resolveMinutes: number;
  businessHours: boolean;
  publicUpdateEveryMinutes: number | null;
  autoClose: boolean;
}

/** The defaults the migration seeds (docs/service-levels.md). Business targets count business minutes. */
export const DEFAULT_POLICIES: readonly SlaPolicyValues[] = [
  {
    priority: Priority.P1,
    acknowledgeMinutes: 15,
    resolveMinutes: 240,
    businessHours: false,
    publicUpdateEveryMinutes: 30,
    autoClose: false,
  },
  {
    priority: Priority.P2,
    acknowledgeMinutes: 30,
    resolveMinutes: 480,
    businessHours: false,
    publicUpdateEveryMinutes: 60,
    autoClose: false,
  },
  // 4 business hours / 3 business days of 8 hours.
  {
    priority: Priority.P3,
    acknowledgeMinutes: 240,
    resolveMinutes: 3 * 8 * 60,
    businessHours: true,
    publicUpdateEveryMinutes: null,
    autoClose: true,
  },
  // 1 business day / 5 business days of 8 hours (P4 is the least urgent: never faster than P3).
  {
    priority: Priority.P4,
    acknowledgeMinutes: 8 * 60,
    resolveMinutes: 5 * 8 * 60,
    businessHours: true,
    publicUpdateEveryMinutes: null,
    autoClose: true,
  },
];

/** Major incidents (P1, P2) are never closed by rule, whatever their policy says. */
export const AUTO_CLOSE_NEVER: readonly Priority[] = [Priority.P1, Priority.P2];

export type PolicyProblem = { code: ErrorCode.BAD_USER_INPUT; field: keyof SlaPolicyValues; message: string };

/** Checks a policy as an admin sends it; the first problem names its field. */
export function validatePolicy(p: SlaPolicyValues): PolicyProblem | null {
  const minutes = (
    field: "acknowledgeMinutes" | "resolveMinutes" | "publicUpdateEveryMinutes",
    v: number,
  ) => {
    if (!Number.isInteger(v) || v <= 0 || v > MAX_POLICY_MINUTES) {
      return {
        code: ErrorCode.BAD_USER_INPUT as const,
        field,
        message: `${field} must be a whole number of minutes from 1 to ${MAX_POLICY_MINUTES} (one year); got ${v}.`,
      };
    }
    return null;
  };
  if (!Object.values(Priority).includes(p.priority)) {
    return { code: ErrorCode.BAD_USER_INPUT, field: "priority", message: `Unknown priority ${p.priority}.` };
  }
  const problem =
    minutes("acknowledgeMinutes", p.acknowledgeMinutes) ??
    minutes("resolveMinutes", p.resolveMinutes) ??
    (p.publicUpdateEveryMinutes === null
      ? null
      : minutes("publicUpdateEveryMinutes", p.publicUpdateEveryMinutes));
  if (problem) return problem;
  if (p.resolveMinutes < p.acknowledgeMinutes) {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      field: "resolveMinutes",
      message: `resolveMinutes (${p.resolveMinutes}) is shorter than acknowledgeMinutes (${p.acknowledgeMinutes}); an incident cannot be resolved before it is acknowledged.`,
    };
  }
  if (p.autoClose && AUTO_CLOSE_NEVER.includes(p.priority)) {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      field: "autoClose",
      message: `${p.priority} incidents are major and never close automatically: they need their review (and P1 its problem). Set autoClose to false.`,
    };
  }
  return null;
}

// ── Clocks ──

export type ClockName = "acknowledge" | "resolve";

/** What is stored for one clock of an incident (incident_sla), plus when the incident opened. */
export interface StoredClock {
  openedAt: Date;
  business: boolean;
  targetSeconds: number;
  metAt: Date | null;
  /** Seconds on hold (in this clock's measure), not counting a hold still going on. */
  pausedSeconds: number;
  /** Start of a hold still going on; null while running. */
  pausedSince: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
}

export interface ClockState {
  targetSeconds: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  paused: boolean;
  /** Seconds of the hold going on now (0 when running), in the clock's measure. */
  pausedForSeconds: number;
  /** When the hold going on now began (null when running or met): the room counts up from it. */
  pausedSince: Date | null;
  warned: boolean;
  breached: boolean;
  metAt: Date | null;
  /** When the target is reached if nothing changes; null while paused or once met. */
  dueAt: Date | null;
  /** When the warning is due (warnPercent of the target); null while paused or once met. */
  warnAt: Date | null;
}

/**
 * A clock as it is at `now`: elapsed time counts from opening to its stop (met, or the start of a
 * hold going on, or now) in the clock's measure, minus earlier holds. A stored warning or breach
 * stays (it was documented); otherwise warned/breached follow the elapsed time.
 */
export function clockState(
  c: StoredClock,
  now: Date,
  cal: SlaCalendar,
  warnPercent = DEFAULT_WARN_PERCENT,
): ClockState {
  const stop = c.metAt ?? c.pausedSince ?? now;
  const elapsed = Math.max(0, measureSeconds(c.openedAt, stop, c.business, cal) - c.pausedSeconds);
  const paused = c.metAt === null && c.pausedSince !== null;
  const running = c.metAt === null && c.pausedSince === null;
  const warnSeconds = warnThreshold(c.targetSeconds, warnPercent);
  const dueAt = clockDueAt(c, cal);
  const warnAt = running ? addMeasured(c.openedAt, warnSeconds + c.pausedSeconds, c.business, cal) : null;
  return {
    targetSeconds: c.targetSeconds,
    elapsedSeconds: elapsed,
    remainingSeconds: c.targetSeconds - elapsed,
    paused,
    pausedForSeconds: paused ? measureSeconds(c.pausedSince!, now, c.business, cal) : 0,
    pausedSince: paused ? c.pausedSince : null,
    warned: c.warnedAt !== null || elapsed >= warnSeconds,
    breached: c.breachedAt !== null || elapsed >= c.targetSeconds,
    metAt: c.metAt,
    dueAt,
    warnAt,
  };
}

/**
 * When a running clock reaches its target; null while paused or once met. While running,
 * elapsed(t) = measure(opened, t) - pausedSeconds, so the target is reached at
 * opened + (target + pausedSeconds) in the clock's measure (exact, and in the past once breached).
 * It depends on the stored clock and the calendar only, not on "now".
 */
export function clockDueAt(c: StoredClock, cal: SlaCalendar): Date | null {
  if (c.metAt !== null || c.pausedSince !== null) return null;
  return addMeasured(c.openedAt, c.targetSeconds + c.pausedSeconds, c.business, cal);
}

/**
 * An incident's next SLA due time: the earliest due time of its running clocks (acknowledge,
 * resolve), in the past once overdue; null when none runs (on hold, resolved, closed, canceled).
 * It is the key of the list's "due soonest" order. A business clock's due time needs the calendar,
 * which SQL does not have, so it is stored (incident_sla.next_due_at) and recomputed with this
 * function whenever the stored clocks change; it does not change as time passes.
 */
export function nextDueAt(clocks: readonly StoredClock[], cal: SlaCalendar): Date | null {
  let soonest: Date | null = null;
  for (const c of clocks) {
    const due = clockDueAt(c, cal);
    if (due && (soonest === null || due < soonest)) soonest = due;
  }
  return soonest;
}

/** Seconds of elapsed time at which the warning fires. */
export function warnThreshold(targetSeconds: number, warnPercent: number): number {
  return Math.floor((targetSeconds * warnPercent) / 100);
}

export type AlarmKind = "WARNING" | "BREACH";

/**
 * Whether a warning or breach of a clock is due now and not yet documented: the job handler's
 * re-check. "later" carries when to look again (a retarget or a hold moved it); "never" means the
 * clock stopped (met) or it already fired; "paused" waits for the resume, which schedules anew.
 */
export function alarmDue(
  c: StoredClock,
  kind: AlarmKind,
  now: Date,
  cal: SlaCalendar,
  warnPercent = DEFAULT_WARN_PERCENT,
): { due: "now" } | { due: "later"; at: Date } | { due: "never" } | { due: "paused" } {
  if (c.metAt !== null) return { due: "never" };
  if (kind === "WARNING" ? c.warnedAt !== null : c.breachedAt !== null) return { due: "never" };
  // A warning whose breach already fired is pointless.
  if (kind === "WARNING" && c.breachedAt !== null) return { due: "never" };
  if (c.pausedSince !== null) return { due: "paused" };
  const s = clockState(c, now, cal, warnPercent);
  const threshold = kind === "WARNING" ? warnThreshold(c.targetSeconds, warnPercent) : c.targetSeconds;
  if (s.elapsedSeconds >= threshold) return { due: "now" };
  const at = kind === "WARNING" ? s.warnAt : s.dueAt;
  return at ? { due: "later", at } : { due: "never" };
}

// ── Escalation and cadence ──

/**
 * Escalation of an unacknowledged incident in a queue: level 1 (the queue's manager) once the
 * acknowledge target has passed, level 2 (incident managers) after another target period. Returns
 * the level due at `elapsedSeconds` of the acknowledge clock.
 */
export function escalationLevelDue(elapsedSeconds: number, targetSeconds: number): 0 | 1 | 2 {
  if (elapsedSeconds >= 2 * targetSeconds) return 2;
  if (elapsedSeconds >= targetSeconds) return 1;
  return 0;
}

/** States in which an incident counts as open for the update cadence. */
export const OPEN_STATES: readonly IncidentState[] = [
  IncidentState.NEW,
  IncidentState.ASSIGNED,
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
];

/**
 * When the next public update is due: every `cadenceMinutes` after the last one (or after the
 * incident went public/opened when there was none), while the incident is public and open.
 */
export function nextPublicUpdateDue(input: {
  cadenceMinutes: number | null;
  state: IncidentState;
  isPublic: boolean;
  lastPublicUpdateAt: Date | null;
  openedAt: Date;
}): Date | null {
  if (input.cadenceMinutes === null || !input.isPublic || !OPEN_STATES.includes(input.state)) return null;
  const from = input.lastPublicUpdateAt ?? input.openedAt;
  return new Date(from.getTime() + input.cadenceMinutes * 60_000);
}

/**
 * Who is to post an incident's next public update, so who is reminded when it is overdue and who
 * the room shows the countdown to: the communications lead (room role), else the assignee, else the
 * incident managers (the role; admins are not on call for it).
 */
export type PublicUpdateOwner =
  | { kind: "COMMUNICATIONS_LEAD" | "ASSIGNEE"; userId: string }
  | { kind: "INCIDENT_MANAGERS" };

export function publicUpdateOwner(
  communicationsLeadId: string | null | undefined,
  assigneeId: string | null | undefined,
): PublicUpdateOwner {
  if (communicationsLeadId) return { kind: "COMMUNICATIONS_LEAD", userId: communicationsLeadId };
  if (assigneeId) return { kind: "ASSIGNEE", userId: assigneeId };
  return { kind: "INCIDENT_MANAGERS" };
}

/** Whether `viewer` is (one of) the people `owner` names. */
export function ownsPublicUpdate(owner: PublicUpdateOwner, viewer: { id: string; role: Role }): boolean {
  return owner.kind === "INCIDENT_MANAGERS"
    ? viewer.role === Role.INCIDENT_MANAGER
    : owner.userId === viewer.id;
}

/**
 * How a duration reads in timeline entries: "1 h 30 min", "3 min", and under a minute in seconds
 * ("15 s"), so a warning on a short target does not say "0 min left".
 */
export function durationWords(seconds: number, business: boolean): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.round(whole / 60);
  const h = Math.floor(minutes / 60);
  const min = minutes % 60;
  const parts =
    whole < 60 ? `${whole} s` : [h ? `${h} h` : "", min || !h ? `${min} min` : ""].filter(Boolean).join(" ");
  return business ? `${parts} of business time` : parts;
}
