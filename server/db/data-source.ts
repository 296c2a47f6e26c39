import "reflect-metadata";
import { DataSource } from "typeorm";
import { ENTITIES } from "./entities";
import { MIGRATIONS } from "./migrations";
import { SnakeNamingStrategy } from "./naming";

/** The one way to build a DataSource. Migrations only: synchronize is never on. */
export function createDataSource(
  url: string,
  opts: { poolSize?: number; connectTimeoutMs?: number; queryTimeoutMs?: number } = {},
): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "schema_migration",
    migrationsTransactionMode: "each",
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: "pgcrypto",
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? 10,
      // Nothing waits forever on a hung database (see kernel/unavailable.ts): pool checkout and connecting
      // give up after connectTimeoutMs, a query after queryTimeoutMs (client side, since a stopped
      // server enforces nothing; statement_timeout as well, for a server that is merely slow).
      ...(opts.connectTimeoutMs ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
      ...(opts.queryTimeoutMs
        ? {
            query_timeout: opts.queryTimeoutMs,
            statement_timeout: opts.queryTimeoutMs,
            // A BEGIN that timed out client side may still run when the server resumes: such a
            // session is ended by the server rather than left holding a transaction.
            idle_in_transaction_session_timeout: Math.max(60_000, opts.queryTimeoutMs * 4),
          }
        : {}),
    },
  });
}
