// The one write path of scheduled maintenance, shared by the commands (by a person) and the timers
// (by Beacon itself): lock, version check, domain decision, write, change record, public event.
import type { EntityManager } from "typeorm";
import { In } from "typeorm";
import {
  decideMaintenanceCommand,
  MAINTENANCE_STATE_LABELS,
  type MaintenanceCommand,
  RUNNING_MAINTENANCE_STATES,
  restoreDecision,
} from "../domain/maintenance";
import { serviceStatusLabel } from "../domain/status";
import { ServiceStatus, StatusEventKind } from "../domain/vocabulary";
import { type Author, authorFields, checkVersion, type FieldChanges, recordCommand } from "../history";
import { orThrow } from "../kernel/errors";
import { lockById } from "../kernel/lock";
import { changeServiceStatus } from "../services";
import { Service } from "../services/service.entity";
import { Maintenance, MaintenanceService, MaintenanceUpdate } from "./maintenance.entity";
import { maintenanceView } from "./maintenance.queries";

export async function lockMaintenance(m: EntityManager, id: string): Promise<Maintenance> {
  return lockById(m, Maintenance, id, "maintenance");
}

export const versionCheck = (row: Maintenance, expected: number | null) =>
  checkVersion(
    row.version,
    expected,
    (current, sent) =>
      `Maintenance "${row.title}" was changed meanwhile (version ${current}, you sent ${sent}); reload it and retry.`,
  );

/**
 * Documents the change (the window's new version, by `author`) and publishes the window as the
 * public event, through the one recording every versioned subject shares.
 */
export async function recordAndPublish(
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
  return links.flatMap((link) => {
    const service = byId.get(link.serviceId);
    return service ? [{ link, service }] : [];
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
export async function transitionIn(
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
