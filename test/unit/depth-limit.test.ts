import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { depthLimit } from "../../server/app/depth-limit";

const schema = buildSchema(`
  type Node { id: ID! child: Node }
  type Query { node: Node }
`);
const nested = (levels: number) =>
  `{ ${"node { ".repeat(1)}${"child { ".repeat(levels - 1)}id${" }".repeat(levels)} }`;
const check = (source: string, max: number) =>
  validate(schema, parse(source), [...specifiedRules, depthLimit(max)]);

describe("depthLimit", () => {
  it("accepts operations up to the limit and refuses deeper ones with what to do", () => {
    expect(check(nested(3), 4)).toEqual([]); // node > child > child > id = depth 4
    const errors = check(nested(4), 4);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(
      "This operation is nested 5 levels deep; the limit is 4. Ask for less at once.",
    );
    expect(errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("follows fragments and inline fragments, and terminates on fragment cycles", () => {
    const viaFragments = `
      { node { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { id } }
    `;
    expect(check(viaFragments, 4)[0]?.message).toMatch(/nested 5 levels/);
    expect(check(viaFragments, 5)).toEqual([]);
    const cyclic = "{ node { ...A } } fragment A on Node { child { ...A } }";
    expect(() => check(cyclic, 10)).not.toThrow();
  });
});
