import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../server/kernel/backoff";
import { loadConfig } from "../../server/kernel/config";
import { createLogger } from "../../server/kernel/log";
import { isDatabaseUnavailable, OutageLog } from "../../server/kernel/unavailable";

const B = { initialMs: 250, maxMs: 5000 };

describe("reconnect backoff (capped exponential, full jitter)", () => {
  it("doubles the window per attempt up to the cap", () => {
    const top = (attempt: number) => backoffDelay(attempt, B, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 6].map(top)).toEqual([249, 499, 999, 1999, 3999, 4999, 4999]);
    // Retries go on forever: a huge attempt number stays at the cap.
    expect(top(10_000)).toBe(4999);
  });

  it("spreads attempts over the whole window (jitter), never below 0", () => {
    expect(backoffDelay(3, B, () => 0)).toBe(0);
    expect(backoffDelay(3, B, () => 0.5)).toBe(1000);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(8, B, Math.random)));
    expect(seen.size).toBeGreaterThan(40);
    for (const d of seen) expect(d).toBeGreaterThanOrEqual(0);
    for (const d of seen) expect(d).toBeLessThan(5000);
  });

  it("is configurable with BEACON_DB_RECONNECT_MAX_MS, validated", () => {
    expect(loadConfig({}).dbReconnectMaxMs).toBe(1000);
    expect(loadConfig({ BEACON_DB_RECONNECT_MAX_MS: "1000" }).dbReconnectMaxMs).toBe(1000);
    expect(() => loadConfig({ BEACON_DB_RECONNECT_MAX_MS: "10" })).toThrow(/BEACON_DB_RECONNECT_MAX_MS/);
  });
});

function captured() {
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger(
    "debug",
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { log, lines };
}

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("database outages in background loops", () => {
  it("count TypeORM's released query runner (its connection failed mid-use) as the database being away", () => {
    class QueryRunnerAlreadyReleasedError extends Error {
      override name = "QueryRunnerAlreadyReleasedError";
    }
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError("released"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("column x does not exist"))).toBe(false);
  });

  it("count a connect or a query that timed out as the database being away, whichever client says it", () => {
    for (const message of [
      "timeout exceeded when trying to connect", // pg-pool
      "timeout expired", // pg.Client's own connect
      "Query read timeout", // query_timeout
      "Connection terminated due to connection timeout",
    ])
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    expect(isDatabaseUnavailable(new Error("lock timeout expired for user input"))).toBe(false);
  });

  it("are logged once per outage at warn and their end at info; other failures at error each time", async () => {
    const { log, lines } = captured();
    const outage = new OutageLog(log, "event pump");
    outage.failed(refused, "event pump failed");
    outage.failed(refused, "event pump failed");
    outage.failed(refused, "event pump failed");
    outage.ok();
    outage.ok();
    outage.failed(new Error("a bug"), "event pump failed");
    outage.failed(new Error("a bug"), "event pump failed");
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, "event pump cannot reach the database; retrying until it is back"],
      [30, expect.stringMatching(/^event pump reached the database again after \d+\.\ds$/)],
      [50, "event pump failed"],
      [50, "event pump failed"],
    ]);
  });
});
