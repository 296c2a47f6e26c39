import type { ApolloServer } from "@apollo/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { documentText } from "../../web/src/graphql";
import {
  PUBLIC_INCIDENTS_QUERY,
  STATUS_PAGE_QUERY,
  STATUS_SEQ_QUERY,
} from "../../web/src/status-page/queries";
import type { Beacon, BeaconContext } from "../kernel/context";
import { type FirstPaint, statuspageDocuments, statusSummary } from "../status-page";
import {
  type AnonymousExecute,
  type GraphqlRequest,
  graphqlKey,
  PUBLIC_CACHE_CONTROL,
  publicGraphqlCache,
} from "./graphql-cache";
import { sendPrepared } from "./prepared-body";
import { type Produced, PublicSnapshot } from "./snapshot";

const JSON_TYPE = "application/json; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";
/** The history page's first page (as the web client sends it: `documentText`) (web/src/status-page/HistoryPage.tsx). */
const HISTORY_PAGE = 20;

export const httpKey = (path: string) => `http\n${path}`;

export interface PublicSide {
  snapshot: PublicSnapshot;
  /** `GET /` and `GET /api/v2/*.json` from the snapshot; falls through when it has no such body. */
  http: RequestHandler;
  /** Anonymous public GraphQL reads from the snapshot (docs/performance.md). */
  graphql: RequestHandler;
  stop(): Promise<void>;
}

/**
 * Assembles the public snapshot from the same sources the live routes use — the status page's own
 * queries run through Apollo as an anonymous caller, the first-paint renderer, the Statuspage
 * documents — so whatever they add to the public projection flows into it.
 */
export function createPublicSide(
  beacon: Beacon,
  apollo: ApolloServer<BeaconContext>,
  firstPaint: FirstPaint | null,
): PublicSide {
  const snapshot = new PublicSnapshot(
    () => beacon.hub.lastSeq,
    beacon.log.child({ component: "public-snapshot" }),
    () => beacon.clock.now(),
  );
  const anonymous = (): BeaconContext => ({ beacon, principal: null, authProblem: null });
  const run = async (request: GraphqlRequest) => {
    const response = await apollo.executeOperation(request, { contextValue: anonymous() });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not cached");
    return response.body.singleResult;
  };
  // Apollo writes JSON.stringify(result) + "\n"; the snapshot serves the same bytes.
  const serialize = (result: unknown) => `${JSON.stringify(result)}\n`;
  const execute: AnonymousExecute = async (request) => {
    const result = await run(request);
    return result.errors?.length ? null : serialize(result);
  };

  const statusPage: GraphqlRequest = { query: documentText(STATUS_PAGE_QUERY) };
  const statusSeq: GraphqlRequest = { query: documentText(STATUS_SEQ_QUERY) };
  snapshot.registerGroup(
    [graphqlKey(statusPage), graphqlKey(statusSeq), ...(firstPaint ? [httpKey("/")] : [])],
    async () => {
      const result = await run(statusPage);
      if (result.errors?.length || !result.data) {
        throw new Error(`the status page query failed: ${result.errors?.[0]?.message ?? "no data"}`);
      }
      const summary = (result.data as { statusSummary: { seq: string } }).statusSummary;
      const out = new Map<string, Produced>([
        [graphqlKey(statusPage), { content: serialize(result), type: JSON_TYPE }],
        [
          graphqlKey(statusSeq),
          { content: serialize({ data: { statusSummary: { seq: summary.seq } } }), type: JSON_TYPE },
        ],
      ]);
      if (firstPaint)
        out.set(httpKey("/"), { content: await firstPaint.renderWith(summary), type: HTML_TYPE });
      return out;
    },
  );

  const history: GraphqlRequest = {
    query: documentText(PUBLIC_INCIDENTS_QUERY),
    variables: { first: HISTORY_PAGE },
  };
  snapshot.register(graphqlKey(history), async () => {
    const json = await execute(history);
    return json === null ? null : { content: json, type: JSON_TYPE };
  });

  const documents = statuspageDocuments(beacon);
  const jsonPaths = [...documents.keys()].map((p) => `/api/v2${p}`);
  snapshot.registerGroup(jsonPaths.map(httpKey), async () => {
    const summary = await statusSummary(beacon);
    const out = new Map<string, Produced>();
    for (const [p, build] of documents) {
      out.set(httpKey(`/api/v2${p}`), { content: JSON.stringify(await build(summary)), type: JSON_TYPE });
    }
    return out;
  });

  const unsubscribe = beacon.hub.onDispatched(() => snapshot.requestBuild());

  const http: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const body = snapshot.get(httpKey(req.path));
    if (!body) return next();
    sendPrepared(req, res, body, {
      cacheControl: PUBLIC_CACHE_CONTROL,
      vary: "Accept-Encoding",
      headers: {
        "X-Beacon-Snapshot-Seq": snapshot.seq ?? "",
        ...(req.path.startsWith("/api/") ? { "Access-Control-Allow-Origin": "*" } : {}),
      },
    });
  };

  return {
    snapshot,
    http,
    graphql: publicGraphqlCache(snapshot, execute),
    async stop() {
      unsubscribe();
      await snapshot.stop();
    },
  };
}
