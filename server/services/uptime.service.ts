import type { EntityManager } from "typeorm";
import { type UptimeDay, uptimeDays } from "../domain/uptime";
import type { ServiceStatus } from "../domain/vocabulary";
import { ChangeRecord } from "../history/change-record.entity";

export interface UptimeDayView extends UptimeDay {
  /** Titles of public incidents that touched this service on that day. */
  incidents: string[];
  /** Titles of maintenance windows that ran on this service that day (marked on the bar). */
  maintenances: string[];
}

const DAY = 86_400_000;

/** Uptime bars computed from the service's documented status history (the change records). */
export async function serviceUptime(
  m: EntityManager,
  serviceId: string,
  now: Date,
  days: number,
  /** BEACON_UPTIME_EXCLUDES_MAINTENANCE: time inside maintenance windows counts neither up nor down. */
  excludeMaintenance = true,
): Promise<UptimeDayView[]> {
  const records = await m.find(ChangeRecord, {
    where: { subjectType: "service", subjectId: serviceId },
    order: { version: "ASC" },
  });
  const history = records.flatMap((r) =>
    r.changes.status ? [{ at: r.at, status: r.changes.status.to as ServiceStatus }] : [],
  );
  const firstDay = Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY;
  // Windows that ran: from their start to their completion (or cancellation, or now if running).
  const windows: { title: string; from: number; to: number }[] = (
    await m.query(
      `SELECT w.title, w.started_at AS started, COALESCE(w.completed_at, w.canceled_at) AS ended
         FROM maintenance w JOIN maintenance_service ms ON ms.maintenance_id = w.id
        WHERE ms.service_id = $1 AND w.started_at IS NOT NULL
          AND (COALESCE(w.completed_at, w.canceled_at) IS NULL OR COALESCE(w.completed_at, w.canceled_at) >= $2)
        ORDER BY w.started_at`,
      [serviceId, new Date(firstDay)],
    )
  ).map((w: { title: string; started: Date; ended: Date | null }) => ({
    title: w.title,
    from: new Date(w.started).getTime(),
    to: w.ended ? new Date(w.ended).getTime() : now.getTime(),
  }));
  const bars = uptimeDays(history, now, days, excludeMaintenance ? windows : []);
  const windowStart = new Date(Date.parse(`${bars[0]!.date}T00:00:00Z`));
  const incidents: { title: string; started: Date; ended: Date | null }[] = await m.query(
    // The public title: these bars are public (domain/public-story publicTitleOf).
    `SELECT COALESCE(NULLIF(btrim(i.public_title), ''), i.title) AS title, i.created_at AS started, COALESCE(i.resolved_at, i.closed_at) AS ended
       FROM incident i JOIN incident_service s ON s.incident_id = i.id
      WHERE s.service_id = $1 AND i.is_public AND i.state <> 'CANCELED'
        AND (COALESCE(i.resolved_at, i.closed_at) IS NULL OR COALESCE(i.resolved_at, i.closed_at) >= $2)
      ORDER BY i.created_at`,
    [serviceId, windowStart],
  );
  return bars.map((bar) => {
    const start = Date.parse(`${bar.date}T00:00:00Z`);
    const end = start + DAY;
    return {
      ...bar,
      incidents: incidents
        .filter(
          (i) =>
            new Date(i.started).getTime() < end && (i.ended === null || new Date(i.ended).getTime() >= start),
        )
        .map((i) => i.title),
      maintenances: windows.filter((w) => w.from < end && w.to > start).map((w) => w.title),
    };
  });
}
