import { createHash } from "node:crypto";
import { type Request, type Response, Router } from "express";
import type { Beacon } from "../kernel/context";
import { publicIncidentHistory, type StatusSummaryView, statusSummary } from "./status.service";
import * as v2 from "./statuspage-v2";

/**
 * Atlassian Statuspage's public API v2, with its field names and shapes (`statuspage-v2.ts`), for
 * partners and monitors that do not speak GraphQL. Public projection only; cacheable with ETag and
 * a short max-age so a CDN can absorb a stampede. Scheduled maintenance lists stay empty until
 * Beacon has maintenance.
 */
export function statusJsonRouter(beacon: Beacon): Router {
  const router = Router();
  const send = (req: Request, res: Response, body: unknown) => {
    const json = JSON.stringify(body);
    const etag = `"${createHash("sha1").update(json).digest("base64url")}"`;
    res.setHeader("Cache-Control", "public, max-age=10");
    res.setHeader("ETag", etag);
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (req.headers["if-none-match"] === etag) {
      res.status(304).end();
      return;
    }
    res.type("application/json").send(json);
  };
  for (const [path, build] of statuspageDocuments(beacon)) {
    router.get(path, async (req, res, next) => {
      try {
        send(req, res, await build(await statusSummary(beacon)));
      } catch (e) {
        next(e);
      }
    });
  }
  return router;
}

type Build = (s: StatusSummaryView) => Promise<unknown> | unknown;

/** Every body by path, from one summary: the router's (above) and the public snapshot's source. */
export function statuspageDocuments(beacon: Beacon): Map<string, Build> {
  const documents = new Map<string, Build>();
  const pageOf = (s: StatusSummaryView, updatedAt = s.updatedAt) =>
    v2.page({ name: "Beacon", url: beacon.config.publicUrl, timeZone: beacon.config.timeZone, updatedAt });
  const route = (path: string, build: Build) => {
    documents.set(path, build);
  };
  const incidents = (list: StatusSummaryView["activeIncidents"]) =>
    list.map((i) => v2.incident(i, beacon.config.publicUrl));

  route("/summary.json", (s) => ({
    page: pageOf(s),
    components: v2.components(s.services),
    incidents: incidents(s.activeIncidents),
    scheduled_maintenances: [],
    status: v2.status(s),
  }));
  route("/status.json", (s) => ({ page: pageOf(s), status: v2.status(s) }));
  route("/components.json", (s) => ({ page: pageOf(s), components: v2.components(s.services) }));
  route("/incidents.json", async (s) => ({
    page: pageOf(s),
    // Statuspage lists the 50 most recent incidents, whatever their status.
    incidents: incidents(await publicIncidentHistory(beacon.db, 50, 0)),
  }));
  route("/incidents/unresolved.json", (s) => ({ page: pageOf(s), incidents: incidents(s.activeIncidents) }));
  for (const path of [
    "/scheduled-maintenances.json",
    "/scheduled-maintenances/upcoming.json",
    "/scheduled-maintenances/active.json",
  ]) {
    route(path, (s) => ({ page: pageOf(s), scheduled_maintenances: [] }));
  }
  return documents;
}
