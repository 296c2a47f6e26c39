import type { EntityManager } from "typeorm";
import { type UptimeDay, uptimeDays } from "../domain/uptime";
import type { ServiceStatus } from "../domain/vocabulary";
import { ChangeRecord } from "../history/change-record.entity";

export interface UptimeDayView extends UptimeDay {
  /** Titles of public incidents that touched this service on that day. */
  incidents: string[];
}

const DAY = 86_400_000;

/** Uptime bars computed from the service's documented status history (the change records). */
export async function serviceUptime(
  m: EntityManager,
  serviceId: string,
  now: Date,
  days: number,
): Promise<UptimeDayView[]> {
  const records = await m.find(ChangeRecord, {
    where: { subjectType: "service", subjectId: serviceId },
    order: { version: "ASC" },
  });
  const history = records.flatMap((r) =>
    r.changes.status ? [{ at: r.at, status: r.changes.status.to as ServiceStatus }] : [],
  );
  const bars = uptimeDays(history, now, days);
  const windowStart = new Date(Date.parse(`${bars[0]!.date}T00:00:00Z`));
  const incidents: { title: string; started: Date; ended: Date | null }[] = await m.query(
    `SELECT i.title, i.created_at AS started, COALESCE(i.resolved_at, i.closed_at) AS ended
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
    };
  });
}
