import { createHash } from "node:crypto";
import { type Request, type Response, Router } from "express";
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { MaintenanceState } from "../domain/maintenance";
import { validateSlug } from "../domain/text";
import type { Beacon } from "../kernel/context";
import { calendarMaintenances, type MaintenanceView } from "./maintenance.queries";

/** Finished windows stay this long, so a subscribed calendar learns of a cancellation or an early end. */
export const FINISHED_KEPT_MS = 30 * 24 * 3600_000;

/**
 * The iCalendar text of windows (pure, for the router and tests). Times are UTC instants, so a
 * window across a daylight-saving change keeps its real duration in every client; UID is the
 * window's id (stable across edits) and SEQUENCE its version, so a client replaces the event it has.
 */
export function maintenanceCalendar(
  windows: MaintenanceView[],
  opts: { publicUrl: string; name: string },
): string {
  const cal = ical({
    name: opts.name,
    prodId: { company: "Beacon", product: "Beacon maintenance", language: "EN" },
    method: ICalCalendarMethod.PUBLISH,
    url: `${opts.publicUrl}/maintenance.ics`,
    // Clients that honour it poll this often (X-PUBLISHED-TTL / REFRESH-INTERVAL).
    ttl: 3600,
  });
  for (const w of windows) {
    const services = w.services.map((s) => s.name).join(", ");
    const updates = w.updates.map((u) => `${u.at.toISOString()}: ${u.message}`);
    cal.createEvent({
      id: `maintenance-${w.id}@beacon`,
      sequence: w.version,
      start: w.startedAt ?? w.scheduledStart,
      end: w.completedAt ?? w.scheduledEnd,
      // The last change, not the time of the request: the same windows give the same bytes (ETag).
      stamp: w.updatedAt,
      created: w.createdAt,
      lastModified: w.updatedAt,
      summary: `Maintenance: ${w.title}`,
      description: [w.description ?? "", services ? `Affected: ${services}` : "", ...updates]
        .filter(Boolean)
        .join("\n\n"),
      url: `${opts.publicUrl}/#maintenance-${w.id}`,
      status: w.state === MaintenanceState.CANCELED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}

/**
 * `GET /maintenance.ics` (optional `?service=<slug>`): upcoming and running windows for customers'
 * calendars, from the public projection only. Not in the public snapshot: like the Atom feeds it
 * varies by query string; a short max-age and an ETag keep polling calendars cheap.
 */
export function maintenanceCalendarRouter(beacon: Beacon): Router {
  const router = Router();
  router.get("/maintenance.ics", async (req: Request, res: Response, next: (e: unknown) => void) => {
    try {
      const slug = typeof req.query.service === "string" ? req.query.service : null;
      if (slug !== null && !validateSlug(slug).ok) return notFound(res);
      const now = beacon.clock.now();
      let windows = await calendarMaintenances(beacon.db.manager, new Date(now.getTime() - FINISHED_KEPT_MS));
      let name = "Beacon maintenance";
      if (slug !== null) {
        const [service] = await beacon.db.query("SELECT name FROM service WHERE slug = $1", [slug]);
        if (!service) return notFound(res);
        name = `Beacon maintenance: ${service.name}`;
        windows = windows.filter((w) => w.services.some((s) => s.slug === slug));
      }
      const body = maintenanceCalendar(windows, { publicUrl: beacon.config.publicUrl, name });
      const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
      res.setHeader("Cache-Control", "public, max-age=60");
      res.setHeader("ETag", etag);
      res.setHeader("Access-Control-Allow-Origin", "*");
      if (req.headers["if-none-match"] === etag) {
        res.status(304).end();
        return;
      }
      res.type("text/calendar; charset=utf-8").send(body);
    } catch (e) {
      next(e);
    }
  });
  return router;
}

function notFound(res: Response) {
  res.status(404).type("text/plain").send("No service with that slug; see /api/v2/components.json.");
}
