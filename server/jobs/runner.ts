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
    await Promise.all(
      jobs.map(async (job) => {
        const info: JobInfo = {
          id: job.id,
          retryCount: job.retryCount,
          finalAttempt: job.retryCount >= job.retryLimit,
        };
        try {
          await def.handler(job.data, info);
        } catch (e) {
          const message = (e as Error).message ?? String(e);
          this.log.warn(
            { job: def.name, id: job.id, attempt: job.retryCount + 1, err: message },
            "job failed",
          );
          await this.boss.fail(def.name, job.id, { message });
        }
      }),
    );
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
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }

  private assertDefined(name: string) {
    if (!this.definitions.has(name)) throw new Error(`job "${name}" is not defined`);
  }
}
