import { createHash } from "node:crypto";
import { type EntityManager, In } from "typeorm";
import {
  ACTIVE_MAINTENANCE_STATES,
  commandForUpdateState,
  decideMaintenanceCommand,
  decideWindowEdit,
  dueAutoStep,
  MAINTENANCE_STATE_LABELS,
  MAX_DESCRIPTION,
  MAX_TITLE,
  type MaintenanceCommand,
  MaintenanceState,
  RUNNING_MAINTENANCE_STATES,
  reminderDue,
  reminderTimes,
  restoreDecision,
  validateNewWindow,
} from "../domain/maintenance";
import { serviceStatusLabel } from "../domain/status";
import { requireText } from "../domain/text";
import { ErrorCode, ServiceStatus, StatusEventKind } from "../domain/vocabulary";
import { appendEvent } from "../events";
import {
  type Author,
  authorFields,
  checkVersion,
  type FieldChanges,
  historyOf,
  recordCommand,
  SYSTEM_ACTOR,
} from "../history";
import type { Beacon, Principal } from "../kernel/context";
import { BeaconError, badInput, isUuid, orThrow } from "../kernel/errors";
import { lockById } from "../kernel/lock";
import { changeServiceStatus, type PublicServiceView, publicService } from "../services";
import { Service } from "../services/service.entity";
import { Maintenance, MaintenanceService, MaintenanceUpdate } from "./maintenance.entity";

export const AUTO_JOB = "maintenance.auto";
export const REMINDER_JOB = "maintenance.reminder";

export interface MaintenanceUpdateView {
  id: string;
  state: MaintenanceState;
  message: string;
  at: Date;
}

/** The public projection of a window: every field may be shown anonymously. */
export interface MaintenanceView {
  id: string;
  title: string;
  description: string | null;
  state: MaintenanceState;
  services: PublicServiceView[];
  scheduledStart: Date;
  scheduledEnd: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  autoTransition: boolean;
  updates: MaintenanceUpdateView[];
  version: number;
  /** Public too (Statuspage's `created_at`/`updated_at`, the calendar's DTSTAMP); not GraphQL fields. */
  createdAt: Date;
  updatedAt: Date;
  canceledAt: Date | null;
}

/** Views of many windows with three queries, whatever their number. */
export async function maintenanceViews(m: EntityManager, rows: Maintenance[]): Promise<MaintenanceView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const links = await m.find(MaintenanceService, {
    where: { maintenanceId: In(ids) },
    order: { position: "ASC" },
  });
  const services = links.length
    ? await m.find(Service, { where: { id: In([...new Set(links.map((l) => l.serviceId))]) } })
    : [];
  const byId = new Map(services.map((s) => [s.id, publicService(s)]));
  const updates = await m.find(MaintenanceUpdate, {
    where: { maintenanceId: In(ids) },
    order: { position: "DESC" },
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    state: r.state,
    services: links
      .filter((l) => l.maintenanceId === r.id)
      .map((l) => byId.get(l.serviceId))
      .filter((s): s is PublicServiceView => s !== undefined),
    scheduledStart: r.scheduledStart,
    scheduledEnd: r.scheduledEnd,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    autoTransition: r.autoTransition,
    updates: updates
      .filter((u) => u.maintenanceId === r.id)
      .map((u) => ({ id: u.id, state: u.state, message: u.message, at: u.at })),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    canceledAt: r.canceledAt,
  }));
}

export async function maintenanceView(m: EntityManager, row: Maintenance): Promise<MaintenanceView> {
  const [view] = await maintenanceViews(m, [row]);
  if (!view) throw new Error(`maintenance ${row.id}: no view was built for it`);
  return view;
}

/** Newest start first; `states` narrows. */
export async function listMaintenances(
  m: EntityManager,
  states: MaintenanceState[] | null | undefined,
  first: number,
): Promise<MaintenanceView[]> {
  const rows = await m.find(Maintenance, {
    where: states?.length ? { state: In(states) } : {},
    order: { scheduledStart: "DESC", id: "DESC" },
    take: first,
  });
  return maintenanceViews(m, rows);
}

/** Upcoming and in-progress windows, soonest first: what the status page announces. */
export async function activeMaintenances(m: EntityManager): Promise<MaintenanceView[]> {
  const rows = await m.find(Maintenance, {
    where: { state: In([...ACTIVE_MAINTENANCE_STATES]) },
    order: { scheduledStart: "ASC", id: "ASC" },
  });
  return maintenanceViews(m, rows);
}

/** What the calendar feed lists: upcoming and running windows, and those finished since `since` (so calendars see a cancellation). */
export async function calendarMaintenances(m: EntityManager, since: Date): Promise<MaintenanceView[]> {
  const rows = await m
    .createQueryBuilder(Maintenance, "w")
    .where("w.state IN (:...active) OR w.updatedAt >= :since", {
      active: [...ACTIVE_MAINTENANCE_STATES],
      since,
    })
    .orderBy("w.scheduledStart", "ASC")
    .addOrderBy("w.id", "ASC")
    .take(500)
    .getMany();
  return maintenanceViews(m, rows);
}

export async function findMaintenance(m: EntityManager, id: string): Promise<MaintenanceView | null> {
  if (!isUuid(id)) return null;
  const row = await m.findOne(Maintenance, { where: { id } });
  return row ? maintenanceView(m, row) : null;
}

export function maintenanceHistory(beacon: Beacon, id: string) {
  return historyOf(beacon.db.manager, "maintenance", id);
}

async function lockMaintenance(m: EntityManager, id: string): Promise<Maintenance> {
  return lockById(m, Maintenance, id, "maintenance");
}

const versionCheck = (row: Maintenance, expected: number | null) =>
  checkVersion(
    row.version,
    expected,
    (current, sent) =>
      `Maintenance "${row.title}" was changed meanwhile (version ${current}, you sent ${sent}); reload it and retry.`,
  );

async function knownServiceIds(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Set();
  const rows = await m.find(Service, { where: { id: In(valid) }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

const optionalDescription = (v: string | null | undefined) =>
  v === null || v === undefined || v.trim() === ""
    ? null
    : orThrow(requireText("description", v, MAX_DESCRIPTION));

/** A stable job id per (window, purpose, time): sending it twice enqueues one job. */
export function jobId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The timers of a window, enqueued in the command's transaction: an auto step at its start and at
 * its end (each job does whatever is due when it runs, see runAutoStep) and the reminders. Old
 * timers of a moved window find nothing to do when they fire.
 */
async function scheduleTimers(beacon: Beacon, m: EntityManager, row: Maintenance, now: Date) {
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
 * Documents the change (the window's new version, by `author`) and publishes the window as the
 * public event, through the one recording every versioned subject shares.
 */
async function recordAndPublish(
  m: EntityManager,
  author: Author,
  row: Maintenance,
  description: string,
  changes: FieldChanges,
  kind: StatusEventKind,
  at: Date,
) {
  await recordCommand(
    m,
    author,
    { subjectType: "maintenance", subjectId: row.id, version: row.version, description, changes, at },
    { kind, at, isPublic: true, payload: { maintenance: await maintenanceView(m, row) } },
  );
}

async function lockedServices(m: EntityManager, maintenanceId: string) {
  const links = await m.find(MaintenanceService, { where: { maintenanceId }, order: { serviceId: "ASC" } });
  // Locked in id order, like every multi-service command, so two commands never deadlock.
  const services = links.length
    ? await m.find(Service, {
        where: { id: In(links.map((l) => l.serviceId)) },
        order: { id: "ASC" },
        lock: { mode: "pessimistic_write" },
      })
    : [];
  const byId = new Map(services.map((s) => [s.id, s]));
  return links.flatMap((l) => (byId.has(l.serviceId) ? [{ link: l, service: byId.get(l.serviceId)! }] : []));
}

export interface ScheduleInput {
  title: string;
  description?: string | null;
  serviceIds: string[];
  scheduledStart: Date;
  scheduledEnd: Date;
  autoTransition?: boolean | null;
}

export async function scheduleMaintenance(
  beacon: Beacon,
  actor: Principal,
  input: ScheduleInput,
): Promise<MaintenanceView> {
  const title = orThrow(requireText("title", input.title, MAX_TITLE), { field: "title" });
  const description = optionalDescription(input.description);
  return beacon.db.transaction(async (m) => {
    const now = beacon.clock.now();
    const known = await knownServiceIds(m, input.serviceIds);
    const window = validateNewWindow(input, known, now);
    if (!window.ok) throw badInput(fieldOf(window.message), window.message);
    const row = await m.save(
      m.create(Maintenance, {
        title,
        description,
        state: MaintenanceState.SCHEDULED,
        scheduledStart: window.value.scheduledStart,
        scheduledEnd: window.value.scheduledEnd,
        startedAt: null,
        completedAt: null,
        canceledAt: null,
        cancelReason: null,
        autoTransition: input.autoTransition ?? true,
        version: 1,
        createdById: actor.user.id,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await m.save(
      window.value.serviceIds.map((serviceId, position) =>
        m.create(MaintenanceService, {
          maintenanceId: row.id,
          serviceId,
          position,
          previousStatus: null,
          versionAfterStart: null,
        }),
      ),
    );
    await recordAndPublish(
      m,
      actor,
      row,
      `Scheduled maintenance "${title}"`,
      {
        title: { from: null, to: title },
        state: { from: null, to: row.state },
        scheduledStart: { from: null, to: row.scheduledStart.toISOString() },
        scheduledEnd: { from: null, to: row.scheduledEnd.toISOString() },
        serviceIds: { from: null, to: window.value.serviceIds },
        autoTransition: { from: null, to: row.autoTransition },
      },
      StatusEventKind.MAINTENANCE_SCHEDULED,
      now,
    );
    await scheduleTimers(beacon, m, row, now);
    return maintenanceView(m, row);
  });
}

/** Which field a validation message is about (the domain names it first). */
function fieldOf(message: string): string {
  const f = ["scheduledStart", "scheduledEnd", "serviceIds"].find((k) => message.startsWith(k));
  return f ?? "input";
}

export interface EditInput {
  title?: string | null;
  description?: string | null;
  serviceIds?: string[] | null;
  scheduledStart?: Date | null;
  scheduledEnd?: Date | null;
  autoTransition?: boolean | null;
}

export async function updateMaintenance(
  beacon: Beacon,
  actor: Principal,
  id: string,
  expectedVersion: number,
  input: EditInput,
): Promise<MaintenanceView> {
  return beacon.db.transaction(async (m) => {
    const row = await lockMaintenance(m, id);
    versionCheck(row, expectedVersion);
    const now = beacon.clock.now();
    const links = await m.find(MaintenanceService, {
      where: { maintenanceId: row.id },
      order: { position: "ASC" },
    });
    const known = await knownServiceIds(m, input.serviceIds ?? []);
    const d = decideWindowEdit(
      {
        state: row.state,
        scheduledStart: row.scheduledStart,
        scheduledEnd: row.scheduledEnd,
        serviceIds: links.map((l) => l.serviceId),
      },
      input,
      known,
      now,
    );
    if (!d.ok) {
      if (d.code === ErrorCode.BAD_USER_INPUT) throw badInput(fieldOf(d.message), d.message);
      orThrow(d);
      throw new Error("unreachable");
    }
    const next = {
      title:
        input.title === undefined || input.title === null
          ? row.title
          : orThrow(requireText("title", input.title, MAX_TITLE), { field: "title" }),
      description: input.description === undefined ? row.description : optionalDescription(input.description),
      autoTransition: input.autoTransition ?? row.autoTransition,
      scheduledStart: d.value.scheduledStart,
      scheduledEnd: d.value.scheduledEnd,
    };
    const changes: FieldChanges = {};
    for (const k of ["title", "description", "autoTransition"] as const) {
      if (row[k] !== next[k]) changes[k] = { from: row[k], to: next[k] };
    }
    for (const k of ["scheduledStart", "scheduledEnd"] as const) {
      if (row[k].getTime() !== next[k].getTime())
        changes[k] = { from: row[k].toISOString(), to: next[k].toISOString() };
    }
    const before = links.map((l) => l.serviceId);
    const servicesChanged =
      before.length !== d.value.serviceIds.length || before.some((s, i) => s !== d.value.serviceIds[i]);
    if (servicesChanged) changes.serviceIds = { from: before, to: d.value.serviceIds };
    if (Object.keys(changes).length === 0) return maintenanceView(m, row);
    Object.assign(row, next, { version: row.version + 1, updatedAt: now });
    await m.save(row);
    if (servicesChanged) {
      await m.delete(MaintenanceService, { maintenanceId: row.id });
      await m.save(
        d.value.serviceIds.map((serviceId, position) =>
          m.create(MaintenanceService, {
            maintenanceId: row.id,
            serviceId,
            position,
            previousStatus: null,
            versionAfterStart: null,
          }),
        ),
      );
    }
    const note = d.value.startIgnored ? " (it has started: only its end moved)" : "";
    await recordAndPublish(
      m,
      actor,
      row,
      `Changed ${Object.keys(changes).join(", ")} of maintenance "${row.title}"${note}`,
      changes,
      StatusEventKind.MAINTENANCE_UPDATED,
      now,
    );
    if (changes.scheduledStart || changes.scheduledEnd || changes.autoTransition)
      await scheduleTimers(beacon, m, row, now);
    return maintenanceView(m, row);
  });
}

const DEFAULT_MESSAGES: Partial<Record<MaintenanceCommand, string>> = {
  start: "The scheduled maintenance is in progress. We will provide updates as necessary.",
  verify: "Work is done; we are verifying that everything works as expected.",
  complete: "The scheduled maintenance has been completed.",
};

const EVENT_OF: Partial<Record<MaintenanceCommand, StatusEventKind>> = {
  start: StatusEventKind.MAINTENANCE_STARTED,
  verify: StatusEventKind.MAINTENANCE_UPDATED,
  complete: StatusEventKind.MAINTENANCE_COMPLETED,
  cancel: StatusEventKind.MAINTENANCE_CANCELED,
  postUpdate: StatusEventKind.MAINTENANCE_UPDATED,
};

/**
 * Every state change and public update goes through here, by a person or by Beacon itself, in one
 * transaction: lock, domain decision, write (the services too), update row, change record, event.
 */
async function transitionIn(
  m: EntityManager,
  author: Author,
  row: Maintenance,
  command: MaintenanceCommand,
  opts: { message?: string | null; reason?: string | null },
  now: Date,
): Promise<void> {
  const to = orThrow(decideMaintenanceCommand(row.state, command)) ?? row.state;
  const from = row.state;
  const changes: FieldChanges = {};
  if (to !== from) changes.state = { from, to };
  const notes: string[] = [];
  if (command === "start") {
    row.startedAt = now;
    changes.startedAt = { from: null, to: now.toISOString() };
    for (const { link, service } of await lockedServices(m, row.id)) {
      if (service.status === ServiceStatus.UNDER_MAINTENANCE) {
        link.previousStatus = null;
        link.versionAfterStart = null;
        notes.push(`"${service.name}" was already under maintenance`);
      } else {
        link.previousStatus = service.status;
        await changeServiceStatus(
          m,
          author,
          service,
          ServiceStatus.UNDER_MAINTENANCE,
          now,
          `maintenance "${row.title}" started`,
        );
        link.versionAfterStart = service.version;
      }
      await m.save(link);
    }
  }
  const ending =
    (command === "complete" || command === "cancel") && RUNNING_MAINTENANCE_STATES.includes(from);
  if (command === "complete") {
    row.completedAt = now;
    changes.completedAt = { from: null, to: now.toISOString() };
  }
  if (command === "cancel") {
    row.canceledAt = now;
    row.cancelReason = opts.reason ?? null;
    changes.cancelReason = { from: null, to: row.cancelReason };
  }
  if (ending) {
    const restored: string[] = [];
    const leftAlone: string[] = [];
    for (const { link, service } of await lockedServices(m, row.id)) {
      const d = restoreDecision(link, service);
      if (d.restore) {
        await changeServiceStatus(
          m,
          author,
          service,
          d.to as ServiceStatus,
          now,
          `maintenance "${row.title}" ended`,
        );
        restored.push(service.name);
      } else if (link.previousStatus !== null) {
        leftAlone.push(service.name);
        notes.push(`"${service.name}" left ${serviceStatusLabel(service.status)}: ${d.why}`);
      }
    }
    if (restored.length) changes.servicesRestored = { from: null, to: restored };
    if (leftAlone.length) changes.servicesLeftAlone = { from: null, to: leftAlone };
  }
  row.state = to;
  row.version += 1;
  row.updatedAt = now;
  await m.save(row);
  const message =
    opts.message?.trim() ||
    (command === "cancel"
      ? `This scheduled maintenance has been canceled: ${opts.reason}`
      : DEFAULT_MESSAGES[command]) ||
    null;
  if (message) {
    const position = (await m.count(MaintenanceUpdate, { where: { maintenanceId: row.id } })) + 1;
    await m.save(
      m.create(MaintenanceUpdate, {
        maintenanceId: row.id,
        position,
        state: to,
        message,
        at: now,
        authorId: authorFields(author).authorId,
      }),
    );
    changes.update = { from: null, to: message };
  }
  const what =
    command === "postUpdate"
      ? `Posted an update on maintenance "${row.title}"`
      : `${MAINTENANCE_STATE_LABELS[from]} -> ${MAINTENANCE_STATE_LABELS[to]}: maintenance "${row.title}"${"system" in author ? " (automatic, at the scheduled time)" : ""}`;
  const kind = EVENT_OF[command];
  if (!kind) throw new Error(`maintenance command "${command}" has no public event kind`);
  await recordAndPublish(
    m,
    author,
    row,
    notes.length ? `${what}. ${notes.join("; ")}.` : what,
    changes,
    kind,
    now,
  );
}

async function command(
  beacon: Beacon,
  author: Author,
  id: string,
  expectedVersion: number | null,
  make: (row: Maintenance) => {
    command: MaintenanceCommand;
    message?: string | null;
    reason?: string | null;
  },
): Promise<MaintenanceView> {
  return beacon.db.transaction(async (m) => {
    const row = await lockMaintenance(m, id);
    versionCheck(row, expectedVersion);
    const c = make(row);
    await transitionIn(m, author, row, c.command, c, beacon.clock.now());
    return maintenanceView(m, row);
  });
}

export const startMaintenance = (beacon: Beacon, actor: Principal, id: string, expectedVersion: number) =>
  command(beacon, actor, id, expectedVersion, () => ({ command: "start" }));

export const completeMaintenance = (beacon: Beacon, actor: Principal, id: string, expectedVersion: number) =>
  command(beacon, actor, id, expectedVersion, () => ({ command: "complete" }));

export function cancelMaintenance(
  beacon: Beacon,
  actor: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = orThrow(requireText("reason", reason, 2000), { field: "reason" });
  return command(beacon, actor, id, expectedVersion, () => ({ command: "cancel", reason: why }));
}

export function postMaintenanceUpdate(
  beacon: Beacon,
  actor: Principal,
  id: string,
  expectedVersion: number,
  message: string,
  state: MaintenanceState | null | undefined,
) {
  const text = orThrow(requireText("message", message, MAX_DESCRIPTION), { field: "message" });
  return command(beacon, actor, id, expectedVersion, (row) => {
    const c = commandForUpdateState(row.state, state);
    if (!c.ok && c.code === ErrorCode.BAD_USER_INPUT) throw badInput("state", c.message);
    return { command: orThrow(c), message: text };
  });
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
