/**
 * The subscriber side of the fan-out benchmark, in its own process so the server's CPU time is the
 * server's alone. Driven over IPC by fanout.bench.ts: opens N anonymous graphql-ws subscribers,
 * records when each event reaches each of them, and checks what arrived (after timing).
 */
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { backoffDelay } from "../../web/src/graphql-client";
import { itemAt } from "../support/item-at";

export type ToClients =
  | {
      type: "connect";
      wsUrl: string;
      n: number;
      query: string;
      /** Every client's one subscription gets this id (a floor server broadcasts one frame for all). */
      fixedId?: string;
    }
  /** each: report every event once every subscriber has it (`event`), so the sender can pace. */
  | { type: "expect"; k: number; each?: boolean }
  | { type: "close" }
  /** Every client goes away at once (a deploy), remembering the last seq it had. */
  | { type: "drop" }
  /** Every dropped client comes back at once, resuming with `since`, until each has `want` events. */
  | { type: "storm"; wsUrl: string; query: string; want: number; timeoutMs: number };

export interface StormResult {
  /** Storm started -> every client connected (connection_ack). */
  connectedMs: number;
  /** Storm started -> every client had every event (or the timeout). */
  completeMs: number;
  completed: number;
  /** Connection attempts that failed and were retried (with the web app's backoff). */
  retries: number;
  /** Errors clients saw (a subscription failing, a connection given up), retried or not. */
  errors: number;
  /** Events some client should have had and did not, summed over clients. */
  missed: number;
  duplicates: number;
  problems: string[];
}

export type FromClients =
  | { type: "connected"; ms: number }
  /** Sent the moment every subscriber has every event (the clock stops here). */
  | { type: "delivered"; cpuMs: number }
  | {
      type: "received";
      /** Per event (in seq order): when the last subscriber got it (process.hrtime.bigint, ns, as string). */
      lastAt: string[];
      seqs: string[];
      /** Problems found after timing: wrong count, order, duplicates, differing payloads, errors. */
      problems: string[];
      /** The first subscriber's first event, as received (sizes the floor's frame). */
      sample: unknown;
    }
  | { type: "event"; index: number }
  | { type: "closed" }
  | { type: "dropped" }
  | ({ type: "stormed" } & StormResult)
  | { type: "failed"; message: string };

interface Sub {
  client: Client;
  got: { seq: string; at: bigint; data: unknown }[];
  errors: unknown[];
  /** Its socket has closed (its file descriptor is free again). */
  closed: boolean;
  /** Its subscription ended with an error: it will get nothing more. */
  failed: boolean;
}

/** An error as graphql-ws hands it over (GraphQL errors, a close event, an Error), in a few words. */
function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (Array.isArray(e)) {
    return e
      .map((x: { extensions?: { code?: unknown }; message?: unknown }) =>
        String(x?.extensions?.code ?? x?.message ?? x),
      )
      .join(", ");
  }
  if (e && typeof e === "object" && "code" in e) {
    const close = e as { code: unknown; reason?: unknown };
    return `socket closed ${String(close.code)} ${String(close.reason ?? "")}`.trim();
  }
  if (e && typeof e === "object" && "type" in e) {
    // ws's ErrorEvent carries what failed (ECONNRESET, "Unexpected server response: 503", ...).
    const event = e as { type: unknown; message?: unknown };
    const why = typeof event.message === "string" && event.message ? `: ${event.message.slice(0, 80)}` : "";
    return `socket ${String(event.type)}${why}`;
  }
  return String(e);
}

/** "SERVICE_UNAVAILABLE x 261, socket error x 3": what went wrong, counted. */
function tally(errors: string[]): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => `${e} x ${n}`).join("; ");
}

/**
 * Disposes every client and waits until their sockets have closed: 10,000 sockets still closing
 * plus 10,000 new ones would exceed the process's file limit (EMFILE).
 */
async function disposeAll(all: Sub[]): Promise<void> {
  await Promise.all(all.map((s) => s.client.dispose()));
  const deadline = Date.now() + 60_000;
  while (all.some((s) => !s.closed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

let subs: Sub[] = [];
let want = 0;
let complete = 0;
/** Subscribers that failed before having every expected event: nothing more will come to them. */
let failedIncomplete = 0;
/** Per event index: already reported to the sender. */
let notified: boolean[] = [];
let onComplete: (() => void) | null = null;
/** Per event index: how many subscribers have it (only while `expect` reports each event). */
let perEvent: number[] | null = null;
/** The last seq each dropped client had, for its `since`. */
let dropped: string[] = [];

const reply = (m: FromClients) => process.send!(m);

function receive(sub: Sub, data: unknown) {
  const at = process.hrtime.bigint();
  const seq = (data as { statusChanged?: { seq?: string } }).statusChanged?.seq ?? "?";
  sub.got.push({ seq, at, data });
  const i = sub.got.length - 1;
  if (perEvent && i < want) {
    perEvent[i] = (perEvent[i] ?? 0) + 1;
    settle();
  }
  if (sub.got.length === want) {
    complete++;
    settle();
  }
}

/** Reports events every live subscriber has, and completion (a failed subscriber no longer counts). */
function settle() {
  const target = subs.length - failedIncomplete;
  if (perEvent) {
    perEvent.forEach((n, i) => {
      if (n >= target && !notified[i]) {
        notified[i] = true;
        reply({ type: "event", index: i });
      }
    });
  }
  if (complete >= target) onComplete?.();
}

function fail(sub: Sub, e: unknown) {
  sub.errors.push(describe(e));
  if (sub.failed) return;
  sub.failed = true;
  if (sub.got.length < want) {
    failedIncomplete++;
    settle();
  }
}

async function connect(wsUrl: string, n: number, query: string, fixedId?: string): Promise<void> {
  const started = performance.now();
  const BATCH = 250;
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      batch.push(
        new Promise<void>((resolve, reject) => {
          const sub: Sub = {
            client: null as unknown as Client,
            got: [],
            errors: [],
            closed: false,
            failed: false,
          };
          const client = createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            lazy: false,
            // Counted through the subscription's error sink; graphql-ws would also print each one.
            onNonLazyError: () => {},
            retryAttempts: 0,
            ...(fixedId ? { generateID: () => fixedId } : {}),
            on: {
              connected: () => resolve(),
              error: (e) => reject(e),
              closed: () => {
                sub.closed = true;
              },
            },
          });
          sub.client = client;
          subs.push(sub);
          client.subscribe(
            { query },
            {
              next: (v) => {
                if (v.errors) sub.errors.push(describe(v.errors));
                if (v.data) receive(sub, v.data);
              },
              error: (e) => fail(sub, e),
              complete: () => {},
            },
          );
        }),
      );
    }
    await Promise.all(batch);
  }
  reply({ type: "connected", ms: performance.now() - started });
}

async function expectEvents(k: number, each: boolean): Promise<void> {
  for (const s of subs) s.got = [];
  want = k;
  complete = 0;
  failedIncomplete = subs.filter((s) => s.failed).length;
  notified = [];
  perEvent = each ? new Array<number>(k).fill(0) : null;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    onComplete = resolve;
    settle();
  });
  onComplete = null;
  perEvent = null;
  const cpu = process.cpuUsage(cpu0);
  reply({ type: "delivered", cpuMs: (cpu.user + cpu.system) / 1000 });
  const lastAt = Array.from({ length: k }, (_, i) => {
    let last = 0n;
    for (const s of subs) {
      const g = s.got[i];
      if (g && g.at > last) last = g.at;
    }
    return last.toString();
  });
  // Checked after the clock stopped: give duplicates a moment to show up, then compare everything.
  await new Promise((r) => setTimeout(r, 300));
  const problems: string[] = [];
  const first = subs.find((s) => !s.failed) ?? itemAt(subs, 0);
  const reference = first.got.map((g) => JSON.stringify(g.data));
  const seqs = first.got.map((g) => g.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (BigInt(itemAt(seqs, i)) <= BigInt(itemAt(seqs, i - 1)))
      problems.push(`seqs out of order: ${seqs.join(",")}`);
  }
  const failures = subs.flatMap((s) => s.errors as string[]);
  if (failures.length)
    problems.push(`${subs.filter((s) => s.errors.length).length} subscribers had errors: ${tally(failures)}`);
  subs.forEach((s, i) => {
    if (s.got.length !== k) problems.push(`subscriber ${i}: ${s.got.length} events, expected ${k}`);
    s.got.forEach((g, j) => {
      if (JSON.stringify(g.data) !== reference[j]) problems.push(`subscriber ${i}: payload ${j} differs`);
    });
  });
  reply({ type: "received", lastAt, seqs, problems: problems.slice(0, 10), sample: first.got[0]?.data });
}

async function close(): Promise<void> {
  await disposeAll(subs);
  subs = [];
  reply({ type: "closed" });
}

async function drop(): Promise<void> {
  dropped = subs.map((s) => s.got.at(-1)?.seq ?? "0");
  await disposeAll(subs);
  subs = [];
  reply({ type: "dropped" });
}

/**
 * All dropped clients reconnect at once, as every open status page does after a deploy: graphql-ws
 * with the web app's retry backoff, each resuming its subscription with `since` = the last seq it had.
 */
async function storm(wsUrl: string, query: string, wantEvents: number, timeoutMs: number): Promise<void> {
  const started = performance.now();
  let connected = 0;
  let connectedMs = Number.NaN;
  let completed = 0;
  let retries = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stormSubs = dropped.map((since) => {
    const sub: Sub & { since: string; connectedOnce: boolean } = {
      client: null as unknown as Client,
      got: [],
      errors: [],
      closed: false,
      failed: false,
      since,
      connectedOnce: false,
    };
    let attempts = 0;
    sub.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      onNonLazyError: () => {},
      retryAttempts: 8,
      retryWait: (n) => new Promise((r) => setTimeout(r, backoffDelay(n))),
      on: {
        connecting: () => {
          if (attempts++ > 0) retries++;
        },
        closed: () => {
          sub.closed = true;
        },
        connected: () => {
          sub.closed = false;
          if (sub.connectedOnce) return;
          sub.connectedOnce = true;
          if (++connected === dropped.length) connectedMs = performance.now() - started;
          // Nothing to wait for but the connection (a floor server replays nothing).
          if (wantEvents === 0 && ++completed === dropped.length) done();
        },
      },
    });
    // Like the status page (web/src/live-query.ts): a subscription that fails is started again
    // after the usual backoff, from the last event it had; each failure is counted as an error.
    let failures = 0;
    const start = () =>
      sub.client.subscribe(
        { query, variables: { since: sub.got.at(-1)?.seq ?? since } },
        {
          next: (v) => {
            if (v.errors) sub.errors.push(describe(v.errors));
            if (!v.data) return;
            const seq = (v.data as { statusChanged?: { seq?: string } }).statusChanged?.seq ?? "?";
            sub.got.push({ seq, at: 0n, data: v.data });
            if (sub.got.length === wantEvents && ++completed === dropped.length) done();
          },
          error: (e) => {
            sub.errors.push(describe(e));
            if (failures < 8 && sub.got.length < wantEvents) setTimeout(start, backoffDelay(failures++));
          },
          complete: () => {},
        },
      );
    start();
    return sub;
  });
  subs = stormSubs;
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  const completeMs = performance.now() - started;
  // Counted after the clock stopped: give late duplicates a moment to show up.
  await new Promise((r) => setTimeout(r, 500));
  const problems: string[] = [];
  let missed = 0;
  let duplicates = 0;
  const reference = stormSubs.find((s) => s.got.length === wantEvents)?.got.map((g) => g.seq) ?? [];
  stormSubs.forEach((s, i) => {
    const seqs = s.got.map((g) => g.seq);
    const unique = new Set(seqs);
    duplicates += seqs.length - unique.size;
    missed += Math.max(0, wantEvents - unique.size);
    if (seqs.some((q, j) => j > 0 && BigInt(q) <= BigInt(itemAt(seqs, j - 1))) && problems.length < 10) {
      problems.push(`client ${i}: seqs out of order ${seqs.join(",")}`);
    }
    if (seqs.some((q) => BigInt(q) <= BigInt(s.since)) && problems.length < 10) {
      problems.push(`client ${i}: got seq <= its since ${s.since}: ${seqs.join(",")}`);
    }
    if (unique.size === wantEvents && seqs.join() !== reference.join() && problems.length < 10) {
      problems.push(`client ${i}: other events than client 0: ${seqs.join(",")}`);
    }
  });
  const failures = stormSubs.flatMap((s) => s.errors as string[]);
  if (failures.length) {
    problems.unshift(
      `${stormSubs.filter((s) => s.errors.length).length} clients had errors: ${tally(failures)}`,
    );
  }
  const errors = failures.length;
  reply({
    type: "stormed",
    connectedMs,
    completeMs,
    completed,
    retries,
    errors,
    missed,
    duplicates,
    problems,
  });
}

process.on("message", (m: ToClients) => {
  const run =
    m.type === "connect"
      ? connect(m.wsUrl, m.n, m.query, m.fixedId)
      : m.type === "expect"
        ? expectEvents(m.k, m.each ?? false)
        : m.type === "drop"
          ? drop()
          : m.type === "storm"
            ? storm(m.wsUrl, m.query, m.want, m.timeoutMs)
            : close();
  run.catch((e: unknown) => reply({ type: "failed", message: e instanceof Error ? e.message : String(e) }));
});
process.on("disconnect", () => process.exit(0));
