import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The web app's documents are typed through web/src/graphql-env.d.ts, which gql.tada generates from
// schema/schema.graphql. A stale copy would type them against an old schema.
describe("web/src/graphql-env.d.ts", () => {
  it("is what gql.tada generates from schema/schema.graphql (run `npm run graphql-env`)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-graphql-env-"));
    try {
      const output = path.join(dir, "graphql-env.d.ts");
      execFileSync(path.resolve("node_modules/.bin/gql.tada"), ["generate", "output", "--output", output], {
        stdio: "pipe",
      });
      expect(fs.readFileSync("web/src/graphql-env.d.ts", "utf8")).toBe(fs.readFileSync(output, "utf8"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
