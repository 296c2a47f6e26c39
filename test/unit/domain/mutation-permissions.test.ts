import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { MUTATION_PERMISSIONS, renderMutationTable } from "../../../server/domain/mutation-permissions";
import { type Action, PERMISSION_OF, PERMISSION_TABLE } from "../../../server/domain/permissions";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
// The emitted schema (a drift test keeps it equal to the code's).
const mutations = Object.keys(
  buildSchema(read("schema/schema.graphql")).getMutationType()?.getFields() ?? {},
);
const rows = new Set<Action>(PERMISSION_TABLE.map((r) => r.action));
const known = (a: Action) => rows.has(PERMISSION_OF[a] ?? a);

describe("every mutation is in the permission table", () => {
  it.each(mutations)("%s", (name) => {
    const rule = MUTATION_PERMISSIONS[name];
    expect(rule, `${name} is a Mutation of the schema but not in MUTATION_PERMISSIONS`).toBeDefined();
    if (rule!.needs !== "anyone" && rule!.needs !== "signedIn") expect(known(rule!.needs)).toBe(true);
    for (const also of rule!.also ?? []) expect(known(also.action), also.action).toBe(true);
  });

  it("names no mutation the schema does not have", () => {
    expect(Object.keys(MUTATION_PERMISSIONS).filter((m) => !mutations.includes(m))).toEqual([]);
    expect(mutations.length).toBeGreaterThan(40);
  });

  it("publishing is one permission: every path onto the status page needs `publish`", () => {
    expect(MUTATION_PERMISSIONS.postPublicUpdate!.needs).toBe("publish");
    for (const m of ["openIncident", "openFollowUpIncident", "updateIncident"]) {
      expect(MUTATION_PERMISSIONS[m]?.also?.map((a) => a.action)).toContain("publish");
    }
  });

  it("is what docs/permissions.md shows", () => {
    const between = read("docs/permissions.md")
      .split("<!-- mutation-table:start -->\n")[1]
      ?.split("<!-- mutation-table:end -->")[0];
    expect(between).toBe(renderMutationTable());
  });
});
