/**
 * The floors Beacon is measured against, each in a process of its own like Beacon (beacon-child.ts):
 *
 * - `http`: a bare `node:http` server repeating responses captured from Beacon byte for byte (same
 *   status, headers and compressed body), so only the work of producing them differs.
 * - `ws`: a bare `ws` server (same options as Beacon's: path, maxPayload, no compression) speaking
 *   just enough graphql-ws (connection_ack, pong) for the same graphql-ws clients to connect and
 *   subscribe; `POST /broadcast` turns its body into one Buffer and writes it to every socket.
 * - `graphql`: the stack Beacon is built on with nothing of Beacon's: a bare Apollo Server
 *   (`startStandaloneServer`, node:http) whose one mutation `setStatus(id, status)` is the least a
 *   transactional write can be, `BEGIN; SELECT ... FOR UPDATE; UPDATE; COMMIT` on a `pg` pool,
 *   against the same database. No sign-in, no history, no event: where the design's own floor is.
 *
 *   tsx test/bench/floor-servers.ts http|ws|graphql [database url]   (forked by kit.ts, over IPC)
 */
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import pg from "pg";
import { WebSocketServer } from "ws";
import { type Answer, type Ask, type FloorRoute, settledMemory } from "./ipc";

const reply = (m: Answer) => process.send!(m);
const mode = process.argv[2];

let routes = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();

function staticServer(): http.Server {
  return http.createServer((req, res) => {
    const route = routes.get(`${req.method} ${req.url}`);
    if (!route) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.writeHead(route.status, route.headers);
    res.end(route.body);
  });
}

function broadcastServer(): http.Server {
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/broadcast") {
      res.statusCode = 404;
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // The frame exactly as the sender serialized it, once, for every socket.
      const frame = Buffer.concat(chunks);
      for (const socket of wss.clients) socket.send(frame, { binary: false });
      res.statusCode = 204;
      res.end();
    });
  });
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: 1024 * 1024 });
  wss.on("connection", (socket) => {
    socket.on("message", (data) => {
      const type = (JSON.parse(String(data)) as { type?: string }).type;
      if (type === "connection_init") socket.send('{"type":"connection_ack"}');
      else if (type === "ping") socket.send('{"type":"pong"}');
      // "subscribe": every socket gets every broadcast; "complete": the client is leaving.
    });
  });
  return server;
}

/** The floor table: one row per id, like a service's status. */
const GRAPHQL_FLOOR_TABLE = "bench_graphql_floor";

async function graphqlServer(databaseUrl: string): Promise<{ port: number; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${GRAPHQL_FLOOR_TABLE} (id text PRIMARY KEY, status text NOT NULL)`,
  );
  // The rows the bench writes exist before it starts, as a service does.
  await pool.query(
    `INSERT INTO ${GRAPHQL_FLOOR_TABLE} (id, status) VALUES ('bench', 'OPERATIONAL') ON CONFLICT DO NOTHING`,
  );
  const apollo = new ApolloServer({
    typeDefs: "type Query { ok: Boolean } type Mutation { setStatus(id: ID!, status: String!): String }",
    resolvers: {
      Query: { ok: () => true },
      Mutation: {
        setStatus: async (_: unknown, a: { id: string; status: string }) => {
          const c = await pool.connect();
          try {
            await c.query("BEGIN");
            await c.query(`SELECT status FROM ${GRAPHQL_FLOOR_TABLE} WHERE id = $1 FOR UPDATE`, [a.id]);
            await c.query(`UPDATE ${GRAPHQL_FLOOR_TABLE} SET status = $2 WHERE id = $1`, [a.id, a.status]);
            await c.query("COMMIT");
            return a.status;
          } catch (err) {
            await c.query("ROLLBACK");
            throw err;
          } finally {
            c.release();
          }
        },
      },
    },
  });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: "127.0.0.1" } });
  return {
    port: Number(new URL(url).port),
    async close() {
      await apollo.stop();
      await pool.query(`DROP TABLE IF EXISTS ${GRAPHQL_FLOOR_TABLE}`);
      await pool.end();
    },
  };
}

let closeGraphql = async () => {};
if (mode === "graphql") {
  const floor = await graphqlServer(process.argv[3]!);
  closeGraphql = floor.close;
  reply({ type: "ready", port: floor.port });
} else {
  const server = mode === "ws" ? broadcastServer() : staticServer();
  server.listen(0, "127.0.0.1", () => {
    reply({ type: "ready", port: (server.address() as { port: number }).port });
  });
}

process.on("message", (m: Ask) => {
  if (m.type === "routes") {
    routes = new Map(
      m.routes.map((r: FloorRoute) => [
        r.key,
        { status: r.status, headers: r.headers, body: Buffer.from(r.body, "base64") },
      ]),
    );
    reply({ type: "answer", id: m.id });
  } else if (m.type === "memory") reply({ type: "answer", id: m.id, memory: settledMemory() });
  else if (m.type === "cpu") reply({ type: "answer", id: m.id, cpu: process.cpuUsage() });
  else if (m.type === "stop") {
    void closeGraphql().finally(() =>
      process.send!({ type: "answer", id: m.id } satisfies Answer, () => process.exit(0)),
    );
  } else reply({ type: "answer", id: m.id });
});
process.on("disconnect", () => process.exit(0));
