import { itemAt } from "../support/item-at";
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { type DocumentNode, type GraphQLSchema, Kind, parse, print } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { checkCost, LIMITS, prepareOperation } from "../../server/app/operation-limits";
import { beaconSchema } from "../../server/app/schema";
import { aliasBomb, fragmentBomb } from "../support/hostile";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await beaconSchema();
});

/** The limit a refused operation names, or "ok". */
function verdict(source: string, variables: Record<string, unknown> = {}): string {
  const r = prepareOperation(schema, source, undefined, variables);
  if ("document" in r) return "ok";
  const limit = r.errors[0]?.extensions?.limit;
  return typeof limit === "string" ? limit : `error: ${r.errors[0]?.message}`;
}

/** Every operation document the web app sends (exported strings, or builders called with no arguments). */
async function webOperations(): Promise<{ name: string; source: string }[]> {
  const root = path.resolve(__dirname, "../../web/src");
  const files = fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"));
  const found: { name: string; source: string }[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), "utf8");
    // The modules that hold the app's documents (importing every module would run app code).
    if (!/\bgraphql\(\s*`/.test(text) && !text.includes("/* GraphQL */")) continue;
    const mod = (await import(path.join(root, f))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      const source = isDocument(value)
        ? print(value)
        : typeof value === "string"
          ? value
          : typeof value === "function" && value.length === 0
            ? safeCall(value)
            : null;
      if (typeof source !== "string") continue;
      try {
        const doc = parse(source);
        if (doc.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION))
          found.push({ name: `${f}:${name}`, source });
      } catch {
        // not a GraphQL document
      }
    }
  }
  return found;
}
const isDocument = (v: unknown): v is DocumentNode =>
  typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === Kind.DOCUMENT;
const safeCall = (fn: unknown) => {
  try {
    return (fn as () => unknown)();
  } catch {
    return null;
  }
};

describe("operation limits", () => {
  it("let every operation the web app sends through, with room to spare", async () => {
    const ops = await webOperations();
    expect(ops.length).toBeGreaterThan(10);
    for (const op of ops) {
      expect({ op: op.name, verdict: verdict(op.source) }).toEqual({ op: op.name, verdict: "ok" });
      const cost = checkCost(schema, parse(op.source), undefined, {});
      expect(cost, op.name).toBeLessThan(LIMITS.cost / 2);
    }
  });

  it("refuse the nested-fragment bomb quickly, naming the limit", () => {
    const bomb = fragmentBomb();
    expect(bomb.length).toBeLessThan(700);
    const started = performance.now();
    expect(verdict(bomb)).toBe("structure");
    // Was 20 s with the hand-written depth rule; a generous bound that still catches exponential work.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuse alias bombs by the alias limit, and fewer expensive aliases by cost", () => {
    expect(verdict(aliasBomb(1000, "statusSummary { seq }"))).toBe("tokens");
    expect(verdict(aliasBomb(100, "statusSummary { seq }"))).toBe("aliases");
    expect(verdict(aliasBomb(300, "services { uptime(days: 366) { uptimePercent } }"))).toBe("tokens");
    expect(verdict(aliasBomb(50, "services { uptime(days: 366) { uptimePercent } }"))).toBe("aliases");
    expect(verdict(aliasBomb(LIMITS.aliases, "services { uptime(days: 366) { uptimePercent } }"))).toBe(
      "cost",
    );
    expect(verdict(aliasBomb(LIMITS.aliases, "statusSummary { seq }"))).toBe("ok");
  });

  it("cost uptime by its days, variables included", () => {
    const q = "query($d: Int) { services { uptime(days: $d) { uptimePercent } } }";
    const small = checkCost(schema, parse(q), undefined, { d: 7 });
    const large = checkCost(schema, parse(q), undefined, { d: 366 });
    expect(large).toBeGreaterThan(small * 40);
    const many = `query($d: Int) { ${Array.from({ length: 10 }, (_, i) => `s${i}: services { uptime(days: $d) { uptimePercent } }`).join(" ")} }`;
    expect(verdict(many, { d: 7 })).toBe("ok");
    expect(verdict(many, { d: 366 })).toBe("cost");
  });

  it("refuse deep, long and directive-heavy operations with a message naming the limit", () => {
    const deep = `query { incidents { edges { node { services { incidents: __typename } } } } }`;
    expect(verdict(deep)).toBe("ok");
    const tooDeep = `query { me { ${"__typename ".repeat(1)} } incidents { edges { node { ${"timeline { incident { ".repeat(6)} id ${"} } ".repeat(6)} } } } }`;
    expect(verdict(tooDeep)).toBe("depth");
    expect(verdict(`query { ${"__typename ".repeat(LIMITS.tokens + 1)} }`)).toBe("tokens");
    expect(
      verdict(`query { statusSummary { seq ${"@include(if: true) ".repeat(LIMITS.directives + 1)} } }`),
    ).toBe("directives");
    const r = prepareOperation(schema, aliasBomb(100, "statusSummary { seq }"), undefined, {});
    expect("errors" in r && r.errors[0]).toMatchObject({
      message: expect.stringMatching(/Aliases limit of 30 exceeded/),
      extensions: { code: "BAD_USER_INPUT", limit: "aliases" },
    });
  });

  it("report a syntax error as a parse failure, not a crash", () => {
    const r = prepareOperation(schema, "subscription {", undefined, {});
    expect("errors" in r && itemAt(r.errors, 0).extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    const v = prepareOperation(schema, "query { nope }", undefined, {});
    expect("errors" in v && itemAt(v.errors, 0).extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("share one parsed document per text, and still check what depends on the variables each time", () => {
    const source = "query Q($n: Int) { publicIncidents(first: $n) { id } }";
    const a = prepareOperation(schema, source, "Q", { n: 5 });
    const b = prepareOperation(schema, source, "Q", { n: 6 });
    expect("document" in a && "document" in b && a.document === b.document).toBe(true);
    // The same text with a costlier variable is costed again, not taken from the first answer.
    const many = `query M($d: Int!) { ${Array.from({ length: 20 }, (_, i) => `s${i}: services { uptime(days: $d) { date } }`).join(" ")} }`;
    expect(verdict(many, { d: 1 })).toBe("ok");
    expect(verdict(many, { d: 366 })).toBe("cost");
    expect(verdict(many, { d: 1 })).toBe("ok");
    // Invalid texts are never kept: the same error every time.
    expect("errors" in prepareOperation(schema, "query { nope }", undefined, {})).toBe(true);
  });
});
