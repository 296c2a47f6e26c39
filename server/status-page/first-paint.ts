import fs from "node:fs";
import path from "node:path";
import { execute, type GraphQLSchema, parse } from "graphql";
import { documentText } from "../../web/src/graphql";
import { PRELOAD_ELEMENT_ID } from "../../web/src/shared/preload";
import { STATUS_PAGE_QUERY } from "../../web/src/status-page/queries";
import type { Beacon, BeaconContext } from "../kernel/context";

/**
 * Server-side first paint of the public status page: the HTML arrives with the banner, services,
 * uptime bars and incidents already in it, plus the data the browser hydrates with, so nothing
 * jumps and no round trip is needed before the first meaningful paint. The data comes from the web
 * app's own query run against the schema as an anonymous caller, so it is the public projection
 * and exactly what the page would have fetched.
 *
 * Rendered pages are cached per event seq (and for at most 30 s, for the relative times and uptime
 * bars): a stampede of visitors costs one render per change.
 */
const MAX_AGE_MS = 30_000;

export interface FirstPaint {
  html(): Promise<string>;
  /**
   * The page around a StatusPage query result already at hand (the public snapshot's build).
   * `preloadJson`: `JSON.stringify({ statusSummary })` when the caller already has it (the build cuts
   * it out of the GraphQL body it serialized), so the largest value is not serialized twice.
   */
  renderWith(statusSummary: unknown, asOf?: Date, preloadJson?: string): Promise<string>;
}

const escapeJson = (json: string) =>
  json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

const stamp = (at: Date) =>
  `<p class="snapshot-stamp">Status as of <time datetime="${at.toISOString()}">${at
    .toISOString()
    .slice(0, 16)
    .replace("T", " ")} UTC</time></p>`;

export function createFirstPaint(beacon: Beacon, schema: GraphQLSchema, webDir: string): FirstPaint {
  const template = fs.readFileSync(path.join(webDir, "index.html"), "utf8");
  const document = parse(documentText(STATUS_PAGE_QUERY));
  let cached: { seq: string; at: number; html: string } | null = null;
  let rendering: Promise<string> | null = null;

  const renderWith = async (
    statusSummary: unknown,
    asOf: Date = beacon.clock.now(),
    preloadJson?: string,
  ): Promise<string> => {
    const preload = { statusSummary };
    const { renderStatusPage } = await import("../../web/src/ssr");
    const markup = renderStatusPage(preload as Parameters<typeof renderStatusPage>[0]);
    return (
      template
        // "Status as of" sits outside the app's root (React never touches it): it tells when this
        // snapshot of the page was made, which matters when the database is down and it is not renewed.
        // Replacer functions, not strings: the markup and the JSON carry people's text, and in a
        // replacement string "$&", "$'" or "$`" in an incident title would splice the page apart.
        .replace('<div id="root"></div>', () => `<div id="root">${markup}</div>\n${stamp(asOf)}`)
        // A data block, not a script: the Content-Security-Policy allows no inline script.
        .replace(
          "</head>",
          () =>
            `<script type="application/json" id="${PRELOAD_ELEMENT_ID}">${escapeJson(preloadJson ?? JSON.stringify(preload))}</script>\n</head>`,
        )
    );
  };

  const render = async (): Promise<string> => {
    const contextValue: BeaconContext = { beacon, principal: null, authProblem: null };
    const result = await execute({ schema, document, contextValue });
    if (result.errors?.length || !result.data) throw result.errors?.[0] ?? new Error("no data");
    return renderWith((result.data as { statusSummary: unknown }).statusSummary);
  };

  return {
    renderWith,
    async html() {
      const seq = beacon.hub.lastSeq;
      if (cached && cached.seq === seq && Date.now() - cached.at < MAX_AGE_MS) return cached.html;
      rendering ??= render()
        .then((html) => {
          cached = { seq, at: Date.now(), html };
          return html;
        })
        .finally(() => {
          rendering = null;
        });
      try {
        return await rendering;
      } catch (err) {
        // The page still works without a first paint: the browser loads the data itself.
        beacon.log.warn({ err }, "status page first paint failed; serving the plain app");
        return template;
      }
    },
  };
}
