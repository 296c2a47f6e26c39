import fs from "node:fs";
import path from "node:path";
import {
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  buildSchema as parseSdl,
} from "graphql";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { printSchemaFile } from "../../server/app/schema-file";
import { createDataSource } from "../../server/db/data-source";
import { freshDatabase } from "../support/databases";

/**
 * The partner contract (schema/api-contract.graphql) plus every landed section of its additions
 * (schema/contract-additions/*.graphql, written with `extend`), parsed as one document.
 */
function partnerContract(): string {
  const dir = "schema/contract-additions";
  const additions = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
  return [fs.readFileSync("schema/api-contract.graphql", "utf8"), ...additions].join("\n");
}

describe("schema/schema.graphql", () => {
  it("is exactly what the code emits (run `npm run schema` after changing the API)", async () => {
    const committed = fs.readFileSync("schema/schema.graphql", "utf8");
    expect(committed).toBe(await printSchemaFile());
  });

  it("contains every name of the partner contract, with compatible types", () => {
    const emitted = parseSdl(fs.readFileSync("schema/schema.graphql", "utf8"));
    const contract = parseSdl(partnerContract());
    const missing: string[] = [];
    const typeName = (t: unknown) => String(t);
    for (const ct of Object.values(contract.getTypeMap()) as GraphQLNamedType[]) {
      if (ct.name.startsWith("__")) continue;
      // Root types are checked field by field below; other types must exist with the same name.
      const et = emitted.getType(ct.name);
      if (!et) {
        missing.push(`type ${ct.name}`);
        continue;
      }
      if (isEnumType(ct) && isEnumType(et)) {
        for (const v of ct.getValues()) if (!et.getValue(v.name)) missing.push(`${ct.name}.${v.name}`);
      }
      if ((isObjectType(ct) && isObjectType(et)) || (isInputObjectType(ct) && isInputObjectType(et))) {
        const efields = et.getFields();
        for (const [name, f] of Object.entries(ct.getFields())) {
          const ef = efields[name];
          if (!ef) {
            missing.push(`${ct.name}.${name}`);
            continue;
          }
          if (typeName(ef.type) !== typeName(f.type))
            missing.push(`${ct.name}.${name}: ${ef.type} != ${f.type}`);
          if ("args" in f && "args" in ef) {
            for (const a of f.args) {
              const ea = ef.args.find((x) => x.name === a.name);
              if (!ea) missing.push(`${ct.name}.${name}(${a.name})`);
              else if (typeName(ea.type) !== typeName(a.type))
                missing.push(`${ct.name}.${name}(${a.name}): ${ea.type} != ${a.type}`);
            }
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("migrations", () => {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase(inject("pgBaseUrl"));
  });
  afterAll(() => db?.drop());

  it("agree with the entities (run `npm run migration:generate -- Name` after changing an entity)", async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      await ds.runMigrations();
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it("can be reverted completely", async () => {
    const ds = createDataSource(db.url);
    await ds.initialize();
    try {
      for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const tables = await ds.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(["schema_migration"]);
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
  });
});
