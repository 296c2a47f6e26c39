import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import { ErrorCode } from "../domain/vocabulary";
import { BeaconError } from "../kernel/errors";

/**
 * Rate limits shared by every instance: `rate-limiter-flexible` counting in PostgreSQL (its own
 * `rate_limit` table, created by the library on first use, like pg-boss's schema). Written for the
 * public `subscribe` mutation (issue 12); meant to be folded into the general limiter of issue 9.
 */
export interface LimitSpec {
  /** Distinguishes the counters of different limits in the one table. */
  name: string;
  points: number;
  durationSeconds: number;
}

export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(private readonly db: DataSource) {}

  private async limiter(spec: LimitSpec): Promise<RateLimiterPostgres> {
    const existing = this.limiters.get(spec.name);
    if (existing) return existing;
    // The pool TypeORM already holds; no extra connections.
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const limiter = await new Promise<RateLimiterPostgres>((resolve, reject) => {
      const l: RateLimiterPostgres = new RateLimiterPostgres(
        {
          storeClient: pool,
          tableName: "rate_limit",
          keyPrefix: spec.name,
          points: spec.points,
          duration: spec.durationSeconds,
          clearExpiredByTimeout: false,
        },
        (err?: Error) => (err ? reject(err) : resolve(l)),
      );
    });
    this.limiters.set(spec.name, limiter);
    return limiter;
  }

  /** Counts one use of `key`; throws RATE_LIMITED (naming when to try again) past the limit. */
  async consume(spec: LimitSpec, key: string, what: string): Promise<void> {
    const limiter = await this.limiter(spec);
    try {
      await limiter.consume(key);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const minutes = Math.max(1, Math.ceil(e.msBeforeNext / 60_000));
      throw new BeaconError(
        ErrorCode.RATE_LIMITED,
        `Too many requests ${what}. Try again in ${minutes} minute(s).`,
        { retryAfterSeconds: Math.ceil(e.msBeforeNext / 1000) },
      );
    }
  }
}
