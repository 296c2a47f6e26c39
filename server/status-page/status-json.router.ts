import { createHash } from "node:crypto";
import { Router } from "express";
import type { Beacon } from "../app/context";
import { serviceStatusLabel } from "../domain/status";
import { statusSummary } from "./status.service";

/**
 * Statuspage-compatible read-only JSON (`/api/v2/summary.json`, `/api/v2/status.json`) for partners
 * and monitors that do not speak GraphQL. Public projection only; cacheable with ETag and a short
 * max-age so a CDN can absorb a stampede.
 */
export function statusJsonRouter(beacon: Beacon): Router {
  const router = Router();
  const send = (res: import("express").Response, req: import("express").Request, body: unknown) => {
    const json = JSON.stringify(body);
    const etag = `"${createHash("sha1").update(json).digest("base64url")}"`;
    res.setHeader("Cache-Control", "public, max-age=10");
    res.setHeader("ETag", etag);
    if (req.headers["if-none-match"] === etag) {
      res.status(304).end();
      return;
    }
    res.type("application/json").send(json);
  };

  router.get("/summary.json", async (req, res, next) => {
    try {
      const s = await statusSummary(beacon.db);
      send(res, req, {
        page: { name: "Beacon", updated_at: s.updatedAt.toISOString(), seq: s.seq },
        status: { indicator: s.indicator.toLowerCase(), description: s.description },
        components: s.services.map((c) => ({
          id: c.id,
          name: c.name,
          slug: c.slug,
          group: c.group,
          position: c.position,
          status: c.status.toLowerCase(),
          status_description: serviceStatusLabel(c.status),
          description: c.description,
          updated_at: c.updatedAt.toISOString(),
        })),
        incidents: s.activeIncidents.map((i) => ({
          id: i.id,
          name: i.title,
          status: i.status.toLowerCase(),
          impact: i.impact.toLowerCase(),
          started_at: i.startedAt.toISOString(),
          resolved_at: i.resolvedAt?.toISOString() ?? null,
          components: i.services.map((c) => c.id),
          incident_updates: i.updates.map((u) => ({
            id: u.id,
            status: u.status.toLowerCase(),
            body: u.message,
            created_at: u.at.toISOString(),
          })),
        })),
      });
    } catch (e) {
      next(e);
    }
  });

  router.get("/status.json", async (req, res, next) => {
    try {
      const s = await statusSummary(beacon.db);
      send(res, req, {
        page: { name: "Beacon", updated_at: s.updatedAt.toISOString(), seq: s.seq },
        status: { indicator: s.indicator.toLowerCase(), description: s.description },
      });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
