import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDataSource } from "../../server/db/data-source";
import { JobRunner } from "../../server/jobs/runner";
import { createLogger } from "../../server/kernel/log";
import { freshDatabase } from "../support/databases";

const log = createLogger("silent");
const until = async (cond: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("job runner (pg-boss on Beacon's PostgreSQL)", () => {
  let url: string;
  let drop: () => Promise<void>;
  const runners: JobRunner[] = [];
  const runs: { runner: number; n: number; retry: number; final: boolean }[] = [];
  const flaky = new Map<number, number>();
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  const finished = new Set<number>();

  const makeRunner = (index: number, workers = true) => {
    const r = new JobRunner(url, log, {
      pollingIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 1,
      workers,
    });
    r.define<{ n: number }>({
      name: "test.count",
      batchSize: 5,
      handler: async (d, info) => {
        runs.push({ runner: index, n: d.n, retry: info.retryCount, final: info.finalAttempt });
        await new Promise((res) => setTimeout(res, 5));
      },
    });
    r.define<{ n: number; failTimes: number }>({
      name: "test.flaky",
      retryLimit: 2,
      retryDelay: 1,
      retryBackoff: false,
      handler: async (d, info) => {
        const seen = (flaky.get(d.n) ?? 0) + 1;
        flaky.set(d.n, seen);
        runs.push({ runner: index, n: d.n, retry: info.retryCount, final: info.finalAttempt });
        if (seen <= d.failTimes) throw new Error(`failing on purpose (${seen})`);
      },
    });
    r.define<{ n: number; hold?: boolean }>({
      name: "test.pool",
      concurrency: 3,
      handler: async (d) => {
        runs.push({ runner: index, n: d.n, retry: 0, final: false });
        if (d.hold) await held;
        finished.add(d.n);
      },
    });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    const db = await freshDatabase(inject("pgBaseUrl"));
    url = db.url;
    drop = db.drop;
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await drop();
  });

  it("runs every job exactly once across two instances on one database", async () => {
    const a = makeRunner(1);
    const b = makeRunner(2);
    await a.start();
    await b.start();
    for (let n = 0; n < 60; n++) await (n % 2 ? a : b).send("test.count", { n });
    await until(() => runs.filter((r) => r.n < 60 && r.retry === 0).length >= 60);
    await new Promise((r) => setTimeout(r, 1200));
    const counted = runs.filter((r) => r.n < 60);
    expect(counted).toHaveLength(60);
    expect(new Set(counted.map((r) => r.n)).size).toBe(60);
  });

  it("retries a failing job and tells the handler which attempt is the last", async () => {
    const [a] = runners;
    await a!.send("test.flaky", { n: 100, failTimes: 2 });
    await a!.send("test.flaky", { n: 101, failTimes: 5 });
    await until(
      () => runs.filter((r) => r.n === 100).length === 3 && runs.filter((r) => r.n === 101).length === 3,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs.filter((r) => r.n === 100).map((r) => [r.retry, r.final])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
    // Out of retries: three attempts, then failed for good.
    expect(runs.filter((r) => r.n === 101)).toHaveLength(3);
  });

  it("a job enqueued in a rolled-back transaction never exists; a committed one runs", async () => {
    const [a] = runners;
    const ds = createDataSource(url);
    await ds.initialize();
    try {
      await ds
        .transaction(async (m) => {
          await a!.send("test.count", { n: 200 }, { manager: m });
          throw new Error("refused");
        })
        .catch(() => {});
      await ds.transaction(async (m) => {
        await a!.sendMany("test.count", [{ data: { n: 201 } }, { data: { n: 202 } }], m);
      });
      a!.wake("test.count");
      await until(() => runs.some((r) => r.n === 201) && runs.some((r) => r.n === 202));
      await new Promise((r) => setTimeout(r, 1000));
      expect(runs.some((r) => r.n === 200)).toBe(false);
    } finally {
      await ds.destroy();
    }
  });

  it("the same id enqueues one job; startAfter holds it until then", async () => {
    const [a] = runners;
    const id = "4a1c2d3e-0000-4000-8000-000000000001";
    const at = new Date(Date.now() + 2500);
    expect(await a!.send("test.count", { n: 300 }, { id, startAfter: at })).toBe(id);
    expect(await a!.send("test.count", { n: 300 }, { id, startAfter: at })).toBeNull();
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs.some((r) => r.n === 300)).toBe(false);
    await until(() => runs.some((r) => r.n === 300));
    expect(runs.filter((r) => r.n === 300)).toHaveLength(1);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
  });

  it("a pool (concurrency): jobs that hang hold only their own slots; each job runs once across instances", async () => {
    const [a, b] = runners;
    // Two jobs that do not finish until released, then 30 that do, on two instances of 3 slots.
    await a!.send("test.pool", { n: 500, hold: true });
    await b!.send("test.pool", { n: 501, hold: true });
    await a!.sendMany(
      "test.pool",
      Array.from({ length: 30 }, (_, i) => ({ data: { n: 510 + i } })),
    );
    await until(() => Array.from({ length: 30 }, (_, i) => 510 + i).every((n) => finished.has(n)));
    // Everything behind the hanging jobs ran while they still hung.
    expect(finished.has(500) || finished.has(501)).toBe(false);
    release();
    await until(() => finished.has(500) && finished.has(501));
    await new Promise((r) => setTimeout(r, 1000));
    const pool = runs.filter((r) => r.n >= 500 && r.n < 600);
    expect(pool).toHaveLength(32);
    expect(new Set(pool.map((r) => r.n)).size).toBe(32);
  });

  it("jobs sent while no worker runs are done when one starts (they live in the database)", async () => {
    for (const r of runners.splice(0)) await r.stop();
    const sender = makeRunner(3, false);
    await sender.start();
    await sender.send("test.count", { n: 400 });
    await sender.send("test.count", { n: 401 });
    await new Promise((r) => setTimeout(r, 800));
    expect(runs.some((r) => r.n === 400)).toBe(false);
    const worker = makeRunner(4);
    await worker.start();
    await until(() => runs.some((r) => r.n === 400) && runs.some((r) => r.n === 401));
    expect(runs.filter((r) => r.n === 400 || r.n === 401).every((r) => r.runner === 4)).toBe(true);
  });
});
