import { type DataSource, type EntityManager, MoreThanOrEqual, Not } from "typeorm";
import { isRecentlyResolved, publicResolvedAt, recentCutoff } from "../domain/public-story";
import { overallStatus } from "../domain/status";
import { IncidentState, PublicStatus, type StatusIndicator } from "../domain/vocabulary";
import { currentSeq } from "../events";
import { activePublicIncidents, type PublicIncidentView, publicIncidents } from "../incidents";
import { Incident } from "../incidents/incident.entity";
import type { Beacon, BeaconContext } from "../kernel/context";
import { activeMaintenances, type MaintenanceView } from "../maintenance";
import { listServices, type PublicServiceView, publicService } from "../services";

export interface StatusSummaryView {
  seq: string;
  indicator: StatusIndicator;
  description: string;
  services: PublicServiceView[];
  activeIncidents: PublicIncidentView[];
  /** Resolved within the last BEACON_RECENT_DAYS, most recently resolved first. */
  recentlyResolved: PublicIncidentView[];
  maintenances: MaintenanceView[];
  updatedAt: Date;
}

/**
 * Where a context carries its preset summary. A property of the context itself, not a WeakMap keyed
 * by it: Apollo's executeOperation runs resolvers with a shallow copy of the contextValue it was
 * given (`cloneObject` in @apollo/server), so a WeakMap entry for the original was never found and
 * every build read the summary twice. Object.assign copies own symbol properties, so this survives.
 */
const PRESET = Symbol("presetStatusSummary");
type WithPreset = BeaconContext & { [PRESET]?: () => Promise<StatusSummaryView> };

/**
 * Makes `statusSummary` in this context answer with a summary already being read: the public
 * snapshot reads it once per build and uses it for the status page's GraphQL result and every
 * Statuspage JSON body (the same seq everywhere, one read instead of two). Asked only when the
 * operation selects `statusSummary`, so operations that do not read none.
 */
export function presetStatusSummary(ctx: BeaconContext, summary: () => Promise<StatusSummaryView>): void {
  (ctx as WithPreset)[PRESET] = summary;
}

/** The context's preset summary (`presetStatusSummary`), else a fresh read. */
export function statusSummaryFor(ctx: BeaconContext): Promise<StatusSummaryView> {
  const preset = (ctx as WithPreset)[PRESET];
  return preset ? preset() : statusSummary(ctx.beacon);
}

/**
 * One consistent snapshot: the data and the seq it reflects are read in the same REPEATABLE READ
 * transaction, so a client resuming from that seq gets exactly what came after.
 */
export async function statusSummary(
  beacon: Pick<Beacon, "db" | "clock" | "config">,
): Promise<StatusSummaryView> {
  const now = beacon.clock.now();
  const qr = beacon.db.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction("REPEATABLE READ");
    const m = qr.manager;
    const seq = await currentSeq(m);
    const services = (await listServices(m)).map(publicService);
    const activeIncidents = await activePublicIncidents(m);
    const recentlyResolved = await recentlyResolvedIncidents(m, now, beacon.config.recentDays);
    const maintenances = await activeMaintenances(m);
    await qr.commitTransaction();
    const { indicator, description } = overallStatus(services, activeIncidents);
    const times = [
      ...services.map((s) => s.updatedAt.getTime()),
      ...activeIncidents.flatMap((i) => [i.startedAt.getTime(), ...i.updates.map((u) => u.at.getTime())]),
    ];
    return {
      seq,
      indicator,
      description,
      services,
      activeIncidents,
      recentlyResolved,
      maintenances,
      updatedAt: new Date(times.length ? Math.max(...times) : 0),
    };
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw e;
  } finally {
    await qr.release();
  }
}

/**
 * Public incidents resolved within the last `days` (domain/public-story): the same list after a
 * reload as the live page keeps, so a resolved incident does not vanish from `/` on refresh.
 */
async function recentlyResolvedIncidents(
  m: EntityManager,
  now: Date,
  days: number,
): Promise<PublicIncidentView[]> {
  if (days <= 0) return [];
  // updated_at is never before the resolution, so this only narrows the candidates.
  const rows = await m.find(Incident, {
    where: {
      isPublic: true,
      state: Not(IncidentState.CANCELED),
      updatedAt: MoreThanOrEqual(recentCutoff(now, days)),
    },
  });
  const views = await publicIncidents(m, rows);
  const closedAt = new Map(rows.map((r) => [r.id, r.closedAt]));
  return views
    .map((v) => ({ v, at: publicResolvedAt({ ...v, closedAt: closedAt.get(v.id) ?? null }) }))
    .filter(({ v, at }) => v.status === PublicStatus.RESOLVED && isRecentlyResolved(at, now, days))
    .sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0))
    .map(({ v }) => v);
}

/** Public incident history, newest first, resolved included. */
export async function publicIncidentHistory(
  db: DataSource,
  first: number,
  offset: number,
): Promise<PublicIncidentView[]> {
  const rows = await db.manager.find(Incident, {
    where: { isPublic: true, state: Not(IncidentState.CANCELED) },
    order: { createdAt: "DESC", id: "DESC" },
    take: first,
    skip: offset,
  });
  return publicIncidents(db.manager, rows);
}
