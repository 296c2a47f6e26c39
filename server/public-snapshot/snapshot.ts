import pLimit from "p-limit";
import { CoalescingPump } from "../events";
import type { Logger } from "../kernel/log";
import { type PreparedBody, prepareBody } from "./prepared-body";

/** What a producer makes: a body to serve to everyone, or null when this key is not cacheable now. */
export type Produced = { content: string; type: string } | null;
/** `inBuild`: true when a build calls it (a learned key rebuilt), false or absent for a first read. */
export type Producer = (inBuild?: boolean) => Promise<Produced>;

/** The snapshot key of an HTTP body: `GET /`, `GET /api/v2/summary.json`, ... */
export const httpKey = (path: string) => `http\n${path}`;

/**
 * At least this long between the starts of two builds: a burst of writes (sequential commands,
 * dozens a second) is followed by a build every 250 ms, not one per write, each costing tens of
 * milliseconds of CPU and dozens of queries the writers would wait behind. Public reads lag the
 * newest event by at most this plus one build; a lone event is built at once.
 */
export const BUILD_SPACING_MS = 250;

/**
 * Producers run at most this many at a time in a build: each may hold pool connections, and the pool
 * (10) is shared with the writers, who must not queue behind a rebuild (docs/performance.md).
 */
export const BUILD_CONCURRENCY = 2;

/** Rebuilt at least this often without events: relative times and the uptime bars' day move on. */
export const REFRESH_MS = 30_000;
/** Keys learned from reads (GraphQL variables, ...) kept per generation; beyond this, reads pass through. */
export const MAX_LEARNED = 256;

interface Generation {
  id: number;
  /** The hub's seq when the build started: every event up to it is in the bodies. */
  seq: string;
  builtAt: Date;
  entries: Map<string, PreparedBody>;
  /** Learned keys read during this generation: the next build rebuilds these (and only these). */
  hot: Set<string>;
}

/**
 * The public side of one instance, rebuilt once per event seq (and on a timer): every registered
 * public body (Statuspage JSON, the server-rendered page, the status page's GraphQL results),
 * serialized and compressed once. Reads pick bytes from memory: no database, no GraphQL execution,
 * no compression. A failed build keeps the previous generation and logs why, so the public side
 * keeps answering while PostgreSQL does not.
 */
export class PublicSnapshot {
  private current: Generation | null = null;
  /** Bodies every build makes; a group makes several from one read (e.g. every JSON from one summary). */
  private readonly groups: { keys: string[]; produce: () => Promise<Map<string, Produced>> }[] = [];
  private readonly learned = new Map<string, Producer>();
  private readonly filling = new Map<string, Promise<PreparedBody | null>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  // build() reports its own failures (lastError); anything else escaping it is logged here.
  private readonly builds = new CoalescingPump(() => this.build(), {
    onError: (err) => this.log.error({ err }, "public snapshot build failed unexpectedly"),
    active: () => !this.stopped,
    spacingMs: BUILD_SPACING_MS,
  });
  private generations = 0;
  /** Why the last build failed (null after a good one): shown by /healthz, logged once per streak. */
  lastError: string | null = null;

  constructor(
    private readonly seqNow: () => string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    /** Hears why a build failed (the database not answering is worth knowing before any request meets it). */
    private readonly onBuildFailed: (err: unknown) => void = () => {},
  ) {}

  /** A body every build makes, e.g. `GET /api/v2/summary.json`. */
  register(key: string, produce: Producer): void {
    this.registerGroup([key], async () => new Map([[key, await produce()]]));
  }

  /** Several bodies from one production; each key must be produced (null fails the build). */
  registerGroup(keys: string[], produce: () => Promise<Map<string, Produced>>): void {
    this.groups.push({ keys, produce });
  }

  private get fixedCount(): number {
    return this.groups.reduce((n, g) => n + g.keys.length, 0);
  }

  get seq(): string | null {
    return this.current?.seq ?? null;
  }

  get builtAt(): Date | null {
    return this.current?.builtAt ?? null;
  }

  /** The id of the build running now (or of the last one): producers share reads within one build. */
  get building(): number {
    return this.generations;
  }

  get generation(): number {
    return this.current?.id ?? 0;
  }

  /** The current body for a key, if this generation has it. */
  get(key: string): PreparedBody | undefined {
    const g = this.current;
    if (!g) return undefined;
    const body = g.entries.get(key);
    if (body && this.learned.has(key)) g.hot.add(key);
    return body;
  }

  /**
   * A body for a key no build made yet (e.g. a public query with new variables): produced once per
   * generation however many readers ask at once, then kept and rebuilt with the others while read.
   * Null when it cannot be cached (not public, errors, cache full, no snapshot yet).
   */
  async fill(key: string, produce: Producer): Promise<PreparedBody | null> {
    const g = this.current;
    if (!g) return null;
    const existing = this.get(key);
    if (existing) return existing;
    if (!this.learned.has(key) && this.learned.size >= MAX_LEARNED) return null;
    const inFlight = this.filling.get(key);
    if (inFlight) return inFlight;
    const p = (async () => {
      const produced = await produce();
      if (!produced) return null;
      const body = await prepareBody(produced.content, produced.type, g.seq);
      // A newer generation may have been swapped in meanwhile: then this body is already old.
      if (this.current === g && g.entries.size < this.fixedCount + MAX_LEARNED) {
        g.entries.set(key, body);
        this.learned.set(key, produce);
        g.hot.add(key);
      }
      return body;
    })().finally(() => this.filling.delete(key));
    this.filling.set(key, p);
    return p;
  }

  /** Builds the first generation, then follows every seq (`requestBuild`) and the refresh timer. */
  async start(): Promise<void> {
    this.requestBuild();
    await this.settled();
    this.timer = setInterval(() => this.requestBuild(), REFRESH_MS);
    this.timer.unref();
  }

  /** Coalesces: at most one build runs, and one more follows if asked meanwhile. */
  requestBuild(): void {
    this.builds.request();
  }

  /** Resolves once no build is running or queued (tests and start-up). */
  async settled(): Promise<void> {
    await this.builds.idle();
  }

  private async build(): Promise<void> {
    const seq = this.seqNow();
    const previous = this.current;
    const hot = previous ? [...previous.hot].filter((k) => this.learned.has(k)) : [];
    // Learned keys nobody read during the last generation are forgotten; they are learned again when read.
    for (const k of [...this.learned.keys()]) if (!hot.includes(k)) this.learned.delete(k);
    const id = ++this.generations;
    const limit = pLimit(BUILD_CONCURRENCY);
    try {
      const fixed = (
        await Promise.all(
          this.groups.map(async (group) => {
            const produced = await limit(() => group.produce());
            return Promise.all(
              group.keys.map(async (key) => {
                const p = produced.get(key);
                if (!p) throw new Error(`${key.split("\n").slice(0, 2).join(" ")} produced nothing`);
                return [key, await prepareBody(p.content, p.type, seq, previous?.entries.get(key))] as const;
              }),
            );
          }),
        )
      ).flat();
      const learned = await Promise.all(
        hot.map(async (key) => {
          try {
            const produced = await limit(() => this.learned.get(key)!(true));
            return produced
              ? ([
                  key,
                  await prepareBody(produced.content, produced.type, seq, previous?.entries.get(key)),
                ] as const)
              : null;
          } catch {
            return null;
          }
        }),
      );
      const entries = new Map<string, PreparedBody>(fixed);
      for (const e of learned) if (e) entries.set(e[0], e[1]);
      for (const k of hot) if (!entries.has(k)) this.learned.delete(k);
      this.current = { id, seq, builtAt: this.now(), entries, hot: new Set() };
      if (this.lastError) this.log.info({ seq }, "public snapshot rebuilt again after failures");
      this.lastError = null;
    } catch (err) {
      this.onBuildFailed(err);
      const message = err instanceof Error ? err.message : String(err);
      if (this.lastError === null) {
        this.log.warn(
          { err, seq, servingSeq: previous?.seq ?? null },
          "public snapshot rebuild failed; still serving the previous one",
        );
      }
      this.lastError = message;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.settled();
  }
}
