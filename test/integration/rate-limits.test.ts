import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { graphqlFrom, nextMessage, requestFrom, socketFrom } from "../support/from-address";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { itemAt } from "../support/item-at";

// Low limits, and each case from its own loopback address (127.0.0.x), so the harness's own calls
// (from 127.0.0.1) and the cases do not share counts.
const LIMITS = {
  BEACON_RATE_HTTP_PER_MINUTE: "10",
  BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "4",
  BEACON_RATE_WS_SUBSCRIPTIONS_PER_MINUTE: "3",
};
const SEQ = "{ statusSummary { seq } }";

let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon({ env: LIMITS });
});
afterAll(() => t?.stop());

const wsUrl = () => `${t.url.replace("http", "ws")}/graphql`;

describe("anonymous HTTP, per IP, counted in each instance's memory", () => {
  it("refuses the request past the limit with 429, Retry-After and a JSON body, on /graphql, /api/* and feeds", async () => {
    const ip = "127.0.0.2";
    for (let i = 0; i < 10; i++) {
      const r = await graphqlFrom(ip, t.url, SEQ);
      expect(r.status, r.text).toBe(200);
    }
    const refused = await graphqlFrom(ip, t.url, SEQ);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers["content-type"]).toMatch(/json/);
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Too many requests from your network address.*Try again in \d+ second/),
      extensions: { code: "RATE_LIMITED", retryAfterSeconds: retryAfter },
    });

    const api = await requestFrom(ip, `${t.url}/api/v2/summary.json`);
    expect(api.status).toBe(429);
    expect(api.headers["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(api.text)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect((await requestFrom(ip, `${t.url}/history.atom`)).status).toBe(429);

    // Credentials that do not authenticate are anonymous; valid ones are not counted.
    expect((await graphqlFrom(ip, t.url, SEQ, {}, "bt_not-a-token")).status).toBe(429);
    const signedIn = await graphqlFrom(ip, t.url, SEQ, {}, t.admin.token!);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.data).toMatchObject({ statusSummary: { seq: expect.any(String) } });

    // Another address is not affected.
    expect((await graphqlFrom("127.0.0.3", t.url, SEQ)).status).toBe(200);

    // Counted per instance, in memory (docs/security.md: a database write per public read would
    // tie the status page to PostgreSQL): a second instance starts its own count.
    const second = await startTestBeacon({ databaseUrl: t.databaseUrl, env: LIMITS });
    try {
      expect((await graphqlFrom(ip, second.url, SEQ)).status).toBe(200);
    } finally {
      await second.started.stop();
    }
    const [rows] = await t.started.beacon.db
      .query("SELECT count(*)::int AS n FROM rate_limit WHERE key LIKE 'http-anonymous%'")
      .catch(() => [{ n: 0 }]);
    expect(rows.n).toBe(0);
  });
});

describe("WebSocket connections and subscription starts, per IP", () => {
  it("refuses the connection attempt past the limit with HTTP 429 and Retry-After, before the upgrade", async () => {
    const ip = "127.0.0.4";
    for (let i = 0; i < 4; i++) (await socketFrom(ip, wsUrl())).close();
    const refusal = await socketFrom(ip, wsUrl()).then(
      () => null,
      (e: Error & { status?: number; headers?: Record<string, string> }) => e,
    );
    expect(refusal?.status).toBe(429);
    expect(refusal?.headers?.["retry-after"]).toMatch(/^\d+$/);
    expect(refusal?.message).toMatch(/Too many WebSocket connections from your address/);
    (await socketFrom("127.0.0.5", wsUrl())).close();
  });

  it("answers a subscribe past the limit on an anonymous socket with RATE_LIMITED for that operation only", async () => {
    const ip = "127.0.0.6";
    const ws = await socketFrom(ip, wsUrl());
    ws.send(JSON.stringify({ type: "connection_init" }));
    expect(await nextMessage(ws)).toEqual({ type: "connection_ack" });
    const subscribe = (id: string) =>
      ws.send(
        JSON.stringify({
          id,
          type: "subscribe",
          payload: { query: "subscription { statusChanged { seq } }" },
        }),
      );
    for (const id of ["1", "2", "3"]) subscribe(id);
    await new Promise((r) => setTimeout(r, 200));
    const answer = nextMessage(ws);
    subscribe("4");
    const refused = (await answer) as {
      id: string;
      type: string;
      payload: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(refused).toMatchObject({ id: "4", type: "error" });
    expect(itemAt(refused.payload, 0).extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: expect.any(Number),
    });
    expect(itemAt(refused.payload, 0).message).toMatch(/Too many subscriptions started from your address/);
    expect(ws.readyState).toBe(ws.OPEN);
    // The socket's other subscriptions are alive: completing one is accepted without a close.
    ws.send(JSON.stringify({ id: "1", type: "complete" }));
    ws.send(JSON.stringify({ type: "ping" }));
    expect(await nextMessage(ws)).toEqual({ type: "pong" });
    ws.close();

    // A socket that signed in is not counted.
    const signed: WebSocket = await socketFrom(ip, wsUrl()).catch(() => socketFrom("127.0.0.7", wsUrl()));
    signed.send(
      JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${t.admin.token}` } }),
    );
    expect(await nextMessage(signed)).toEqual({ type: "connection_ack" });
    for (const id of ["a", "b", "c", "d", "e"]) {
      signed.send(
        JSON.stringify({
          id,
          type: "subscribe",
          payload: { query: "subscription { statusChanged { seq } }" },
        }),
      );
    }
    const pong = nextMessage(signed);
    signed.send(JSON.stringify({ type: "ping" }));
    expect(await pong).toEqual({ type: "pong" }); // no error message came before it
    signed.close();
  });
});
