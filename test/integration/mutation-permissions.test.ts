import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUTATION_PERMISSIONS } from "../../server/domain/mutation-permissions";
import { startTestBeacon, type TestBeacon, type TestClient } from "../support/harness";
import { callOf } from "../support/hostile";

// Every Mutation of the emitted schema, called for real with plausible arguments: anonymous callers
// and READ-scoped API keys may call only those the table marks `anyone` (issue 9: a READ key could
// call heartbeat). The table itself is checked against the schema in
// test/unit/domain/mutation-permissions.test.ts.
const schema = buildSchema(readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8"));
const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
const guarded = mutations.filter((m) => MUTATION_PERMISSIONS[m]?.needs !== "anyone");

let t: TestBeacon;
let reader: TestClient;
beforeAll(async () => {
  t = await startTestBeacon();
  const key = await t.admin.ok<{ createApiKey: { secret: string } }>(
    'mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }',
  );
  reader = t.anon.as(key.createApiKey.secret);
});
afterAll(() => t?.stop());

describe("no mutation without its permission", () => {
  it("covers the schema", () => {
    expect(guarded.length).toBeGreaterThan(40);
  });

  it.each(guarded)("%s: anonymous -> UNAUTHENTICATED, a READ-scoped key -> FORBIDDEN", async (name) => {
    const { query, variables } = callOf(schema, "mutation", name);
    const anon = await t.anon.gql(query, variables);
    expect(anon.data?.[name] ?? null, JSON.stringify(anon)).toBeNull();
    expect(anon.errors?.[0]?.extensions?.code, JSON.stringify(anon.errors)).toBe("UNAUTHENTICATED");
    // `signedIn` ones act on the caller's own session or password (logout with a key is a no-op).
    if (MUTATION_PERMISSIONS[name]?.needs === "signedIn") return;
    const read = await reader.gql(query, variables);
    expect(read.data?.[name] ?? null, JSON.stringify(read)).toBeNull();
    expect(read.errors?.[0]?.extensions?.code, JSON.stringify(read.errors)).toBe("FORBIDDEN");
  });
});
