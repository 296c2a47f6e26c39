import { createHash } from "node:crypto";
import type pg from "pg";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RLWrapperTimeouts,
} from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import { ErrorCode } from "../domain/vocabulary";
import { BeaconError } from "../kernel/errors";

/**
 * Rate limits shared by every instance: `rate-limiter-flexible` counting in PostgreSQL (its own
 * `rate_limit` table, created by a migration in the library's layout). Each count is
 * one atomic upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING points`), so concurrent requests
 * can never both see the last free point (docs/security.md, "Rate limits").
 */
export interface LimitSpec {
  /** Distinguishes the counters of different limits in the one table. */
  name: string;
  points: number;
  durationSeconds: number;
  /**
   * Availability over exactness, for limits in front of public reads: when PostgreSQL does not answer
   * within 500 ms (or fails), this instance counts in memory instead, so the public side keeps
   * answering while the database is down. Off (the default) for sign-in, which needs the database
   * anyway and must never count more generously than the table says.
   */
  failOpen?: boolean;
  /**
   * Count in this instance's memory only. For the anonymous HTTP reads that the public snapshot
   * answers from memory: a database write per read would make the status page, under exactly the
   * crowd it exists for, as slow as PostgreSQL. With N instances a client gets N times the limit;
   * a load balancer spreads one client over them anyway.
   */
  local?: boolean;
}

/** One counted use: how many uses the key has in its window (this one included), and the wait. */
export interface Count {
  consumed: number;
  allowed: boolean;
  msBeforeNext: number;
}

const FAIL_OPEN_TIMEOUT_MS = 500;

/** The limiter's key column is varchar(255): long keys (e.g. an email) are hashed to fit. */
const keyOf = (key: string) =>
  key.length <= 128 ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** RATE_LIMITED, answered over HTTP as 429 with Retry-After (Apollo reads `extensions.http`). */
export function rateLimited(message: string, msBeforeNext: number): BeaconError {
  const retryAfterSeconds = secondsOf(msBeforeNext);
  return new BeaconError(ErrorCode.RATE_LIMITED, message, {
    retryAfterSeconds,
    http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
  });
}

/** "in 40 second(s)" / "in 3 minute(s)": the wait, in words a person can act on. */
export function waitWords(msBeforeNext: number): string {
  const s = secondsOf(msBeforeNext);
  return s < 120 ? `${s} second(s)` : `${Math.ceil(s / 60)} minute(s)`;
}

export class RateLimits {
  private readonly limiters = new Map<string, Promise<RateLimiterAbstract>>();

  constructor(private readonly db: DataSource) {}

  private limiter(spec: LimitSpec): Promise<RateLimiterAbstract> {
    const id = JSON.stringify([
      spec.name,
      spec.points,
      spec.durationSeconds,
      spec.failOpen ?? false,
      spec.local ?? false,
    ]);
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create(spec);
      limiter.catch(() => this.limiters.delete(id));
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private async create(spec: LimitSpec): Promise<RateLimiterAbstract> {
    if (spec.local) {
      return new RateLimiterMemory({
        keyPrefix: spec.name,
        points: spec.points,
        duration: spec.durationSeconds,
      });
    }
    // The pool TypeORM already holds; no extra connections.
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const insurance = spec.failOpen
      ? new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationSeconds })
      : undefined;
    const store = new RateLimiterPostgres({
      storeClient: pool,
      tableName: "rate_limit",
      keyPrefix: spec.name,
      points: spec.points,
      duration: spec.durationSeconds,
      clearExpiredByTimeout: false,
      // Created by a migration (RateLimitTable): no DDL at runtime, none racing at first sign-in.
      tableCreated: true,
      insuranceLimiter: insurance,
      // A key already over its limit is refused from memory until its window ends: a flood
      // from one address costs no database round trip after the first refusal.
      inMemoryBlockOnConsumed: spec.points + 1,
    });
    return spec.failOpen
      ? new RLWrapperTimeouts({
          limiter: store,
          timeoutMs: FAIL_OPEN_TIMEOUT_MS,
          insuranceLimiter: insurance,
        })
      : store;
  }

  /** Counts one use of `key` and says whether it is within the limit (never throws for "over"). */
  async count(spec: LimitSpec, key: string): Promise<Count> {
    const limiter = await this.limiter(spec);
    try {
      const res = await limiter.consume(keyOf(key));
      return { consumed: res.consumedPoints, allowed: true, msBeforeNext: res.msBeforeNext };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      // Refused from the in-memory block, consumedPoints is 0: it is over the limit all the same.
      return {
        consumed: Math.max(e.consumedPoints, spec.points + 1),
        allowed: false,
        msBeforeNext: e.msBeforeNext,
      };
    }
  }

  /** Counts one use of `key`; throws RATE_LIMITED (naming when to try again) past the limit. */
  async consume(spec: LimitSpec, key: string, what: string): Promise<void> {
    const c = await this.count(spec, key);
    if (!c.allowed) {
      throw rateLimited(
        `Too many requests ${what}. Try again in ${waitWords(c.msBeforeNext)}.`,
        c.msBeforeNext,
      );
    }
  }

  /** Gives back one use (e.g. a sign-in that succeeded was not a failure). */
  async reward(spec: LimitSpec, key: string): Promise<void> {
    await (await this.limiter(spec)).reward(keyOf(key));
  }

  /** Forgets every use of `key` in its window. */
  async reset(spec: LimitSpec, key: string): Promise<void> {
    await (await this.limiter(spec)).delete(keyOf(key));
  }
}
