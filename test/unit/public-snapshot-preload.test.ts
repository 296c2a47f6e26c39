import { describe, expect, it } from "vitest";
import { preloadJsonOf } from "../../server/public-snapshot/public-side";

// Apollo's body: JSON.stringify(result) + "\n" (public-side.ts `serialize`).
const body = (result: unknown) => `${JSON.stringify(result)}\n`;

describe("the status page's preload JSON, cut out of its GraphQL body", () => {
  it("is exactly JSON.stringify({ statusSummary }), escapes and unicode included", () => {
    const statusSummary = {
      seq: "42",
      description: 'All "good" </script> \u2028 ünïcödé \\ done',
      services: [{ id: "a", uptime: [{ day: "2026-06-01", percent: 99.5 }, null] }],
    };
    // graphql-js's data objects have no prototype; Apollo's result may carry undefined keys.
    const data = Object.assign(Object.create(null) as object, { statusSummary });
    for (const result of [{ data }, { data, errors: undefined, extensions: undefined }]) {
      expect(preloadJsonOf(result, body(result))).toBe(JSON.stringify({ statusSummary }));
    }
  });

  it("is undefined for any other shape (the caller serializes again)", () => {
    const statusSummary = { seq: "1" };
    const shapes = [
      { data: { statusSummary, other: 1 } },
      { data: { statusSummary }, extensions: { cost: 1 } },
      { data: { services: [] } },
      { data: null },
    ];
    for (const result of shapes) expect(preloadJsonOf(result, body(result))).toBeUndefined();
    expect(
      preloadJsonOf({ data: { statusSummary } }, JSON.stringify({ data: { statusSummary } })),
    ).toBeUndefined();
  });
});
