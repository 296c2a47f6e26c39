// What Beacon itself does to an incident when a service-level timer fires (docs/service-levels.md):
// warnings and breaches, escalation, update-cadence reminders, closing by rule. Each is one run of
// the incident engine by the system (lock, lifecycle, timeline, outbox), re-checking the stored
// clocks first: a timer that fires for a time that moved (hold, retarget, acknowledged) does nothing
// or re-schedules itself. Safe to run any number of times, in any instance.
import type { EntityManager } from "typeorm";
import { User } from "../../auth/user.entity";
import { evaluateClosure, MIN_ATTEMPTS, MIN_BUSINESS_DAYS, MIN_METHODS } from "../../domain/closure";
import {
  AUTO_CLOSE_NEVER,
  alarmDue,
  type ClockName,
  clockState,
  durationWords,
  escalationLevelDue,
  nextPublicUpdateDue,
  publicUpdateOwner,
} from "../../domain/sla";
import { IncidentState, TimelineKind } from "../../domain/vocabulary";
import { SYSTEM_ACTOR } from "../../history";
import { stableJobId } from "../../jobs";
import type { Beacon } from "../../kernel/context";
import { BeaconError } from "../../kernel/errors";
import { incidentManagerIds, notifyUsers, queueMemberIds } from "../../notifications";
import { Queue } from "../../queues/queue.entity";
import {
  SLA_ALARM_JOB,
  SLA_AUTO_CLOSE_JOB,
  SLA_CADENCE_JOB,
  SLA_ESCALATION_JOB,
  type SlaAlarmJob,
  type SlaIncidentJob,
  saveIncidentSla,
  slaCalendar,
  storedClocks,
} from "../../sla";
import { IncidentSlaRecord } from "../../sla/incident-sla.entity";
import { type CommandSpec, run } from "../command-engine";
import type { Incident } from "../incident.entity";
import { closureFacts, incidentNumber, timelineOf } from "../incident.queries";

const CLOCK_WORDS: Record<ClockName, string> = { acknowledge: "Acknowledge", resolve: "Resolve" };

/**
 * The id of a timer a handler re-schedules: derived from the job that found it early too, so a job
 * that fired a moment early (clocks of two machines) does not collide with its own id and vanish.
 */
const againId = (jobId: string, ...parts: string[]) => stableJobId(...parts, "again", jobId);

async function lockSla(m: EntityManager, incidentId: string): Promise<IncidentSlaRecord | null> {
  return m.findOne(IncidentSlaRecord, { where: { incidentId }, lock: { mode: "pessimistic_write" } });
}

/**
 * One run of the incident engine by the system for a timer. False when the engine refused it: the
 * incident was closed or canceled meanwhile, so there is nothing left to do.
 */
async function runForTimer(beacon: Beacon, incidentId: string, spec: Omit<CommandSpec, "expectedVersion">) {
  try {
    await run(beacon, SYSTEM_ACTOR, incidentId, { ...spec, expectedVersion: null });
    return true;
  } catch (e) {
    if (e instanceof BeaconError) return false;
    throw e;
  }
}

/** Who hears about an incident's service levels: its assignee, its queue's members, the incident managers. */
export async function slaAudience(m: EntityManager, incident: Incident): Promise<string[]> {
  return [
    ...(incident.assigneeId ? [incident.assigneeId] : []),
    ...(incident.queueId ? await queueMemberIds(m, incident.queueId) : []),
    ...(await incidentManagerIds(m, { includeAdmins: false })),
  ];
}

/**
 * A warning or breach of one clock, documented once (incident_sla's *_warned_at / *_breached_at is the
 * proof): a timeline entry by the system, the event on the incident's streams, and a notice to the
 * assignee, the queue and the incident managers. Returns what it did.
 */
export async function fireSlaAlarm(
  beacon: Beacon,
  job: SlaAlarmJob,
  jobId = "direct",
): Promise<"fired" | "rescheduled" | "nothing"> {
  let outcome: "fired" | "rescheduled" | "nothing" = "nothing";
  // Closed or canceled meanwhile: nothing to warn about.
  const ran = await runForTimer(beacon, job.incidentId, {
    command: "slaAlarm",
    lifecycleAs: "addNote",
    versioned: false,
    apply: async ({ m, incident, now }) => {
      const row = await lockSla(m, incident.id);
      if (!row) return null;
      const cal = slaCalendar(beacon.config);
      const c = storedClocks(row, incident)[job.clock];
      const due = alarmDue(c, job.kind, now, cal, beacon.config.slaWarnPercent);
      if (due.due === "later") {
        await beacon.jobs.send(SLA_ALARM_JOB, job, {
          startAfter: due.at,
          id: againId(jobId, incident.id, "sla", job.clock, job.kind, due.at.toISOString()),
          manager: m,
        });
        outcome = "rescheduled";
        return null;
      }
      if (due.due !== "now") return null;
      const s = clockState(c, now, cal, beacon.config.slaWarnPercent);
      if (job.kind === "WARNING") {
        if (job.clock === "acknowledge") row.ackWarnedAt = now;
        else row.resolveWarnedAt = now;
      } else if (job.clock === "acknowledge") row.ackBreachedAt = now;
      else row.resolveBreachedAt = now;
      await saveIncidentSla(m, row, incident, beacon.config);
      const ref = incidentNumber(incident.seqNumber);
      const target = durationWords(s.targetSeconds, c.business);
      const left = durationWords(Math.max(0, s.remainingSeconds), c.business);
      const body =
        job.kind === "WARNING"
          ? `${CLOCK_WORDS[job.clock]} target at risk: ${left} left of ${target} (${incident.priority}).`
          : `${CLOCK_WORDS[job.clock]} target missed: ${target} passed (${incident.priority}).`;
      await notifyUsers(m, {
        userIds: await slaAudience(m, incident),
        // One kind (and one email preference) for "about to breach, or breached".
        kind: "SLA_WARNING",
        title: `${ref}: ${body}`,
        incidentId: incident.id,
      });
      outcome = "fired";
      return {
        description: "",
        timeline: {
          kind: job.kind === "WARNING" ? TimelineKind.SLA_WARNING : TimelineKind.SLA_BREACH,
          body,
          data: {
            clock: job.clock,
            targetSeconds: s.targetSeconds,
            elapsedSeconds: s.elapsedSeconds,
            businessHours: c.business,
          },
        },
      };
    },
  });
  if (!ran) return "nothing";
  return outcome;
}

/**
 * Escalation of an incident waiting unacknowledged in a queue: level 1 (the queue's manager, or the
 * incident managers when the queue has none) once the acknowledge target passed, level 2 (the
 * incident managers) after another target period. Each level documented once on the timeline.
 */
export async function escalateIncident(
  beacon: Beacon,
  job: SlaIncidentJob,
  jobId = "direct",
): Promise<number> {
  let reached = 0;
  // The first escalation is due the moment the acknowledge target is missed, as is that breach, each
  // in its own job: the breach is documented first here (once: its own job then finds it done; a
  // no-op when already documented or not due), so the timeline reads "missed", then "escalated".
  await fireSlaAlarm(beacon, { incidentId: job.incidentId, clock: "acknowledge", kind: "BREACH" }, jobId);
  const ran = await runForTimer(beacon, job.incidentId, {
    command: "escalate",
    lifecycleAs: "addNote",
    versioned: false,
    apply: async ({ m, incident, now }) => {
      const row = await lockSla(m, incident.id);
      if (!row || incident.state !== IncidentState.ASSIGNED || row.ackMetAt || !incident.queueId) return null;
      const cal = slaCalendar(beacon.config);
      const c = storedClocks(row, incident).acknowledge;
      const s = clockState(c, now, cal, beacon.config.slaWarnPercent);
      const level = escalationLevelDue(s.elapsedSeconds, s.targetSeconds);
      if (level <= row.escalationLevel) {
        if (row.escalationLevel < 2) {
          const at = clockState(
            { ...c, targetSeconds: c.targetSeconds * (row.escalationLevel + 1) },
            now,
            cal,
          ).dueAt;
          if (at && at > now) {
            await beacon.jobs.send(SLA_ESCALATION_JOB, job, {
              startAfter: at,
              id: againId(
                jobId,
                incident.id,
                "escalation",
                String(row.escalationLevel + 1),
                at.toISOString(),
              ),
              manager: m,
            });
          }
        }
        return null;
      }
      const queue = await m.findOne(Queue, { where: { id: incident.queueId } });
      const manager =
        level === 1 && queue?.managerId
          ? await m.findOne(User, { where: { id: queue.managerId, active: true } })
          : null;
      const managers = await incidentManagerIds(m, { includeAdmins: false });
      const to = manager ? [manager.id] : managers;
      const whom = manager
        ? `${manager.name}, manager of queue "${queue?.name ?? "?"}"`
        : `the incident managers${level === 1 ? ` (queue "${queue?.name ?? "?"}" has no manager)` : ""}`;
      const waited = durationWords(s.elapsedSeconds, c.business);
      const body = `Not acknowledged after ${waited} (target ${durationWords(s.targetSeconds, c.business)}): escalated to ${whom}.`;
      row.escalationLevel = level;
      await saveIncidentSla(m, row, incident, beacon.config);
      if (level < 2) {
        const at = clockState({ ...c, targetSeconds: c.targetSeconds * 2 }, now, cal).dueAt;
        if (at) {
          await beacon.jobs.send(SLA_ESCALATION_JOB, job, {
            startAfter: new Date(Math.max(at.getTime(), now.getTime())),
            id: stableJobId(incident.id, "escalation", "2", at.toISOString()),
            manager: m,
          });
        }
      }
      await notifyUsers(m, {
        userIds: to,
        kind: "ESCALATION",
        title: `${incidentNumber(incident.seqNumber)} escalated to you: ${body}`,
        incidentId: incident.id,
      });
      reached = level;
      return {
        description: "",
        timeline: {
          kind: TimelineKind.ESCALATION,
          body,
          data: { level, to, queueId: incident.queueId, managerId: manager?.id ?? null },
        },
      };
    },
  });
  if (!ran) return 0;
  return reached;
}

/**
 * The update cadence: when the next public update of an open, public incident with a cadence (P1/P2
 * by default) is overdue, whoever is to post it (domain/sla `publicUpdateOwner`: the communications
 * lead, else the assignee, else the incident managers) is reminded, and the room's timeline says so
 * (PUBLIC_UPDATE_DUE, by the system, live on the incident's streams): once per due time, whichever
 * instance runs the job and however often (incident_sla.public_update_reminded_for is the proof).
 * A job that fires early (the due time moved on: a public update was posted) re-schedules itself.
 * Returns whether a reminder went out.
 */
export async function remindPublicUpdate(
  beacon: Beacon,
  job: SlaIncidentJob,
  jobId = "direct",
): Promise<boolean> {
  let reminded = false;
  // Closed or canceled meanwhile: nothing is due any more.
  const ran = await runForTimer(beacon, job.incidentId, {
    command: "publicUpdateDue",
    lifecycleAs: "addNote",
    versioned: false,
    apply: async ({ m, incident, now }) => {
      const row = await lockSla(m, incident.id);
      if (!row) return null;
      const due = nextPublicUpdateDue({
        cadenceMinutes: row.cadenceMinutes,
        state: incident.state,
        isPublic: incident.isPublic,
        lastPublicUpdateAt: row.lastPublicUpdateAt,
        openedAt: incident.createdAt,
      });
      if (!due) return null;
      if (due > now) {
        await beacon.jobs.send(SLA_CADENCE_JOB, job, {
          startAfter: due,
          id: againId(jobId, incident.id, "cadence", due.toISOString()),
          manager: m,
        });
        return null;
      }
      if (row.publicUpdateRemindedFor?.getTime() === due.getTime()) return null;
      row.publicUpdateRemindedFor = due;
      await saveIncidentSla(m, row, incident, beacon.config);
      const owner = publicUpdateOwner(incident.roomRoles?.COMMUNICATIONS_LEAD, incident.assigneeId);
      const person =
        owner.kind === "INCIDENT_MANAGERS" ? null : await m.findOne(User, { where: { id: owner.userId } });
      const to =
        owner.kind === "INCIDENT_MANAGERS"
          ? await incidentManagerIds(m, { includeAdmins: false })
          : [owner.userId];
      const whom =
        owner.kind === "INCIDENT_MANAGERS"
          ? "the incident managers (no communications lead or assignee)"
          : `${person?.name ?? "?"} (${owner.kind === "COMMUNICATIONS_LEAD" ? "communications lead" : "assignee"})`;
      const cadence = row.cadenceMinutes ?? 0;
      // No clock time in the words: readers are in many zones; the room shows data.dueAt in theirs.
      const body = `Public update overdue: ${incident.priority} asks for one every ${cadence} min while open. Reminded ${whom}.`;
      await notifyUsers(m, {
        userIds: to,
        kind: "PUBLIC_UPDATE_DUE",
        title: `${incidentNumber(incident.seqNumber)}: a public update was due at ${due.toISOString().slice(11, 16)} UTC (every ${cadence} min while open).`,
        incidentId: incident.id,
      });
      reminded = true;
      return {
        description: "",
        timeline: {
          kind: TimelineKind.PUBLIC_UPDATE_DUE,
          body,
          data: {
            dueAt: due.toISOString(),
            cadenceMinutes: cadence,
            lastPublicUpdateAt: row.lastPublicUpdateAt?.toISOString() ?? null,
            owner: owner.kind,
            to,
          },
        },
      };
    },
  });
  if (!ran) return false;
  return reminded;
}

/**
 * Closing by rule: a RESOLVED incident whose policy enables it (never a P1/P2, not even one lowered
 * since) is closed by the system as soon as its closure requirements are met: the customer's
 * confirmation, or the contact-attempt rule (3 unsuccessful attempts by 2 methods, the first and
 * last 5 business days apart). Time alone never meets that rule (the last attempt does), so the job
 * is enqueued by every command on a resolved incident and checks then. Returns whether it closed.
 */
export async function autoCloseIncident(beacon: Beacon, job: SlaIncidentJob): Promise<boolean> {
  let closed = false;
  const ran = await runForTimer(beacon, job.incidentId, {
    command: "close",
    versioned: true,
    apply: async ({ m, incident, now }) => {
      const row = await lockSla(m, incident.id);
      if (!row?.autoClose || incident.major) return null;
      if (AUTO_CLOSE_NEVER.includes(incident.priority) || AUTO_CLOSE_NEVER.includes(incident.peakPriority)) {
        return null;
      }
      const facts = closureFacts(incident, await timelineOf(m, incident.id));
      const decision = evaluateClosure(facts, {
        timeZone: beacon.config.timeZone,
        holidays: beacon.config.holidays,
      });
      if (!decision.ok) return null;
      const rule =
        decision.value.basis === "CUSTOMER_CONFIRMATION"
          ? "the customer confirmed the resolution"
          : `the customer could not be reached: ${MIN_ATTEMPTS} unsuccessful contact attempts by ${MIN_METHODS} methods over ${MIN_BUSINESS_DAYS} business days`;
      incident.closedAt = now;
      closed = true;
      return {
        description: `Closed by rule (${incident.priority} policy closes automatically): ${rule}`,
        timeline: {
          kind: TimelineKind.STATE_CHANGE,
          data: { basis: decision.value.basis, automatic: true },
        },
      };
    },
  });
  if (!ran) return false;
  return closed;
}

/** The feature's jobs, defined while Beacon is assembled (docs/jobs.md). */
export function defineSlaJobs(beacon: Beacon): void {
  beacon.jobs.define<SlaAlarmJob>({
    name: SLA_ALARM_JOB,
    retryLimit: 10,
    handler: async (job, info) => {
      await fireSlaAlarm(beacon, job, info.id);
    },
  });
  beacon.jobs.define<SlaIncidentJob>({
    name: SLA_ESCALATION_JOB,
    retryLimit: 10,
    handler: async (job, info) => {
      await escalateIncident(beacon, job, info.id);
    },
  });
  beacon.jobs.define<SlaIncidentJob>({
    name: SLA_CADENCE_JOB,
    retryLimit: 10,
    handler: async (job, info) => {
      await remindPublicUpdate(beacon, job, info.id);
    },
  });
  beacon.jobs.define<SlaIncidentJob>({
    name: SLA_AUTO_CLOSE_JOB,
    retryLimit: 10,
    handler: async (job) => {
      await autoCloseIncident(beacon, job);
    },
  });
}
