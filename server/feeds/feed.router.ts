import { type Request, type Response, Router } from "express";
import { Feed } from "feed";
import { publicStatusLabel } from "../domain/status";
import { validateSlug } from "../domain/text";
import type { Beacon } from "../kernel/context";
import { publicIncidentHistory } from "../status-page";

const LIMIT = 50;

/**
 * Atom and RSS of public incidents (`/history.atom`, `/history.rss`, optional `?service=<slug>`),
 * generated with the `feed` library from the public projection only. Linked from the page's <head>.
 */
export function feedRouter(beacon: Beacon): Router {
  const router = Router();
  const build = async (req: Request): Promise<Feed | null> => {
    const base = beacon.config.publicUrl;
    const slug = typeof req.query.service === "string" ? req.query.service : null;
    // Not a slug (e.g. a NUL, which PostgreSQL cannot even compare): no such service, before any SQL.
    if (slug !== null && !validateSlug(slug).ok) return null;
    // Enough history to fill a per-service feed; the public projection is all that is read.
    const all = await publicIncidentHistory(beacon.db, slug ? 500 : LIMIT, 0);
    const incidents = (slug ? all.filter((i) => i.services.some((s) => s.slug === slug)) : all).slice(
      0,
      LIMIT,
    );
    const serviceName = slug
      ? (all.flatMap((i) => i.services).find((s) => s.slug === slug)?.name ??
        (await beacon.db.query("SELECT name FROM service WHERE slug = $1", [slug]))[0]?.name)
      : null;
    if (slug && !serviceName) return null;
    const query = slug ? `?service=${encodeURIComponent(slug)}` : "";
    const updated = incidents.reduce(
      (max, i) =>
        Math.max(max, i.updates[0]?.at.getTime() ?? 0, i.startedAt.getTime(), i.resolvedAt?.getTime() ?? 0),
      0,
    );
    const feed = new Feed({
      title: serviceName ? `Beacon status: ${serviceName}` : "Beacon status",
      description: "Public incidents and their updates",
      id: `${base}/history${query}`,
      link: `${base}/history`,
      language: "en",
      updated: new Date(updated || 0),
      generator: "Beacon",
      copyright: "",
      feedLinks: { atom: `${base}/history.atom${query}`, rss: `${base}/history.rss${query}` },
    });
    for (const i of incidents) {
      const status = publicStatusLabel(i.status);
      const lines = i.updates.map(
        (u) => `${publicStatusLabel(u.status)} (${u.at.toISOString()}): ${u.message}`,
      );
      const services = i.services.map((s) => s.name).join(", ");
      const latest = i.updates[0]?.at ?? i.startedAt;
      feed.addItem({
        title: `${status}: ${i.title}`,
        id: `${base}/incidents/${i.id}`,
        link: `${base}/incidents/${i.id}`,
        date: i.resolvedAt && i.resolvedAt > latest ? i.resolvedAt : latest,
        published: i.startedAt,
        description: [services ? `Affected: ${services}` : "", ...lines].filter(Boolean).join("\n"),
      });
    }
    return feed;
  };
  const serve =
    (type: string, render: (f: Feed) => string) =>
    async (req: Request, res: Response, next: (e: unknown) => void) => {
      try {
        const feed = await build(req);
        if (!feed) {
          res.status(404).type("text/plain").send("No service with that slug; see /api/v2/components.json.");
          return;
        }
        res.setHeader("Cache-Control", "public, max-age=60");
        res.type(type).send(render(feed));
      } catch (e) {
        next(e);
      }
    };
  router.get(
    "/history.atom",
    serve("application/atom+xml; charset=utf-8", (f) => f.atom1()),
  );
  router.get(
    "/history.rss",
    serve("application/rss+xml; charset=utf-8", (f) => f.rss2()),
  );
  return router;
}
