import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { createLogger } from "../../server/kernel/log";

declare module "vitest" {
  export interface ProvidedContext {
    pgBaseUrl: string;
  }
}

/**
 * One PostgreSQL server for the run: the machine's (TEST_DATABASE_URL, a role that may CREATE
 * DATABASE) or an embedded one started here. Each test file then makes its own database on it.
 */
export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide("pgBaseUrl", given);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "beacon-test-pg-"));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(dir, createLogger("warn"));
  project.provide("pgBaseUrl", pg.url);
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
