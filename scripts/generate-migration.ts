/**
 * Writes a migration with the SQL that brings a database migrated to the current head up to the
 * entities. Usage: npm run migration:generate -- <Name>   (needs TEST_DATABASE_URL or starts an
 * embedded PostgreSQL in a temporary folder).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDataSource } from "../server/db/data-source";
import { startEmbeddedPostgres } from "../server/db/embedded";
import { createLogger } from "../server/kernel/log";
import { freshDatabase } from "../test/support/databases";

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error("usage: npm run migration:generate -- <PascalCaseName>");
  process.exit(2);
}

const log = createLogger("warn");
let baseUrl = process.env.TEST_DATABASE_URL;
let stop = async () => {};
if (!baseUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-gen-"));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, log);
  baseUrl = pg.url;
  stop = async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
const db = await freshDatabase(baseUrl);
try {
  const ds = createDataSource(db.url);
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  if (sql.upQueries.length === 0) {
    console.log("Entities and migrations agree; nothing to generate.");
  } else {
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const q = (s: string) => JSON.stringify(s);
    const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join("\n");
    const down = sql.downQueries
      .reverse()
      .map((x) => `    await queryRunner.query(${q(x.query)});`)
      .join("\n");
    const file = path.join("server/db/migrations", `${ts}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class ${cls} implements MigrationInterface {\n  name = "${cls}";\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`Wrote ${file}; add ${cls} to server/db/migrations/index.ts.`);
  }
} finally {
  await db.drop();
  await stop();
}
