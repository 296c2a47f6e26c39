import type { ApolloServer } from "@apollo/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import {
  type DocumentNode,
  type ExecutionResult,
  execute as executeDocument,
  type GraphQLSchema,
  parse,
} from "graphql";
import { documentText } from "../../web/src/graphql";
import {
  PUBLIC_INCIDENTS_QUERY,
  STATUS_PAGE_QUERY,
  STATUS_SEQ_QUERY,
} from "../../web/src/status-page/queries";
import type { Beacon, BeaconContext } from "../kernel/context";
import {
  type FirstPaint,
  presetStatusSummary,
  type StatusSummaryView,
  statuspageDocuments,
  statusSummary,
} from "../status-page";
import { type FastPath, type FastPathOptions, publicFastPath } from "./fast-path";
import {
  type AnonymousExecute,
  type GraphqlRequest,
  graphqlKey,
  PublicGraphqlRequests,
  publicGraphqlCache,
} from "./graphql-cache";
import { Route, sendPrepared } from "./prepared-body";
import { httpKey, type Produced, PublicSnapshot } from "./snapshot";

const JSON_TYPE = "application/json; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";
/** The history page's first page (as the web client sends it: `documentText`) (web/src/status-page/HistoryPage.tsx). */
const HISTORY_PAGE = 20;
/** Requests executed without Apollo's pipeline (`run`): the registered ones plus the learned keys (256). */
const MAX_ACCEPTED = 512;

export { httpKey };

export interface PublicSide {
  snapshot: PublicSnapshot;
  /** `GET /` and `GET /api/v2/*.json` from the snapshot; falls through when it has no such body. */
  http: RequestHandler;
  /** Anonymous public GraphQL reads from the snapshot (docs/performance.md). */
  graphql: RequestHandler;
  /** The same reads in the node:http listener, before express (fast-path.ts). */
  fastPath(options: Omit<FastPathOptions, "snapshot" | "requests">): FastPath;
  stop(): Promise<void>;
}

const DATA_PREFIX = '{"data":';
const BODY_END = "}\n";

/**
 * `JSON.stringify({ statusSummary })` cut out of the status page's GraphQL body
 * (`{"data":{"statusSummary":...}}` + "\n"), which serializes exactly that object after `{"data":`:
 * the page's preload block needs the same JSON. Undefined (serialize it again) for any other shape.
 */
export function preloadJsonOf(result: ExecutionResult, body: string): string | undefined {
  const data = result.data;
  if (!data || Object.keys(data).length !== 1 || !("statusSummary" in data)) return undefined;
  for (const [k, v] of Object.entries(result)) if (k !== "data" && v !== undefined) return undefined;
  if (!body.startsWith(DATA_PREFIX) || !body.endsWith(BODY_END)) return undefined;
  return body.slice(DATA_PREFIX.length, -BODY_END.length);
}

/**
 * Assembles the public snapshot from the same sources the live routes use — the status page's own
 * queries run as an anonymous caller (through Apollo, then graphql-js `execute`: `run`), the
 * first-paint renderer, the Statuspage documents — so whatever they add to the public projection
 * flows into it.
 */
export function createPublicSide(
  beacon: Beacon,
  apollo: ApolloServer<BeaconContext>,
  schema: GraphQLSchema,
  firstPaint: FirstPaint | null,
): PublicSide {
  const snapshot = new PublicSnapshot(
    () => beacon.hub.lastSeq,
    beacon.log.child({ component: "public-snapshot" }),
    () => beacon.clock.now(),
    (err) => beacon.database.report(err),
  );
  const anonymous = (): BeaconContext => ({ beacon, principal: null, authProblem: null });
  // statusSummary is read once per build, for the status page's result and every JSON body alike.
  let shared: { build: number; summary: Promise<StatusSummaryView> } | null = null;
  const summaryOfBuild = (): Promise<StatusSummaryView> => {
    if (shared?.build !== snapshot.building) {
      const summary = statusSummary(beacon);
      // Awaited by whichever bodies of this build get to it; when the database is down the build
      // fails before some do, and a rejection nobody awaited yet must not count as unhandled (each
      // body that awaits it still gets the error).
      summary.catch(() => {});
      shared = { build: snapshot.building, summary };
    }
    return shared.summary;
  };
  const throughApollo = async (request: GraphqlRequest, contextValue: BeaconContext) => {
    const response = await apollo.executeOperation(request, { contextValue });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not cached");
    return response.body.singleResult;
  };
  // Requests Apollo once answered without errors (parse, validation, the cost check passed), by key:
  // a build runs them again with graphql-js's `execute` on the same schema, skipping Apollo's
  // per-request pipeline and its per-field plugin hooks (~3,500 fields in the status page query,
  // mostly uptime days: a good part of a build's CPU, docs/performance.md). The result is the same
  // object Apollo would answer (Apollo runs the same `execute`), so the same bytes.
  const accepted = new Map<string, DocumentNode>();
  const run = async (
    request: GraphqlRequest,
    summary?: () => Promise<StatusSummaryView>,
  ): Promise<ExecutionResult> => {
    const contextValue = anonymous();
    if (summary) presetStatusSummary(contextValue, summary);
    const key = graphqlKey(request);
    const document = accepted.get(key);
    if (document) {
      const result = await executeDocument({
        schema,
        document,
        contextValue,
        variableValues: request.variables,
        operationName: request.operationName,
      });
      // Failures (the database is down, ...) go through Apollo again: its error formatting and masking.
      if (!result.errors?.length) return result;
      accepted.delete(key);
    }
    const result = await throughApollo(request, contextValue);
    if (!result.errors?.length && result.data) {
      if (accepted.size >= MAX_ACCEPTED) accepted.clear();
      accepted.set(key, parse(request.query));
    }
    return result as ExecutionResult;
  };
  // Apollo writes JSON.stringify(result) + "\n"; the snapshot serves the same bytes.
  const serialize = (result: unknown) => `${JSON.stringify(result)}\n`;
  // In a build, learned public queries that read statusSummary share the build's one read too.
  const execute: AnonymousExecute = async (request, inBuild) => {
    const result = await run(request, inBuild ? summaryOfBuild : undefined);
    return result.errors?.length ? null : serialize(result);
  };

  const statusPage: GraphqlRequest = { query: documentText(STATUS_PAGE_QUERY) };
  const statusSeq: GraphqlRequest = { query: documentText(STATUS_SEQ_QUERY) };
  snapshot.registerGroup(
    [graphqlKey(statusPage), graphqlKey(statusSeq), ...(firstPaint ? [httpKey("/")] : [])],
    async () => {
      const result = await run(statusPage, summaryOfBuild);
      if (result.errors?.length || !result.data) {
        throw new Error(`the status page query failed: ${result.errors?.[0]?.message ?? "no data"}`);
      }
      const summary = (result.data as { statusSummary: { seq: string } }).statusSummary;
      const content = serialize(result);
      const out = new Map<string, Produced>([
        [graphqlKey(statusPage), { content, type: JSON_TYPE }],
        [
          graphqlKey(statusSeq),
          { content: serialize({ data: { statusSummary: { seq: summary.seq } } }), type: JSON_TYPE },
        ],
      ]);
      if (firstPaint)
        out.set(httpKey("/"), {
          content: await firstPaint.renderWith(summary, undefined, preloadJsonOf(result, content)),
          type: HTML_TYPE,
        });
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
    const summary = await summaryOfBuild();
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
    sendPrepared(req, res, body, req.path.startsWith("/api/") ? Route.API : Route.PAGE);
  };

  const requests = new PublicGraphqlRequests();
  return {
    snapshot,
    http,
    graphql: publicGraphqlCache(snapshot, requests, execute),
    fastPath: (options) => publicFastPath({ ...options, snapshot, requests }),
    async stop() {
      unsubscribe();
      await snapshot.stop();
    },
  };
}
