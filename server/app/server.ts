import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import express from "express";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import proxyaddr from "proxy-addr";
import { WebSocketServer } from "ws";
import {
  authenticateHttp,
  authenticateUpgrade,
  sessionCookieJar,
  sessionTokenOf,
  usesSessionCookie,
} from "../auth/session-cookie";
import { SharedFanout } from "../events/shared-fanout";
import { feedRouter } from "../feeds";
import { requesterPagesRouter } from "../incidents";
import type { Beacon, BeaconContext } from "../kernel/context";
import { createErrorFormatter } from "../kernel/errors";
import { maintenanceCalendarRouter } from "../maintenance";
import { bodyErrorOf, type FastPath } from "../public-snapshot/fast-path";
import { createPublicSide, type PublicSide } from "../public-snapshot/public-side";
import type { PublicSnapshot } from "../public-snapshot/snapshot";
import { createFirstPaint } from "../status-page/first-paint";
import { statusJsonRouter } from "../status-page/status-json.router";
import { subscriptionPagesRouter } from "../subscriptions";
import { httpErrorHandler, notFoundHandler, requireJsonBody } from "./http-errors";
import { armorRules, LIMITS, operationLimitsPlugin, prepareOperation } from "./operation-limits";
import { checkReadiness } from "./readiness";
import {
  anonymousHttpAdmission,
  anonymousHttpLimit,
  authenticatedOf,
  wsConnectionLimit,
  wsSubscriptionLimit,
} from "./request-limits";
import { beaconSchema } from "./schema";
import { securityHeaderLists, securityHeaders } from "./security-headers";
import {
  clientAddress,
  connectionCap,
  quietClientProtocolErrors,
  readConnectionParams,
  resolveClientAddresses,
  WS_MAX_PAYLOAD,
} from "./ws-guard";

export interface RunningServer {
  url: string;
  port: number;
  /** This instance's public snapshot (docs/performance.md). */
  publicSnapshot: PublicSnapshot;
  close(): Promise<void>;
}

// "/" is served by the first-paint route; these load the app and route in the browser.
const SPA_ROUTES = ["/history", "/incidents/{*rest}", "/war-room", "/war-room/{*rest}"];

/** HTTP (Apollo on express 5) and graphql-ws share one port and the /graphql path. */
export async function startHttpServer(beacon: Beacon, port: number, host: string): Promise<RunningServer> {
  const schema = await beaconSchema();
  const formatError = createErrorFormatter(beacon.log, (err) => beacon.database.report(err));
  const app = express();
  // Behind trusted reverse proxies req.ip is the client's address (X-Forwarded-For), not the proxy's.
  if (beacon.config.trustProxy) app.set("trust proxy", proxyaddr.compile(beacon.config.trustProxy));
  app.disable("x-powered-by");
  const headerLists = securityHeaderLists(beacon.config);
  app.use(securityHeaders(headerLists));
  // The public side (status page, Statuspage JSON, public GraphQL reads) is answered from the
  // per-instance snapshot before anything else runs: bytes already compressed, no database.
  let publicSide: PublicSide | null = null;
  // Per-IP limits on the anonymous ways in, before any parsing or snapshot (request-limits.ts).
  app.use("/graphql", anonymousHttpLimit(beacon, { authenticates: true }));
  app.use(["/api", "/history.atom", "/history.rss"], anonymousHttpLimit(beacon, { authenticates: false }));
  app.get(["/", "/api/v2/{*rest}"], (req, res, next) =>
    publicSide ? publicSide.http(req, res, next) : next(),
  );
  app.use(
    "/graphql",
    // A body the fast path already read and found malformed: the same 400 as express.json() gives.
    (req, _res, next) => next(bodyErrorOf(req)),
    express.json({ limit: "1mb" }),
    (req, res, next) => {
      // A signed-in browser's request is private: not from the anonymous snapshot, never cached.
      if (usesSessionCookie(req.headers)) {
        res.setHeader("Cache-Control", "private, no-store");
        return next();
      }
      return publicSide ? publicSide.graphql(req, res, next) : next();
    },
  );
  // The server-rendered status page carries 90 days of uptime bars: gzip takes it from ~135 kB to ~5 kB.
  app.use(compression());
  // The snapshot's reads are answered before express once the snapshot exists (fast-path.ts);
  // everything else, and every read the fast path passes on, is express's.
  let fastPath: FastPath | null = null;
  const httpServer = http.createServer((req, res) => {
    if (fastPath) fastPath(req, res, () => app(req, res));
    else app(req, res);
  });
  resolveClientAddresses(httpServer, beacon.config.trustProxy);

  // Frames over 1 MB close the socket before they are parsed; too many sockets from one address get
  // HTTP 429 before the upgrade (see ws-guard.ts).
  const wsCap = connectionCap(beacon.config.wsMaxPerAddress);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: WS_MAX_PAYLOAD,
    verifyClient: wsConnectionLimit(beacon, wsCap.verifyClient),
  });
  const subscriptionLimit = wsSubscriptionLimit(beacon);
  wsCap.attach(wsServer);
  quietClientProtocolErrors(wsServer, beacon.log);
  // Public subscriptions (statusChanged with public fields only) share one execution and one
  // serialized payload per event and operation shape; everything else runs per subscriber.
  const fanout = new SharedFanout({
    enabled: beacon.config.sharedFanout,
    stats: beacon.hub.fanout,
    anonymousContext: (): BeaconContext => ({ beacon, principal: null, authProblem: null }),
    formatErrors: (errors) => errors.map((e) => formatError(e.toJSON(), e)),
  });
  // biome-ignore lint/correctness/useHookAtTopLevel: graphql-ws's useServer is not a React hook.
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      // Parse, validate and cost here (not graphql-ws's defaults) so the limits are the same as over
      // HTTP and a bad operation errors only itself, never the socket and its other subscriptions.
      onSubscribe: async (ctx, _id, payload) => {
        const limited = await subscriptionLimit.check(ctx.extra.socket, ctx.extra.request);
        if (limited) return limited;
        const prepared = prepareOperation(schema, payload.query, payload.operationName, payload.variables);
        if ("errors" in prepared) return [...prepared.errors];
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      // connectionParams are arbitrary client JSON: a wrong type is a clear 4400, not a 4500.
      onConnect: async (ctx) => {
        const read = readConnectionParams(ctx.connectionParams);
        if ("problem" in read) {
          ctx.extra.socket.close(4400, read.problem);
          return false;
        }
        await subscriptionLimit.connected(ctx.extra.socket, ctx.extra.request, read.authorization);
        return true;
      },
      context: async (ctx, id): Promise<BeaconContext> => {
        const read = readConnectionParams(ctx.connectionParams);
        const { principal, problem } = await authenticateUpgrade(
          beacon,
          ctx.extra.request,
          "authorization" in read ? read.authorization : undefined,
        );
        const context: BeaconContext = {
          beacon,
          principal,
          authProblem: problem,
          ip: clientAddress(ctx.extra.request),
        };
        fanout.bind(context, ctx.extra.socket, id);
        return context;
      },
      subscribe: fanout.subscribe,
      // Not called for shared subscriptions: SharedFanout applies the same error mapping once.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => formatError(e instanceof GraphQLError ? e.toJSON() : { message: String(e) }, e)),
    },
    wsServer,
  );

  const apollo = new ApolloServer<BeaconContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules: armorRules(),
    parseOptions: { maxTokens: LIMITS.tokens },
    introspection: true,
    // Beacon's main stops everything in order on SIGINT/SIGTERM (server/main.ts). Apollo's own signal
    // handlers stopped it first, and the ordered shutdown's second apollo.stop() then never returned:
    // the process was killed by the shutdown timeout and left the embedded PostgreSQL running.
    stopOnTerminationSignals: false,
    plugins: [
      operationLimitsPlugin(schema),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's landing page runs inline script and a CDN's (Sandbox): the CSP refuses both, and a
      // status service should not pull third-party code. Any GraphQL client works (introspection is on).
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // GraphQL first among the routes: every signed-in request and every write comes this way, and
  // express tries the routes in order.
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    requireJsonBody,
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<BeaconContext> => {
        // Known not to answer: SERVICE_UNAVAILABLE now, not after the connection and query timeouts.
        beacon.database.assertUp();
        const sessionCookie = sessionCookieJar(
          res,
          req.secure || beacon.config.publicUrl.startsWith("https:"),
        );
        const { principal, problem, fromCookie } =
          authenticatedOf(res) ?? (await authenticateHttp(beacon, req.headers));
        // A cookie whose session ended is cleared, so the browser stops sending it.
        if (fromCookie && !principal) sessionCookie.clear();
        return { beacon, principal, authProblem: problem, ip: req.ip ?? null, sessionCookie };
      },
    }),
  );

  // Liveness: the process answers (no database work). Readiness: it can do its work now
  // (docs/operations.md); 503 names what is not ready.
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, seq: beacon.hub.lastSeq, subscribers: beacon.hub.subscriberCount });
  });
  app.get("/readyz", async (_req, res) => {
    const report = await checkReadiness(beacon);
    res.setHeader("Cache-Control", "no-store");
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.use("/api/v2", statusJsonRouter(beacon));
  app.use("/subscriptions", subscriptionPagesRouter(beacon));
  app.use("/incidents", requesterPagesRouter(beacon));
  app.use(feedRouter(beacon));
  app.use(maintenanceCalendarRouter(beacon));

  const index = path.join(beacon.config.webDir, "index.html");
  const firstPaint = fs.existsSync(index) ? createFirstPaint(beacon, schema, beacon.config.webDir) : null;
  const side = createPublicSide(beacon, apollo, schema, firstPaint);
  await side.snapshot.start();
  publicSide = side;
  fastPath = side.fastPath({
    baseHeaders: headerLists,
    admit: anonymousHttpAdmission(beacon),
    carriesCredentials: (req) =>
      req.headers.authorization !== undefined ||
      (req.headers.cookie !== undefined && sessionTokenOf(req.headers.cookie) !== null),
  });
  if (firstPaint) {
    app.get("/", async (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.type("html").send(await firstPaint.html());
    });
    // Source maps are not built (web/vite.config.ts); one left in webDir is not served either.
    app.use((req, res, next) =>
      req.path.endsWith(".map") ? res.status(404).type("text/plain").send("Not found\n") : next(),
    );
    app.use(express.static(beacon.config.webDir, { index: false, maxAge: "1h" }));
    app.get(SPA_ROUTES, (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(index);
    });
  } else {
    app.get("/", (_req, res) => {
      res
        .type("text/plain")
        .send(
          "Beacon is running. The web app is not built yet: run `npm run build:web`. The API is at /graphql.",
        );
    });
  }

  app.use(notFoundHandler);
  app.use(httpErrorHandler(beacon.log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    port: actualPort,
    publicSnapshot: side.snapshot,
    async close() {
      // Ends open WebSockets (clients reconnect elsewhere and resume by seq), then drains HTTP.
      for (const client of wsServer.clients) client.close(1001, "Server shutting down");
      await publicSide?.stop();
      await apollo.stop();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}
