import { createHash } from "node:crypto";
import { type Request, type Response, Router } from "express";
import { MaintenanceState, RUNNING_MAINTENANCE_STATES } from "../domain/maintenance";
import type { Beacon } from "../kernel/context";
import { listMaintenances, type MaintenanceView } from "../maintenance";
import { publicIncidentHistory, type StatusSummaryView, statusSummary } from "./status.service";
import * as v2 from "./statuspage-v2";

/**
 * Atlassian Statuspage's public API v2, with its field names and shapes (`statuspage-v2.ts`), for
 * partners and monitors that do not speak GraphQL. Public projection only; cacheable with ETag and
 * a short max-age so a CDN can absorb a stampede.
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
  const maintenances = (list: MaintenanceView[]) =>
    list.map((w) => v2.scheduledMaintenance(w, beacon.config.publicUrl));
  const running = (s: StatusSummaryView) =>
    s.maintenances.filter((w) => (RUNNING_MAINTENANCE_STATES as string[]).includes(w.state));

  route("/summary.json", (s) => ({
    page: pageOf(s),
    components: v2.components(s.services),
    incidents: incidents(s.activeIncidents),
    // Upcoming and in progress, as Statuspage's summary lists them.
    scheduled_maintenances: maintenances(s.maintenances),
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
  route("/scheduled-maintenances.json", async (s) => ({
    page: pageOf(s),
    // Statuspage lists the 50 most recent, whatever their status.
    scheduled_maintenances: maintenances(await listMaintenances(beacon.db.manager, null, 50)),
  }));
  route("/scheduled-maintenances/upcoming.json", (s) => ({
    page: pageOf(s),
    scheduled_maintenances: maintenances(
      s.maintenances.filter((w) => w.state === MaintenanceState.SCHEDULED),
    ),
  }));
  route("/scheduled-maintenances/active.json", (s) => ({
    page: pageOf(s),
    scheduled_maintenances: maintenances(running(s)),
  }));
  return documents;
}
