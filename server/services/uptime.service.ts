import type { EntityManager } from "typeorm";
import {
  DAY_MS,
  dateOf,
  dayBar,
  dayStartOf,
  type ExcludedRange,
  type StatusChange,
  type UptimeDay,
} from "../domain/uptime";
import type { ServiceStatus } from "../domain/vocabulary";

export interface UptimeDayView extends UptimeDay {
  /** Titles of public incidents that touched this service on that day. */
  incidents: string[];
  /** Titles of maintenance windows that ran on this service that day (marked on the bar). */
  maintenances: string[];
}

// Uptime from rollups (docs/performance.md, "Uptime rollups"): a finished day is computed once
// from the status history with the same `dayBar` as the live one and stored in
// `service_uptime_day`; reads take finished days from there and compute only the days still open.
// Raw SQL on purpose: the migration that backfills the rollups runs this code, and must not depend
// on entity columns added by later migrations.

/**
 * A day is settled (stored, never recomputed) once it ended this long ago: a command that read the
 * clock just before midnight may commit just after, and its status change belongs to that day.
 */
export const SETTLE_MS = 5 * 60_000;

interface Window extends ExcludedRange {
  title: string;
}

/**
 * The service's status changes relevant from `from` on: the last one before it (the status it
 * entered the period with) and every one since. The first change of all is the service's creation.
 */
async function statusHistory(m: EntityManager, serviceId: string, from: number): Promise<StatusChange[]> {
  const rows: { at: Date; status: ServiceStatus }[] = await m.query(
    `(SELECT at, version, changes->'status'->>'to' AS status FROM change_record
       WHERE subject_type = 'service' AND subject_id = $1 AND changes ? 'status' AND at < $2
       ORDER BY version DESC LIMIT 1)
     UNION ALL
     (SELECT at, version, changes->'status'->>'to' AS status FROM change_record
       WHERE subject_type = 'service' AND subject_id = $1 AND changes ? 'status' AND at >= $2)
     ORDER BY version`,
    [serviceId, new Date(from)],
  );
  return rows.map((r) => ({ at: new Date(r.at), status: r.status }));
}

/** Maintenance windows that ran on the service at some point after `from` (to now if running). */
async function windowsSince(
  m: EntityManager,
  serviceId: string,
  from: number,
  now: number,
): Promise<Window[]> {
  const rows: { title: string; started: Date; ended: Date | null }[] = await m.query(
    `SELECT w.title, w.started_at AS started, COALESCE(w.completed_at, w.canceled_at) AS ended
       FROM maintenance w JOIN maintenance_service ms ON ms.maintenance_id = w.id
      WHERE ms.service_id = $1 AND w.started_at IS NOT NULL
        AND (COALESCE(w.completed_at, w.canceled_at) IS NULL OR COALESCE(w.completed_at, w.canceled_at) >= $2)
      ORDER BY w.started_at`,
    [serviceId, new Date(from)],
  );
  return rows.map((w) => ({
    title: w.title,
    from: new Date(w.started).getTime(),
    to: w.ended ? new Date(w.ended).getTime() : now,
  }));
}

/** The stored (settled) days of each service in [from, to), by service id, then by date. */
async function storedDays(
  m: EntityManager,
  serviceIds: readonly string[],
  from: number,
  to: number,
  excludeMaintenance: boolean,
): Promise<Map<string, Map<string, UptimeDay>>> {
  const rows: {
    service_id: string;
    day: string;
    has_data: boolean;
    uptime_percent: number;
    worst_status: ServiceStatus;
    downtime_minutes: number;
    maintenance_minutes: number;
  }[] = await m.query(
    `SELECT service_id, to_char(day, 'YYYY-MM-DD') AS day, has_data, uptime_percent, worst_status, downtime_minutes, maintenance_minutes
       FROM service_uptime_day
      WHERE service_id = ANY($1::uuid[]) AND excludes_maintenance = $2 AND day >= $3::date AND day < $4::date`,
    [serviceIds, excludeMaintenance, dateOf(from), dateOf(to)],
  );
  const stored = new Map<string, Map<string, UptimeDay>>(serviceIds.map((id) => [id, new Map()]));
  for (const r of rows) {
    stored.get(r.service_id)?.set(r.day, {
      date: r.day,
      hasData: r.has_data,
      uptimePercent: Number(r.uptime_percent),
      worstStatus: r.worst_status,
      downtimeMinutes: r.downtime_minutes,
      maintenanceMinutes: r.maintenance_minutes,
    });
  }
  return stored;
}

function storeDays(
  m: EntityManager,
  serviceId: string,
  excludeMaintenance: boolean,
  days: readonly UptimeDay[],
): Promise<void> {
  return storeManyDays(
    m,
    excludeMaintenance,
    days.map((day) => ({ id: serviceId, day })),
  );
}

/**
 * The bars of the `days` days ending today: settled days from the rollup (computing and storing any
 * that is missing), the others from the status history. Same numbers as computing every day from
 * the whole history (test/integration/uptime-rollups.test.ts checks it on random histories).
 */
export async function uptimeBars(
  m: EntityManager,
  serviceId: string,
  now: Date,
  days: number,
  excludeMaintenance: boolean,
): Promise<{ bars: UptimeDay[]; windows: Window[] }> {
  const nowMs = now.getTime();
  const first = dayStartOf(nowMs) - (days - 1) * DAY_MS;
  // Days starting before this one ended at least SETTLE_MS ago: settled.
  const settledLimit = dayStartOf(nowMs - SETTLE_MS);
  const stored = (await storedDays(m, [serviceId], first, settledLimit, excludeMaintenance)).get(serviceId)!;
  let firstMissing: number | null = null;
  for (let d = first; d < settledLimit; d += DAY_MS) {
    if (!stored.has(dateOf(d))) {
      firstMissing = d;
      break;
    }
  }
  const liveFrom = firstMissing ?? settledLimit;
  const history = await statusHistory(m, serviceId, liveFrom);
  const windows = await windowsSince(m, serviceId, first, nowMs);
  const excluded = excludeMaintenance ? windows : [];
  const computed: UptimeDay[] = [];
  const bars: UptimeDay[] = [];
  for (let d = first; d <= dayStartOf(nowMs); d += DAY_MS) {
    const hit = stored.get(dateOf(d));
    if (hit) {
      bars.push(hit);
      continue;
    }
    const bar = dayBar(history, d, nowMs, excluded);
    if (d < settledLimit) computed.push(bar);
    bars.push(bar);
  }
  await storeDays(m, serviceId, excludeMaintenance, computed);
  return { bars, windows };
}

/** Uptime bars with the titles of the incidents and maintenance windows of each day. */
export async function serviceUptime(
  m: EntityManager,
  serviceId: string,
  now: Date,
  days: number,
  /** BEACON_UPTIME_EXCLUDES_MAINTENANCE: time inside maintenance windows counts neither up nor down. */
  excludeMaintenance = true,
): Promise<UptimeDayView[]> {
  const bars = (await servicesUptime(m, [serviceId], now, days, excludeMaintenance)).get(serviceId);
  if (!bars?.length) throw new Error("servicesUptime returned no days: it returns one per requested day");
  return bars;
}

/**
 * `serviceUptime` of many services at once, in five queries whatever their number (the status page
 * asks for every service's bars: 30 services cost 150 queries one by one). Same numbers: each
 * service's rows are read with the same conditions, and the same `dayBar` computes the open days.
 */
export async function servicesUptime(
  m: EntityManager,
  serviceIds: readonly string[],
  now: Date,
  days: number,
  excludeMaintenance = true,
): Promise<Map<string, UptimeDayView[]>> {
  const ids = [...new Set(serviceIds)];
  const out = new Map<string, UptimeDayView[]>();
  if (ids.length === 0) return out;
  const nowMs = now.getTime();
  const first = dayStartOf(nowMs) - (days - 1) * DAY_MS;
  const settledLimit = dayStartOf(nowMs - SETTLE_MS);
  const stored = await storedDays(m, ids, first, settledLimit, excludeMaintenance);
  const liveFrom = new Map<string, number>();
  for (const id of ids) {
    const hits = stored.get(id)!;
    let firstMissing: number | null = null;
    for (let d = first; d < settledLimit; d += DAY_MS) {
      if (!hits.has(dateOf(d))) {
        firstMissing = d;
        break;
      }
    }
    liveFrom.set(id, firstMissing ?? settledLimit);
  }
  // statusHistory per service, each from its own liveFrom.
  const historyRows: { service_id: string; at: Date; status: ServiceStatus }[] = await m.query(
    `SELECT s.id AS service_id, h.at, h.status
       FROM unnest($1::uuid[], $2::timestamptz[]) AS s(id, since)
       CROSS JOIN LATERAL (
         (SELECT at, version, changes->'status'->>'to' AS status FROM change_record
           WHERE subject_type = 'service' AND subject_id = s.id AND changes ? 'status' AND at < s.since
           ORDER BY version DESC LIMIT 1)
         UNION ALL
         (SELECT at, version, changes->'status'->>'to' AS status FROM change_record
           WHERE subject_type = 'service' AND subject_id = s.id AND changes ? 'status' AND at >= s.since)
       ) h
      ORDER BY s.id, h.version`,
    [ids, ids.map((id) => new Date(liveFrom.get(id)!))],
  );
  const history = new Map<string, StatusChange[]>(ids.map((id) => [id, []]));
  for (const r of historyRows) history.get(r.service_id)?.push({ at: new Date(r.at), status: r.status });
  const windowRows: { service_id: string; title: string; started: Date; ended: Date | null }[] =
    await m.query(
      `SELECT ms.service_id, w.title, w.started_at AS started, COALESCE(w.completed_at, w.canceled_at) AS ended
       FROM maintenance w JOIN maintenance_service ms ON ms.maintenance_id = w.id
      WHERE ms.service_id = ANY($1::uuid[]) AND w.started_at IS NOT NULL
        AND (COALESCE(w.completed_at, w.canceled_at) IS NULL OR COALESCE(w.completed_at, w.canceled_at) >= $2)
      ORDER BY w.started_at`,
      [ids, new Date(first)],
    );
  const windows = new Map<string, Window[]>(ids.map((id) => [id, []]));
  for (const w of windowRows) {
    windows.get(w.service_id)?.push({
      title: w.title,
      from: new Date(w.started).getTime(),
      to: w.ended ? new Date(w.ended).getTime() : nowMs,
    });
  }
  const bars = new Map<string, UptimeDay[]>();
  const computed: { id: string; day: UptimeDay }[] = [];
  for (const id of ids) {
    const hits = stored.get(id)!;
    const excluded = excludeMaintenance ? windows.get(id)! : [];
    const list: UptimeDay[] = [];
    for (let d = first; d <= dayStartOf(nowMs); d += DAY_MS) {
      const hit = hits.get(dateOf(d));
      if (hit) {
        list.push(hit);
        continue;
      }
      const bar = dayBar(history.get(id)!, d, nowMs, excluded);
      if (d < settledLimit) computed.push({ id, day: bar });
      list.push(bar);
    }
    bars.set(id, list);
  }
  await storeManyDays(m, excludeMaintenance, computed);
  // Every service's bars start on the same day (`first`).
  const windowStart = new Date(first);
  const incidentRows: { service_id: string; title: string; started: Date; ended: Date | null }[] =
    await m.query(
      `SELECT s.service_id, COALESCE(NULLIF(btrim(i.public_title), ''), i.title) AS title, i.created_at AS started, COALESCE(i.resolved_at, i.closed_at) AS ended
         FROM incident i JOIN incident_service s ON s.incident_id = i.id
        WHERE s.service_id = ANY($1::uuid[]) AND i.is_public AND i.state <> 'CANCELED'
          AND (COALESCE(i.resolved_at, i.closed_at) IS NULL OR COALESCE(i.resolved_at, i.closed_at) >= $2)
        ORDER BY i.created_at`,
      [ids, windowStart],
    );
  const incidents = new Map<string, typeof incidentRows>(ids.map((id) => [id, []]));
  for (const r of incidentRows) incidents.get(r.service_id)?.push(r);
  for (const id of ids) {
    const own = incidents.get(id)!;
    const ownWindows = windows.get(id)!;
    out.set(
      id,
      bars.get(id)!.map((bar) => {
        const start = Date.parse(`${bar.date}T00:00:00Z`);
        const end = start + DAY_MS;
        return {
          ...bar,
          incidents: own
            .filter(
              (i) =>
                new Date(i.started).getTime() < end &&
                (i.ended === null || new Date(i.ended).getTime() >= start),
            )
            .map((i) => i.title),
          maintenances: ownWindows.filter((w) => w.from < end && w.to > start).map((w) => w.title),
        };
      }),
    );
  }
  return out;
}

/** `storeDays` of several services in one INSERT (in chunks: at most 65535 parameters a query). */
async function storeManyDays(
  m: EntityManager,
  excludeMaintenance: boolean,
  days: readonly { id: string; day: UptimeDay }[],
): Promise<void> {
  // Two instances (or two reads) computing the same finished day compute the same numbers.
  const CHUNK = 4000;
  for (let i = 0; i < days.length; i += CHUNK) {
    const chunk = days.slice(i, i + CHUNK);
    const values: unknown[] = [];
    const tuples = chunk.map(({ id, day: d }, j) => {
      values.push(id, d.date, excludeMaintenance, d.hasData, d.uptimePercent, d.worstStatus);
      values.push(d.downtimeMinutes, d.maintenanceMinutes);
      const p = j * 8;
      return `($${p + 1}, $${p + 2}::date, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8})`;
    });
    await m.query(
      `INSERT INTO service_uptime_day (service_id, day, excludes_maintenance, has_data, uptime_percent,
         worst_status, downtime_minutes, maintenance_minutes)
       VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`,
      values,
    );
  }
}

/**
 * Fills the rollups of every service's finished days within the last `days` (the migration that
 * introduced them runs this, so the first status page after an upgrade reads them).
 */
export async function backfillUptimeRollups(
  m: EntityManager,
  now: Date,
  days: number,
  excludeMaintenance: boolean,
): Promise<number> {
  const services: { id: string }[] = await m.query("SELECT id FROM service");
  for (const s of services) await uptimeBars(m, s.id, now, days, excludeMaintenance);
  return services.length;
}
