import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestBeacon, type TestBeacon } from "../support/harness";

let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon({ env: { BEACON_WS_MAX_PER_ADDRESS: "5" } });
});
afterAll(() => t?.stop());

const wsUrl = () => `${t.url.replace("http", "ws")}/graphql`;

/** A raw graphql-transport-ws socket, to send what a well-behaved client never would. */
function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(), "graphql-transport-ws");
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}
const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)))));
}

describe("graphql-ws hardening", () => {
  it.each([
    ["a number", { authorization: 42 }],
    ["an object", { authorization: { token: "x" } }],
    ["an array", { Authorization: ["Bearer x"] }],
  ])("refuses a non-string authorization (%s) with 4400 and a clear reason", async (_name, payload) => {
    const ws = await open();
    const done = closed(ws);
    ws.send(JSON.stringify({ type: "connection_init", payload }));
    const { code, reason } = await done;
    expect(code).toBe(4400);
    expect(reason).toMatch(/authorization must be a string/);
  });

  it("accepts no connectionParams and a string authorization", async () => {
    for (const payload of [undefined, {}, { authorization: `Bearer ${t.admin.token}` }]) {
      const ws = await open();
      ws.send(JSON.stringify({ type: "connection_init", payload }));
      expect(await next(ws)).toEqual({ type: "connection_ack" });
      ws.close();
    }
  });

  it("closes a socket that sends a frame over 1 MB, before parsing it", async () => {
    const ws = await open();
    ws.send(JSON.stringify({ type: "connection_init" }));
    await next(ws);
    const done = closed(ws);
    ws.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: `{ statusSummary { seq } } #${"x".repeat(2_000_000)}` },
      }),
    );
    expect((await done).code).toBe(1009); // message too big
  });

  it("caps open sockets per address (HTTP 429 before the upgrade), and frees the slot on close", async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => open()));
    await expect(open()).rejects.toThrow(/HTTP 429/);
    const first = sockets[0];
    assert.exists(first, "the first socket");
    const gone = closed(first);
    first.close();
    await gone;
    await new Promise((r) => setTimeout(r, 50));
    const again = await open();
    again.close();
    for (const s of sockets.slice(1)) s.close();
  });
});
