// An incident's service-level clocks, kept in step with the incident by every incident command, in
// that command's transaction (the engine calls maintainSla from record()). The timers (warning,
// breach, escalation, update cadence, auto-close) are jobs enqueued in the same transaction; their
// handlers re-check the stored state (docs/service-levels.md).
import type { EntityManager } from "typeorm";
import { businessSecondsBetween, type SlaCalendar } from "../domain/business-hours";
import {
  type AlarmKind,
  alarmDue,
  type ClockName,
  type ClockState,
  clockState,
  nextDueAt,
  nextPublicUpdateDue,
  OPEN_STATES,
  type StoredClock,
} from "../domain/sla";
import { IncidentState, type Priority } from "../domain/vocabulary";
import type { Incident } from "../incidents/incident.entity";
import { stableJobId } from "../jobs";
import type { BeaconConfig } from "../kernel/config";
import type { Beacon } from "../kernel/context";
import { IncidentSlaRecord } from "./incident-sla.entity";
import { SlaPolicy } from "./sla-policy.entity";

export const SLA_ALARM_JOB = "sla.alarm";
export const SLA_ESCALATION_JOB = "sla.escalation";
export const SLA_CADENCE_JOB = "sla.cadence";
export const SLA_AUTO_CLOSE_JOB = "sla.autoClose";

export interface SlaAlarmJob {
  incidentId: string;
  clock: ClockName;
  kind: AlarmKind;
}
export interface SlaIncidentJob {
  incidentId: string;
}

/** The business calendar the clocks count on: Beacon's zone and holidays plus business hours. */
export function slaCalendar(config: BeaconConfig): SlaCalendar {
  return { timeZone: config.timeZone, holidays: config.holidays, hours: config.businessHours };
}

/** The fields of an incident the clocks read. */
export type ClockIncident = Pick<Incident, "createdAt" | "state">;

/** The two clocks of an incident as the pure rules see them. */
export function storedClocks(
  row: IncidentSlaRecord,
  incident: ClockIncident,
): Record<ClockName, StoredClock> {
  // A canceled incident's clocks stop where they stood (pausedSince holds the cancel time).
  const canceled = incident.state === IncidentState.CANCELED;
  const stopAt = canceled ? (row.pausedSince ?? incident.createdAt) : null;
  return {
    acknowledge: {
      openedAt: incident.createdAt,
      business: row.businessHours,
      targetSeconds: row.ackTargetSeconds,
      metAt: row.ackMetAt ?? (canceled ? stopAt : null),
      pausedSeconds: 0,
      pausedSince: null,
      warnedAt: row.ackWarnedAt,
      breachedAt: row.ackBreachedAt,
    },
    resolve: {
      openedAt: incident.createdAt,
      business: row.businessHours,
      targetSeconds: row.resolveTargetSeconds,
      metAt: row.resolveMetAt ?? (canceled ? stopAt : null),
      pausedSeconds: row.businessHours ? row.pausedBusinessSeconds : row.pausedSeconds,
      pausedSince: canceled ? null : row.pausedSince,
      warnedAt: row.resolveWarnedAt,
      breachedAt: row.resolveBreachedAt,
    },
  };
}

/**
 * Saves an incident's clocks, in the caller's transaction, with their next due time worked out
 * again from what is being saved (the key of the list's "due soonest" order): every write of an
 * incident_sla row goes through here, so the stored key never lags the clocks.
 */
export async function saveIncidentSla(
  m: EntityManager,
  row: IncidentSlaRecord,
  incident: ClockIncident,
  config: BeaconConfig,
): Promise<IncidentSlaRecord> {
  const clocks = storedClocks(row, incident);
  row.nextDueAt = nextDueAt([clocks.acknowledge, clocks.resolve], slaCalendar(config));
  return m.save(row);
}

export interface IncidentSlaState {
  acknowledge: ClockState;
  resolve: ClockState;
  nextPublicUpdateDueAt: Date | null;
}

export type SlaViewIncident = ClockIncident & Pick<Incident, "isPublic">;

/** Both clocks and the update cadence of an incident at `now`. */
export function slaStateOf(
  row: IncidentSlaRecord,
  incident: SlaViewIncident,
  now: Date,
  config: BeaconConfig,
): IncidentSlaState {
  const cal = slaCalendar(config);
  const clocks = storedClocks(row, incident);
  return {
    acknowledge: clockState(clocks.acknowledge, now, cal, config.slaWarnPercent),
    resolve: clockState(clocks.resolve, now, cal, config.slaWarnPercent),
    nextPublicUpdateDueAt: nextPublicUpdateDue({
      cadenceMinutes: row.cadenceMinutes,
      state: incident.state,
      isPublic: incident.isPublic,
      lastPublicUpdateAt: row.lastPublicUpdateAt,
      openedAt: incident.createdAt,
    }),
  };
}

export async function policyOf(m: EntityManager, priority: Priority): Promise<SlaPolicy> {
  const policy = await m.findOne(SlaPolicy, { where: { priority } });
  if (!policy) throw new Error(`no SLA policy for ${priority} (the ServiceLevels migration seeds them)`);
  return policy;
}

function targetsFrom(row: IncidentSlaRecord, policy: SlaPolicy): void {
  row.priority = policy.priority;
  row.businessHours = policy.businessHours;
  row.ackTargetSeconds = policy.acknowledgeMinutes * 60;
  row.resolveTargetSeconds = policy.resolveMinutes * 60;
  row.cadenceMinutes = policy.publicUpdateEveryMinutes;
  row.autoClose = policy.autoClose;
}

/** The incident's fields before the command, as the engine's change snapshot has them. */
export interface BeforeFields {
  state: IncidentState;
  priority: Priority;
  queueId: string | null;
  public: boolean;
}

export interface SlaChange {
  /** A sentence for the command's history and timeline (a retarget), or null. */
  note: string | null;
  data: Record<string, unknown> | null;
}

const targetWords = (row: IncidentSlaRecord) => {
  const unit = row.businessHours ? " business" : "";
  return `acknowledge ${row.ackTargetSeconds / 60}${unit} min, resolve ${row.resolveTargetSeconds / 60}${unit} min`;
};

/**
 * Keeps the clocks in step with what the command did to `incident` (its state and priority after
 * the command; `before` null for a new incident). Called by the incident engine inside the
 * command's transaction, after the incident row is written.
 *
 * - open: the row is created with the targets of the priority's policy as it is now.
 * - first IN_PROGRESS: the acknowledge clock is met (never cleared afterwards).
 * - ON_HOLD: the resolve clock pauses; leaving ON_HOLD adds the hold to the paused time.
 * - RESOLVED: the resolve clock is met. A reopen clears that and counts the time it spent resolved
 *   as paused: the clock runs on from where it stopped. Warnings and breaches already documented stay.
 * - CANCELED: both clocks stop.
 * - priority change while not resolved: both targets (and cadence, auto-close) come from the new
 *   priority's policy; the note documents it.
 * - a public update: the cadence restarts from now.
 */
export async function maintainSla(
  beacon: Beacon,
  m: EntityManager,
  incident: Incident,
  before: BeforeFields | null,
  publicUpdatePosted: boolean,
  now: Date,
): Promise<SlaChange> {
  const from = before?.state ?? null;
  const to = incident.state;
  const relevant =
    before === null ||
    from !== to ||
    before.priority !== incident.priority ||
    before.queueId !== incident.queueId ||
    before.public !== incident.isPublic ||
    publicUpdatePosted ||
    // A contact attempt or confirmation may make a resolved incident closable by rule.
    to === IncidentState.RESOLVED;
  if (!relevant) return { note: null, data: null };
  const cal = slaCalendar(beacon.config);
  let note: string | null = null;
  let data: Record<string, unknown> | null = null;
  let row = before
    ? await m.findOne(IncidentSlaRecord, {
        where: { incidentId: incident.id },
        lock: { mode: "pessimistic_write" },
      })
    : null;
  if (!row) {
    row = m.create(IncidentSlaRecord, {
      incidentId: incident.id,
      ackMetAt: null,
      resolveMetAt: null,
      ackBusinessSeconds: null,
      resolveBusinessSeconds: null,
      ackWarnedAt: null,
      ackBreachedAt: null,
      resolveWarnedAt: null,
      resolveBreachedAt: null,
      pausedSince: null,
      pausedSeconds: 0,
      pausedBusinessSeconds: 0,
      escalationLevel: 0,
      lastPublicUpdateAt: null,
      publicUpdateRemindedFor: null,
      backfilled: false,
    });
    targetsFrom(row, await policyOf(m, incident.priority));
  }
  if (to === IncidentState.IN_PROGRESS && row.ackMetAt === null) {
    row.ackMetAt = now;
    row.ackBusinessSeconds = businessSecondsBetween(incident.createdAt, now, cal);
  }
  if (from === IncidentState.ON_HOLD && to !== IncidentState.ON_HOLD && row.pausedSince) {
    row.pausedSeconds += Math.max(0, Math.floor((now.getTime() - row.pausedSince.getTime()) / 1000));
    row.pausedBusinessSeconds += businessSecondsBetween(row.pausedSince, now, cal);
    row.pausedSince = null;
  }
  if (to === IncidentState.ON_HOLD && from !== IncidentState.ON_HOLD) row.pausedSince = now;
  if (to === IncidentState.RESOLVED && from !== IncidentState.RESOLVED) {
    row.resolveMetAt = now;
    row.resolveBusinessSeconds = Math.max(
      0,
      businessSecondsBetween(incident.createdAt, now, cal) - row.pausedBusinessSeconds,
    );
  }
  if (from === IncidentState.RESOLVED && to !== IncidentState.RESOLVED && to !== IncidentState.CLOSED) {
    if (row.resolveMetAt) {
      row.pausedSeconds += Math.max(0, Math.floor((now.getTime() - row.resolveMetAt.getTime()) / 1000));
      row.pausedBusinessSeconds += businessSecondsBetween(row.resolveMetAt, now, cal);
    }
    row.resolveMetAt = null;
    row.resolveBusinessSeconds = null;
    data = { resolveClock: "runs on; the time it was resolved does not count" };
  }
  if (to === IncidentState.CANCELED && from !== IncidentState.CANCELED) row.pausedSince = now;
  if (before && before.priority !== incident.priority && OPEN_STATES.includes(to)) {
    const was = targetWords(row);
    targetsFrom(row, await policyOf(m, incident.priority));
    note = `SLA re-targeted for ${incident.priority}: ${targetWords(row)} (was ${was})`;
    data = {
      priority: incident.priority,
      ackTargetSeconds: row.ackTargetSeconds,
      resolveTargetSeconds: row.resolveTargetSeconds,
      businessHours: row.businessHours,
    };
  }
  if (publicUpdatePosted) row.lastPublicUpdateAt = now;
  await saveIncidentSla(m, row, incident, beacon.config);
  await scheduleSlaJobs(beacon, m, row, incident, before, now);
  return { note, data };
}

/**
 * Enqueues, in the command's transaction, the timers the clocks need now. Each job id is derived from
 * what it is about and when it is due, so sending again is a no-op and a moved due time is a new job;
 * a job that fires for an old time re-checks and finds nothing (or re-schedules itself).
 */
export async function scheduleSlaJobs(
  beacon: Beacon,
  m: EntityManager,
  row: IncidentSlaRecord,
  incident: Incident,
  _before: BeforeFields | null,
  now: Date,
): Promise<void> {
  const cal = slaCalendar(beacon.config);
  const clocks = storedClocks(row, incident);
  const pct = beacon.config.slaWarnPercent;
  const alarms: { data: SlaAlarmJob; id: string; startAfter: Date }[] = [];
  for (const clock of ["acknowledge", "resolve"] as const) {
    for (const kind of ["WARNING", "BREACH"] as const) {
      const due = alarmDue(clocks[clock], kind, now, cal, pct);
      if (due.due !== "now" && due.due !== "later") continue;
      const at = due.due === "later" ? due.at : now;
      const s = clockState(clocks[clock], now, cal, pct);
      const stamp = (kind === "WARNING" ? s.warnAt : s.dueAt)?.toISOString() ?? at.toISOString();
      alarms.push({
        data: { incidentId: incident.id, clock, kind },
        id: stableJobId(incident.id, "sla", clock, kind, stamp),
        startAfter: at,
      });
    }
  }
  await beacon.jobs.sendMany(SLA_ALARM_JOB, alarms, m);

  // Escalation: an incident waiting in a queue (ASSIGNED, never acknowledged).
  if (incident.state === IncidentState.ASSIGNED && row.ackMetAt === null && row.escalationLevel < 2) {
    const level = (row.escalationLevel + 1) as 1 | 2;
    const at = addTargets(clocks.acknowledge, level, cal);
    if (at) {
      await beacon.jobs.send(
        SLA_ESCALATION_JOB,
        { incidentId: incident.id },
        {
          startAfter: new Date(Math.max(at.getTime(), now.getTime())),
          id: stableJobId(incident.id, "escalation", String(level), at.toISOString()),
          manager: m,
        },
      );
    }
  }

  // Update cadence: a reminder when the next public update is due.
  const nextDue = nextPublicUpdateDue({
    cadenceMinutes: row.cadenceMinutes,
    state: incident.state,
    isPublic: incident.isPublic,
    lastPublicUpdateAt: row.lastPublicUpdateAt,
    openedAt: incident.createdAt,
  });
  if (nextDue) {
    await beacon.jobs.send(
      SLA_CADENCE_JOB,
      { incidentId: incident.id },
      { startAfter: nextDue, id: stableJobId(incident.id, "cadence", nextDue.toISOString()), manager: m },
    );
  }

  // Auto-close: resolved with a policy that allows it; the job works out when the rule is met.
  if (incident.state === IncidentState.RESOLVED && row.autoClose) {
    await beacon.jobs.send(
      SLA_AUTO_CLOSE_JOB,
      { incidentId: incident.id },
      {
        startAfter: now,
        id: stableJobId(incident.id, "autoClose", String(incident.version), now.toISOString()),
        manager: m,
      },
    );
  }
}

/** When the acknowledge clock reaches `n` times its target (escalation level n). */
function addTargets(c: StoredClock, n: number, cal: SlaCalendar): Date | null {
  const s = clockState(
    { ...c, targetSeconds: c.targetSeconds * n, warnedAt: null, breachedAt: null },
    c.openedAt,
    cal,
  );
  return s.dueAt;
}

/**
 * At start, for incidents older than service levels (rows the migration backfilled): completes what
 * the migration could not know (business-time figures and business-clock breaches, judged on the
 * configured calendar) and enqueues the timers of those still open. Enqueuing is idempotent (stable
 * job ids), so two instances starting together do no harm.
 */
export async function sweepSla(beacon: Beacon): Promise<number> {
  const cal = slaCalendar(beacon.config);
  const rows = await beacon.db.manager.find(IncidentSlaRecord, { where: { backfilled: true }, take: 10_000 });
  const now = beacon.clock.now();
  for (const r of rows) {
    await beacon.db.transaction(async (m) => {
      const row = await m.findOne(IncidentSlaRecord, {
        where: { incidentId: r.incidentId, backfilled: true },
        lock: { mode: "pessimistic_write" },
      });
      const incident = row ? await m.findOne<Incident>("Incident", { where: { id: row.incidentId } }) : null;
      if (!row || !incident) return;
      if (row.ackMetAt && row.ackBusinessSeconds === null) {
        row.ackBusinessSeconds = businessSecondsBetween(incident.createdAt, row.ackMetAt, cal);
        if (row.businessHours && !row.ackBreachedAt && row.ackBusinessSeconds > row.ackTargetSeconds) {
          row.ackBreachedAt = row.ackMetAt;
        }
      }
      if (row.resolveMetAt && row.resolveBusinessSeconds === null) {
        row.resolveBusinessSeconds = businessSecondsBetween(incident.createdAt, row.resolveMetAt, cal);
        if (
          row.businessHours &&
          !row.resolveBreachedAt &&
          row.resolveBusinessSeconds > row.resolveTargetSeconds
        ) {
          row.resolveBreachedAt = row.resolveMetAt;
        }
      }
      row.backfilled = false;
      await saveIncidentSla(m, row, incident, beacon.config);
      if (incident.state !== IncidentState.CLOSED && incident.state !== IncidentState.CANCELED) {
        await scheduleSlaJobs(beacon, m, row, incident, null, now);
      }
    });
  }
  return rows.length + (await retimeBusinessClocks(beacon, now));
}

/**
 * At start: running business-hours clocks whose stored due time is not the one the configured
 * calendar gives (business hours, time zone or holidays changed since, BEACON_BUSINESS_HOURS ...)
 * get it recomputed and their timers enqueued for it. Timers of the old due time find nothing to do
 * when they fire (they re-check). 24x7 clocks do not depend on the calendar. Returns how many moved.
 */
async function retimeBusinessClocks(beacon: Beacon, now: Date): Promise<number> {
  const cal = slaCalendar(beacon.config);
  const running = await beacon.db.manager
    .createQueryBuilder(IncidentSlaRecord, "s")
    .innerJoinAndSelect("s.incident", "i")
    .where("s.businessHours = true AND s.nextDueAt IS NOT NULL")
    // One incident per row (a one-to-one join): a plain LIMIT, not take()'s extra id query.
    .limit(10_000)
    .getMany();
  let moved = 0;
  for (const r of running) {
    const due = nextDueAt(Object.values(storedClocks(r, r.incident!)), cal);
    if (due?.getTime() === r.nextDueAt?.getTime()) continue;
    await beacon.db.transaction(async (m) => {
      const row = await m.findOne(IncidentSlaRecord, {
        where: { incidentId: r.incidentId },
        lock: { mode: "pessimistic_write" },
      });
      const incident = row ? await m.findOne<Incident>("Incident", { where: { id: row.incidentId } }) : null;
      if (!row || !incident) return;
      const before = row.nextDueAt?.getTime();
      await saveIncidentSla(m, row, incident, beacon.config);
      if (row.nextDueAt?.getTime() === before) return;
      moved++;
      await scheduleSlaJobs(beacon, m, row, incident, null, now);
    });
  }
  if (moved > 0) {
    beacon.log.info({ moved }, "business-hours SLA due times follow the configured calendar again");
  }
  return moved;
}
