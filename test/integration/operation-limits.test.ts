import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { LIMITS } from "../../server/app/operation-limits";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { aliasBomb, fragmentBomb } from "../support/hostile";
import { createService } from "../support/incidents";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let serviceId: string;
beforeAll(async () => {
  t = await startTestBeacon();
  serviceId = await createService(t.admin, "Core API");
});
afterAll(() => t?.stop());

async function post(body: unknown) {
  const started = performance.now();
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text, ms: performance.now() - started };
}

const BOMBS: [string, string, string][] = [
  ["the 650-byte nested-fragment bomb", fragmentBomb(), "structure"],
  ["1,000 aliases of statusSummary", aliasBomb(1000, "statusSummary { seq }"), "tokens"],
  ["100 aliases of statusSummary", aliasBomb(100, "statusSummary { seq }"), "aliases"],
  [
    "300 aliases of uptime(days: 366)",
    aliasBomb(300, "services { uptime(days: 366) { uptimePercent } }"),
    "tokens",
  ],
  [
    `${LIMITS.aliases} aliases of uptime(days: 366)`,
    aliasBomb(LIMITS.aliases, "services { uptime(days: 366) { uptimePercent } }"),
    "cost",
  ],
];

describe("operation limits over HTTP", () => {
  it.each(BOMBS)("refuse %s at once, as BAD_USER_INPUT naming the limit", async (_name, query, limit) => {
    const r = await post({ query });
    expect(r.status).toBe(400);
    expect(r.json.data).toBeUndefined();
    expect(r.json.errors[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", limit } });
    expect(r.json.errors[0].message).toMatch(/limit/);
    expect(r.text).not.toMatch(/\/work\/|node_modules|at .*\.ts:/);
    // Took 16-29 s before; a generous bound that still fails on the old behaviour.
    expect(r.ms).toBeLessThan(2000);
  });

  it("refuse a subscription sent over HTTP POST with a pointer to the WebSocket endpoint", async () => {
    const r = await post({ query: "subscription { statusChanged { seq } }" });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(r.json.errors[0].message).toMatch(/WebSocket/);
  });

  it("still answer a normal status page query", async () => {
    const r = await post({
      query: "{ statusSummary { seq services { name uptime(days: 90) { uptimePercent } } } }",
    });
    expect(r.status).toBe(200);
    expect(r.json.data.statusSummary.services).toHaveLength(1);
  });
});

describe("operation limits over graphql-ws: the same refusals, for that operation only", () => {
  it("refuse each bomb on one socket while a good subscription on it keeps receiving", async () => {
    const client = createClient({
      url: `${t.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const events: unknown[] = [];
    let closed = false;
    client.on("closed", () => {
      closed = true;
    });
    const stop = client.subscribe(
      { query: "subscription { statusChanged { seq service { status } } }" },
      { next: (v) => events.push(v.data), error: () => {}, complete: () => {} },
    );
    const refusal = (query: string) =>
      new Promise<{ errors: { message: string; extensions?: Record<string, unknown> }[]; ms: number }>(
        (resolve) => {
          const started = performance.now();
          client.subscribe(
            { query },
            {
              next: () => {},
              error: (e) => resolve({ errors: e as never, ms: performance.now() - started }),
              complete: () => resolve({ errors: [], ms: performance.now() - started }),
            },
          );
        },
      );
    for (const [, query, limit] of BOMBS) {
      const r = await refusal(query);
      expect(Array.isArray(r.errors)).toBe(true);
      expect(r.errors[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", limit } });
      expect(r.ms).toBeLessThan(2000);
    }
    const syntax = await refusal("subscription { statusChanged { seq ");
    expect(itemAt(syntax.errors, 0).extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const unknown = await refusal("subscription { nope }");
    expect(itemAt(unknown.errors, 0).extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(closed).toBe(false);

    await t.admin.ok(
      "mutation($id: ID!) { setServiceStatus(serviceId: $id, status: MAJOR_OUTAGE) { status } }",
      {
        id: serviceId,
      },
    );
    const deadline = Date.now() + 10_000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([
      { statusChanged: { seq: expect.any(String), service: { status: "MAJOR_OUTAGE" } } },
    ]);
    stop();
    await client.dispose();
  });
});
