// Reading scheduled maintenance: the public views of windows (what the status page, the API and
// every event payload show) and the change history.
import { type EntityManager, In } from "typeorm";
import { ACTIVE_MAINTENANCE_STATES, type MaintenanceState } from "../domain/maintenance";
import { historyOf } from "../history";
import type { Beacon } from "../kernel/context";
import { isUuid } from "../kernel/errors";
import { type PublicServiceView, publicService } from "../services";
import { Service } from "../services/service.entity";
import { Maintenance, MaintenanceService, MaintenanceUpdate } from "./maintenance.entity";

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
