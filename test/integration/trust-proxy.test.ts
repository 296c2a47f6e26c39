import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestBeacon, type TestBeacon } from "../support/harness";

// Behind a reverse proxy every client arrives from the proxy's address. With BEACON_TRUST_PROXY the
// per-address limits count the client named in X-Forwarded-For; without it, that header is ignored
// (anyone could send one to dodge the limits).

const LIMITS = { BEACON_RATE_HTTP_PER_MINUTE: "3", BEACON_WS_MAX_PER_ADDRESS: "2" };
const SEQ = JSON.stringify({ query: "{ statusSummary { seq } }" });

let trusting: TestBeacon;
let direct: TestBeacon;

beforeAll(async () => {
  trusting = await startTestBeacon({ env: { ...LIMITS, BEACON_TRUST_PROXY: "loopback" } });
  direct = await startTestBeacon({ databaseUrl: trusting.databaseUrl, env: LIMITS });
}, 120_000);

afterAll(async () => {
  await direct?.started.stop();
  await trusting?.stop();
});

const read = (t: TestBeacon, forwardedFor: string) =>
  fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: SEQ,
  }).then((r) => r.status);

function openSocket(
  t: TestBeacon,
  forwardedFor: string,
): Promise<{ status: "open" | number; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${t.url.replace("http", "ws")}/graphql`, "graphql-transport-ws", {
      headers: { "x-forwarded-for": forwardedFor },
    });
    ws.once("open", () => resolve({ status: "open", ws }));
    ws.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode ?? 0, ws }));
    ws.once("error", () => {});
  });
}

describe("BEACON_TRUST_PROXY", () => {
  it("counts HTTP per forwarded client behind a trusted proxy", async () => {
    for (let i = 0; i < 3; i++) expect(await read(trusting, "203.0.113.7")).toBe(200);
    expect(await read(trusting, "203.0.113.7")).toBe(429);
    // Another client behind the same proxy is not affected.
    expect(await read(trusting, "198.51.100.9")).toBe(200);
  });

  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    // Spend this address's allowance (the harness signed in from it too), whatever it claims to be.
    let status = 200;
    for (let i = 0; i < 5 && status === 200; i++) status = await read(direct, `192.0.2.${i + 1}`);
    expect(status).toBe(429);
    // Claiming to be yet another client does not help: the TCP peer is the client.
    expect(await read(direct, "192.0.2.99")).toBe(429);
  });

  it("caps open WebSockets per forwarded client", async () => {
    const opened: WebSocket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = await openSocket(trusting, "203.0.113.50");
        opened.push(s.ws);
        expect(s.status).toBe("open");
      }
      const third = await openSocket(trusting, "203.0.113.50");
      opened.push(third.ws);
      expect(third.status).toBe(429);
      const other = await openSocket(trusting, "203.0.113.51");
      opened.push(other.ws);
      expect(other.status).toBe("open");
    } finally {
      for (const ws of opened) ws.terminate();
    }
  });
});
