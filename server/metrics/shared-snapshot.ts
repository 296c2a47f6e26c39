import type pg from "pg";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";

/** One part of a read: a few queries on the manager it is given. */
export type SnapshotPart = (m: EntityManager) => Promise<void>;

/**
 * Helper connections held by all reads at once. Reads are not the write path: they may borrow a
 * second connection to finish sooner, but never more than this many between them, so the pool (10
 * connections, server/db/data-source.ts) keeps room for commands, and a report never waits for one.
 */
const MAX_HELPERS = 2;
let helpersInUse = 0;

/** Takes a helper slot if one is free and the pool can hand out a connection without waiting. */
function takeHelper(db: DataSource): boolean {
  // The pool TypeORM holds (as rate-limit.ts reads it): its counters say whether a checkout would wait.
  const pool = (db.driver as unknown as { master?: pg.Pool }).master;
  if (!pool || helpersInUse >= MAX_HELPERS || pool.waitingCount > 0) return false;
  if (pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10)) return false;
  helpersInUse++;
  return true;
}

/** The session settings of a report's transaction (SET LOCAL: they end with it). */
const LOCAL_SETTINGS =
  // JIT off: compiling these expression-heavy aggregates costs more than running them
  // (docs/reports.md); the medians sort in memory rather than on disk.
  "set_config('jit', 'off', true) AS jit, set_config('work_mem', '32MB', true) AS work_mem";

async function end(qr: QueryRunner | null): Promise<void> {
  if (!qr) return;
  try {
    // Read only: nothing to commit, and a rollback also ends a transaction that failed.
    if (qr.isTransactionActive) await qr.rollbackTransaction();
  } finally {
    await qr.release();
  }
}

/**
 * Runs `parts` in one read-only REPEATABLE READ snapshot, the first on its own connection and, when
 * a helper connection is free, the others on a second connection at the same time: the first
 * transaction exports its snapshot (`pg_export_snapshot()`) and the second imports it (`SET
 * TRANSACTION SNAPSHOT`, PostgreSQL docs "Snapshot Synchronization"), so both see exactly the same
 * data. Without a free helper, every part runs on the first connection, one after the other.
 * Both transactions end and both connections go back to the pool, whatever fails.
 */
export async function inOneSnapshot(db: DataSource, parts: readonly SnapshotPart[]): Promise<void> {
  const [first, ...rest] = parts;
  if (!first) return;
  const main = db.createQueryRunner();
  let helper: QueryRunner | null = null;
  let helped = false;
  try {
    await main.connect();
    await main.startTransaction("REPEATABLE READ");
    await main.query("SET TRANSACTION READ ONLY");
    helped = rest.length > 0 && takeHelper(db);
    const [settings] = (await main.query(
      `SELECT ${LOCAL_SETTINGS}${helped ? ", pg_export_snapshot() AS snapshot" : ""}`,
    )) as { snapshot?: string }[];
    const onMain = async () => {
      await first(main.manager);
      if (!helped) for (const part of rest) await part(main.manager);
    };
    const onHelper = async () => {
      if (!helped) return;
      const snapshot = settings?.snapshot ?? "";
      // The id PostgreSQL returned ("00000003-0000001B-1"); checked, since SET takes no parameter.
      if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`unexpected snapshot id "${snapshot}"`);
      helper = db.createQueryRunner();
      await helper.connect();
      await helper.startTransaction("REPEATABLE READ");
      // Before any query of the transaction: it then reads the exporter's snapshot, not its own.
      await helper.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
      await helper.query("SET TRANSACTION READ ONLY");
      await helper.query(`SELECT ${LOCAL_SETTINGS}`);
      for (const part of rest) await part(helper.manager);
    };
    // Both settle before either connection is released (a connection is never returned mid-query);
    // the exporting transaction stays open until the helper has imported its snapshot.
    const outcomes = await Promise.allSettled([onMain(), onHelper()]);
    for (const o of outcomes) if (o.status === "rejected") throw o.reason;
  } finally {
    try {
      await end(helper);
    } finally {
      if (helped) helpersInUse--;
      await end(main);
    }
  }
}
