// Scheduled maintenance that moves on by itself: the timer jobs (auto start and end, reminders),
// enqueued in the command's transaction, and the start-up sweep for windows that came due meanwhile.
import { type EntityManager, In } from "typeorm";
import {
  ACTIVE_MAINTENANCE_STATES,
  dueAutoStep,
  MaintenanceState,
  reminderDue,
  reminderTimes,
} from "../domain/maintenance";
import { StatusEventKind } from "../domain/vocabulary";
import { appendEvent } from "../events";
import { SYSTEM_ACTOR } from "../history";
import { stableJobId } from "../jobs";
import type { Beacon } from "../kernel/context";
import { BeaconError } from "../kernel/errors";
import { Maintenance } from "./maintenance.entity";
import { maintenanceView } from "./maintenance.queries";
import { transitionIn } from "./maintenance.write";

export const AUTO_JOB = "maintenance.auto";
export const REMINDER_JOB = "maintenance.reminder";

/** A stable job id per (window, purpose, time): sending it twice enqueues one job. */
export const jobId = stableJobId;

/**
 * The timers of a window, enqueued in the command's transaction: an auto step at its start and at
 * its end (each job does whatever is due when it runs, see runAutoStep) and the reminders. Old
 * timers of a moved window find nothing to do when they fire.
 */
export async function scheduleTimers(beacon: Beacon, m: EntityManager, row: Maintenance, now: Date) {
  if (row.autoTransition) {
    for (const at of [row.scheduledStart, row.scheduledEnd]) {
      await beacon.jobs.send(
        AUTO_JOB,
        { maintenanceId: row.id },
        { startAfter: at, id: jobId(row.id, "auto", at.toISOString()), manager: m },
      );
    }
  }
  if (row.state === MaintenanceState.SCHEDULED) {
    for (const r of reminderTimes(row.scheduledStart, beacon.config.maintenanceReminderMinutes, now)) {
      await beacon.jobs.send(
        REMINDER_JOB,
        { maintenanceId: row.id, leadMinutes: r.leadMinutes, forStart: row.scheduledStart.toISOString() },
        {
          startAfter: r.at,
          id: jobId(row.id, "reminder", String(r.leadMinutes), row.scheduledStart.toISOString()),
          manager: m,
        },
      );
    }
  }
}

/**
 * autoTransition: whatever is due for this window now, done by the system through the same write
 * path. Each step is its own transaction; a window that was started, moved, completed or canceled
 * by hand meanwhile simply has nothing due. Safe to run any number of times, in any instance.
 */
export async function runAutoStep(beacon: Beacon, maintenanceId: string): Promise<string[]> {
  const done: string[] = [];
  for (let i = 0; i < 2; i++) {
    const step = await beacon.db.transaction(async (m) => {
      const row = await m.findOne(Maintenance, {
        where: { id: maintenanceId },
        lock: { mode: "pessimistic_write" },
      });
      if (!row) return null;
      const due = dueAutoStep(row, beacon.clock.now());
      if (!due) return null;
      await transitionIn(m, SYSTEM_ACTOR, row, due, {}, beacon.clock.now());
      return due;
    });
    if (!step) break;
    done.push(step);
  }
  return done;
}

/** A reminder, published once (the reminder row is the proof), and only if still due. */
export async function sendReminder(
  beacon: Beacon,
  maintenanceId: string,
  leadMinutes: number,
  forStart: Date,
): Promise<boolean> {
  return beacon.db.transaction(async (m) => {
    const row = await m.findOne(Maintenance, {
      where: { id: maintenanceId },
      lock: { mode: "pessimistic_write" },
    });
    const now = beacon.clock.now();
    if (!row || !reminderDue(row, forStart, now)) return false;
    const inserted: unknown[] = await m.query(
      `INSERT INTO maintenance_reminder (maintenance_id, lead_minutes, for_start, sent_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING maintenance_id`,
      [row.id, leadMinutes, forStart, now],
    );
    if (inserted.length === 0) return false;
    await appendEvent(m, {
      kind: StatusEventKind.MAINTENANCE_REMINDER,
      at: now,
      isPublic: true,
      payload: { maintenance: await maintenanceView(m, row), leadMinutes },
    });
    return true;
  });
}

/**
 * At start: windows whose step is due (their time passed while no Beacon ran, or their timer was
 * lost) get a job now. The job does the step once, whichever instance runs it.
 */
export async function sweepDueMaintenances(beacon: Beacon): Promise<number> {
  const now = beacon.clock.now();
  const rows = await beacon.db.manager.find(Maintenance, {
    where: { state: In([...ACTIVE_MAINTENANCE_STATES]), autoTransition: true },
  });
  let n = 0;
  for (const row of rows) {
    if (!dueAutoStep(row, now)) continue;
    await beacon.jobs.send(
      AUTO_JOB,
      { maintenanceId: row.id },
      { id: jobId(row.id, "sweep", row.state, String(row.version)) },
    );
    n++;
  }
  return n;
}

/** The feature's jobs, defined while Beacon is assembled (docs/jobs.md). */
export function defineMaintenanceJobs(beacon: Beacon): void {
  beacon.jobs.define<{ maintenanceId: string }>({
    name: AUTO_JOB,
    retryLimit: 10,
    retryDelay: 5,
    handler: async ({ maintenanceId }) => {
      try {
        const steps = await runAutoStep(beacon, maintenanceId);
        if (steps.length) beacon.log.info({ maintenanceId, steps }, "maintenance moved on by itself");
      } catch (e) {
        // A refusal means someone got there first: nothing to do. Anything else is retried.
        if (e instanceof BeaconError) return;
        throw e;
      }
    },
  });
  beacon.jobs.define<{ maintenanceId: string; leadMinutes: number; forStart: string }>({
    name: REMINDER_JOB,
    retryLimit: 5,
    handler: async ({ maintenanceId, leadMinutes, forStart }) => {
      await sendReminder(beacon, maintenanceId, leadMinutes, new Date(forStart));
    },
  });
}
