// The snapshot's builds run the status page's queries with graphql-js's `execute` once Apollo has
// answered them (public-side.ts `run`): the bytes served must be exactly Apollo's. The clock is pinned
// so two executions at the same seq see the same "now" (today's uptime counts up to it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/kernel/clock";
import { documentText } from "../../web/src/graphql";
import * as web from "../../web/src/status-page/queries";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService, openIncident, setServiceStatus } from "../support/incidents";

const STATUS_PAGE_QUERY = documentText(web.STATUS_PAGE_QUERY);
const PUBLIC_INCIDENTS_QUERY = documentText(web.PUBLIC_INCIDENTS_QUERY);

let t: TestBeacon;
let variant = 0;

/** An anonymous POST, as the status page or a monitor sends it; the body's exact text. */
async function post(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { text: await res.text(), seq: res.headers.get("x-beacon-snapshot-seq") };
}

/**
 * The snapshot's body for a query (made by a build) and Apollo's answer to the same operation in the
 * same generation: the same text with trailing spaces added is a key no build made, so its first
 * read is produced by Apollo.
 */
async function builtAndApollo(query: string, variables: Record<string, unknown> = {}) {
  const snapshot = t.started.server.publicSnapshot;
  snapshot.requestBuild();
  await snapshot.settled();
  const built = await post(query, variables);
  variant++;
  const apollo = await post(`${query}${" ".repeat(variant)}`, variables);
  return { built, apollo };
}

beforeAll(async () => {
  t = await startTestBeacon({ clock: new ManualClock(new Date("2026-06-01T12:00:00Z")) });
});

afterAll(async () => {
  await t?.stop();
});

describe("the snapshot's build executes its queries without Apollo", () => {
  it("and serves exactly Apollo's bytes, through status changes and a public incident", async () => {
    const api = await createService(t.admin, "API", "Platform");
    const checkout = await createService(t.admin, "Checkout", "Customer-facing");
    const steps: (() => Promise<unknown>)[] = [
      async () => {},
      () => setServiceStatus(t.admin, api, "DEGRADED_PERFORMANCE"),
      () => openIncident(t.admin, { title: "Card payments fail", public: true, serviceIds: [checkout] }),
      () => setServiceStatus(t.admin, checkout, "MAJOR_OUTAGE"),
      () => setServiceStatus(t.admin, api, "OPERATIONAL"),
    ];
    for (const step of steps) {
      await step();
      for (const [query, variables] of [
        [STATUS_PAGE_QUERY, {}],
        [PUBLIC_INCIDENTS_QUERY, { first: 20 }],
      ] as const) {
        const { built, apollo } = await builtAndApollo(query, variables);
        expect(built.seq).toMatch(/^\d+$/);
        expect(apollo.seq).toBe(built.seq);
        expect(JSON.parse(built.text).errors).toBeUndefined();
        expect(built.text).toBe(apollo.text);
      }
    }
  });
});
