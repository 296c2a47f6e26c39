import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import type { EntityManager } from "typeorm";
import type { Logger } from "../kernel/log";
import { OutageLog } from "../kernel/unavailable";

/**
 * The one durable job runner: pg-boss 10 on Beacon's own PostgreSQL (its tables live in the
 * `pgboss` schema). pg-boss 11+ needs Node 22, so the 10 line is pinned. Jobs survive restarts, run
 * once across any number of instances (SKIP LOCKED fetch), are retried with exponential backoff and
 * jitter (pg-boss's `retryBackoff` adds a random share of the delay), and a job whose instance died
 * mid-run is retried after `expireInSeconds`. See docs/jobs.md.
 */

/**
 * A stable job id (a UUID, as pg-boss wants) derived from its parts, e.g. (subject, purpose, due
 * time): sending it twice enqueues one job.
 */
export function stableJobId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface JobInfo {
  id: string;
  /** 0 on the first run. */
  retryCount: number;
  /** No retry follows if this attempt throws. */
  finalAttempt: boolean;
}

export interface JobDefinition<T extends object> {
  /** Queue name, e.g. "delivery.webhook". */
  name: string;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time with jitter when retryBackoff (default on). */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** A run taking longer (or whose instance died) is failed and retried (default 60 s). */
  expireInSeconds?: number;
  /** Jobs fetched per poll; run concurrently, each succeeding or failing on its own (default 10). */
  batchSize?: number;
  /**
   * Instead of batches: keep up to this many jobs running in this instance, fetching one more as
   * soon as one finishes. A batch waits for its slowest job before the next is fetched, so one
   * receiver that hangs until its timeout would hold up every delivery behind it; with a pool it
   * holds up only its own slot. (pg-boss 10's work() has batches only; its successors' per-job
   * concurrency needs Node 22. See PoolWorker.)
   */
  concurrency?: number;
  /** Throw to fail this attempt (it is retried unless finalAttempt). Must be idempotent: at-least-once. */
  handler: (data: T, job: JobInfo) => Promise<void>;
}

export interface SendOptions {
  /** Run no earlier than this. Timers are stored times: the handler re-checks that it is still due. */
  startAfter?: Date;
  /** A stable id: sending the same id twice enqueues one job (ON CONFLICT DO NOTHING). */
  id?: string;
  /**
   * Enqueue inside this transaction: the job exists only if the transaction commits. This is how a
   * command schedules follow-up work atomically with its change.
   */
  manager?: EntityManager;
}

export interface JobRunnerOptions {
  /** Seconds between polls when idle (min 0.5; default 2). Enqueuing on this instance wakes it at once. */
  pollingIntervalSeconds?: number;
  /** How often expired (crashed) jobs are failed over; default 60 s, tests use 1. */
  maintenanceIntervalSeconds?: number;
  /** Do not run handlers in this instance (enqueue only). */
  workers?: boolean;
}

const managerDb = (m: EntityManager): PgBoss.Db => ({
  async executeSql(text, values) {
    const rows = await m.query(text, values);
    return { rows: Array.isArray(rows) ? rows : [] };
  },
});

export class JobRunner {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition<object>>();
  private readonly workerIds = new Map<string, string>();
  private readonly pools = new Map<string, PoolWorker>();
  private started = false;

  constructor(
    databaseUrl: string,
    private readonly log: Logger,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: "pgboss",
      max: 4,
      application_name: "beacon-jobs",
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    // pg-boss reports every failed poll; an outage of the database is one warning, not one per poll.
    const outage = new OutageLog(log, "job runner");
    this.boss.on("error", (err) => outage.failed(err, "job runner error"));
  }

  /** Registers a job kind. Call before start() (features define their jobs while Beacon is assembled). */
  define<T extends object>(def: JobDefinition<T>): void {
    if (this.started) throw new Error(`define job "${def.name}" before the job runner starts`);
    if (this.definitions.has(def.name)) throw new Error(`job "${def.name}" is defined twice`);
    this.definitions.set(def.name, def as unknown as JobDefinition<object>);
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const def of this.definitions.values()) {
      const queue = {
        name: def.name,
        retryLimit: def.retryLimit ?? 3,
        retryDelay: def.retryDelay ?? 5,
        retryBackoff: def.retryBackoff ?? true,
        expireInSeconds: def.expireInSeconds ?? 60,
      };
      // createQueue is a no-op when it exists; updateQueue applies changed retry settings.
      await this.boss.createQueue(def.name, queue);
      await this.boss.updateQueue(def.name, queue);
      if (this.options.workers === false) continue;
      if (def.concurrency) {
        const pool = new PoolWorker(
          this.boss,
          def,
          this.options.pollingIntervalSeconds ?? 2,
          this.log,
          (job) => this.runOne(def, job),
        );
        this.pools.set(def.name, pool);
        pool.start();
        continue;
      }
      const id = await this.boss.work<object>(
        def.name,
        {
          batchSize: def.batchSize ?? 10,
          includeMetadata: true,
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        },
        (jobs) => this.runBatch(def, jobs),
      );
      this.workerIds.set(def.name, id);
    }
  }

  // Each job of a batch succeeds or fails on its own: a failed one is moved to `retry` here, and
  // pg-boss then completes only the jobs still active.
  private async runBatch(def: JobDefinition<object>, jobs: PgBoss.JobWithMetadata<object>[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.runHandler(def, job)));
  }

  /** Runs a job's handler; a failure moves the job to retry (or failed). True if it succeeded. */
  private async runHandler(
    def: JobDefinition<object>,
    job: PgBoss.JobWithMetadata<object>,
  ): Promise<boolean> {
    const info: JobInfo = {
      id: job.id,
      retryCount: job.retryCount,
      finalAttempt: job.retryCount >= job.retryLimit,
    };
    try {
      await def.handler(job.data, info);
      return true;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      this.log.warn({ job: def.name, id: job.id, attempt: job.retryCount + 1, err: message }, "job failed");
      await this.boss.fail(def.name, job.id, { message });
      return false;
    }
  }

  /** One job of a pool: run it, then complete it on its own. Never throws (the pool keeps going). */
  private async runOne(def: JobDefinition<object>, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    try {
      if (await this.runHandler(def, job)) await this.boss.complete(def.name, job.id);
    } catch (e) {
      // The database went away between the handler and its bookkeeping: the job stays active and
      // is retried after it expires (handlers are idempotent).
      this.log.warn({ job: def.name, id: job.id, err: (e as Error).message }, "job bookkeeping failed");
    }
  }

  async send<T extends object>(name: string, data: T, opts: SendOptions = {}): Promise<string | null> {
    this.assertDefined(name);
    const id = await this.boss.send(name, data, {
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
      ...(opts.manager ? { db: managerDb(opts.manager) } : {}),
    });
    if (!opts.manager) this.wake(name);
    return id;
  }

  /** Many jobs in one statement (fan-out). Same id rules as send; optionally inside a transaction. */
  async sendMany<T extends object>(
    name: string,
    jobs: { data: T; id?: string; startAfter?: Date }[],
    manager?: EntityManager,
  ): Promise<void> {
    this.assertDefined(name);
    if (jobs.length === 0) return;
    const def = this.definitions.get(name)!;
    await this.boss.insert(
      jobs.map((j) => ({
        name,
        data: j.data,
        ...(j.id ? { id: j.id } : {}),
        ...(j.startAfter ? { startAfter: j.startAfter } : {}),
        // insert() does not read the queue's settings, so pass them per job.
        retryLimit: def.retryLimit ?? 3,
        retryDelay: def.retryDelay ?? 5,
        retryBackoff: def.retryBackoff ?? true,
        expireInSeconds: def.expireInSeconds ?? 60,
      })),
      manager ? { db: managerDb(manager) } : {},
    );
    if (!manager) this.wake(name);
  }

  /** Wakes this instance's worker for a queue now instead of at its next poll. */
  wake(name: string): void {
    this.pools.get(name)?.wake();
    const id = this.workerIds.get(name);
    if (id) this.boss.notifyWorker(id);
  }

  /** Job state, for tests and admin views. */
  async state(name: string, id: string): Promise<string | null> {
    const job = await this.boss.getJobById(name, id, { includeArchive: true });
    return job?.state ?? null;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Lets running handlers finish (up to 5 s); what does not finish is retried after expiry.
    await Promise.all([...this.pools.values()].map((p) => p.stop(5000)));
    this.pools.clear();
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }

  private assertDefined(name: string) {
    if (!this.definitions.has(name)) throw new Error(`job "${name}" is not defined`);
  }
}

/**
 * Keeps up to `concurrency` jobs of one queue running: fetches as many as there are free slots
 * (pg-boss fetch: SKIP LOCKED, so instances share the queue), starts each on its own, and fetches
 * again as soon as one finishes, at once when woken, or at the next poll when the queue was empty.
 * A job that hangs holds one slot until its handler gives up (a webhook's timeout) or it expires.
 */
class PoolWorker {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | null = null;
  private woken = false;
  private interrupt: (() => void) | null = null;
  private readonly outage: OutageLog;

  constructor(
    private readonly boss: PgBoss,
    private readonly def: JobDefinition<object>,
    private readonly pollSeconds: number,
    log: Logger,
    private readonly run: (job: PgBoss.JobWithMetadata<object>) => Promise<void>,
  ) {
    this.outage = new OutageLog(log, `job pool ${def.name}`);
  }

  start(): void {
    this.loop = this.work();
  }

  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  private async work(): Promise<void> {
    const limit = this.def.concurrency ?? 1;
    while (!this.stopping) {
      this.woken = false;
      const free = limit - this.running.size;
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = await this.boss.fetch<object>(this.def.name, {
            batchSize: free,
            includeMetadata: true,
          });
          this.outage.ok();
          fetched = jobs.length;
          for (const job of jobs) {
            const p: Promise<void> = this.run(job).finally(() => {
              this.running.delete(p);
              this.interrupt?.();
            });
            this.running.add(p);
          }
        } catch (e) {
          this.outage.failed(e, "job pool fetch failed");
        }
      }
      if (this.stopping) break;
      // More may be waiting: fetch again as soon as a slot is free. Otherwise sleep until a poll,
      // a wake-up, or (when all slots are busy) a job finishing.
      if (fetched > 0 && fetched === free && this.running.size < limit) continue;
      if (this.woken && this.running.size < limit) continue;
      await new Promise<void>((resolve) => {
        const timer =
          this.running.size < limit ? setTimeout(() => done(), Math.max(500, this.pollSeconds * 1000)) : null;
        const done = () => {
          if (timer) clearTimeout(timer);
          this.interrupt = null;
          resolve();
        };
        this.interrupt = () => {
          // Woken while full: wait on for a slot; a finished job frees one.
          if (this.stopping || this.running.size < limit) done();
        };
      });
      // Let completions that come in the same moment free their slots too: fewer, larger fetches.
      await new Promise((r) => setImmediate(r));
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
