// Scheduled maintenance commands by a person: schedule, edit, start, complete, cancel, post an
// update. Each is one transaction through maintenance.write.ts; timers live in maintenance.timers.ts.
import { type EntityManager, In } from "typeorm";
import {
  commandForUpdateState,
  decideWindowEdit,
  MAX_DESCRIPTION,
  MAX_TITLE,
  type MaintenanceCommand,
  MaintenanceState,
  validateNewWindow,
} from "../domain/maintenance";
import { requireText } from "../domain/text";
import { ErrorCode, StatusEventKind } from "../domain/vocabulary";
import type { Author, FieldChanges } from "../history";
import type { Beacon, Principal } from "../kernel/context";
import { badInput, isUuid, orThrow } from "../kernel/errors";
import { Service } from "../services/service.entity";
import { Maintenance, MaintenanceService } from "./maintenance.entity";
import { type MaintenanceView, maintenanceView } from "./maintenance.queries";
import { scheduleTimers } from "./maintenance.timers";
import { lockMaintenance, recordAndPublish, transitionIn, versionCheck } from "./maintenance.write";

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

/** The window's services, in the order given (their position is the order the page lists them). */
async function saveServiceLinks(m: EntityManager, maintenanceId: string, serviceIds: readonly string[]) {
  await m.save(
    serviceIds.map((serviceId, position) =>
      m.create(MaintenanceService, {
        maintenanceId,
        serviceId,
        position,
        previousStatus: null,
        versionAfterStart: null,
      }),
    ),
  );
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
    await saveServiceLinks(m, row.id, window.value.serviceIds);
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
      await saveServiceLinks(m, row.id, d.value.serviceIds);
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
