/**
 * The floors Beacon is measured against, each in a process of its own like Beacon (beacon-child.ts):
 *
 * - `http`: a bare `node:http` server repeating responses captured from Beacon byte for byte (same
 *   status, headers and compressed body), so only the work of producing them differs.
 * - `ws`: a bare `ws` server (same options as Beacon's: path, maxPayload, no compression) speaking
 *   just enough graphql-ws (connection_ack, pong) for the same graphql-ws clients to connect and
 *   subscribe; `POST /broadcast` turns its body into one Buffer and writes it to every socket.
 *
 *   tsx test/bench/floor-servers.ts http|ws   (forked by kit.ts, driven over IPC)
 */
import http from "node:http";
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

const server = mode === "ws" ? broadcastServer() : staticServer();
server.listen(0, "127.0.0.1", () => {
  reply({ type: "ready", port: (server.address() as { port: number }).port });
});

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
    process.send!({ type: "answer", id: m.id } satisfies Answer, () => process.exit(0));
  } else reply({ type: "answer", id: m.id });
});
process.on("disconnect", () => process.exit(0));
