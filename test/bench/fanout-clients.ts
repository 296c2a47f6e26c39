/**
 * The subscriber side of the fan-out benchmark, in its own process so the server's CPU time is the
 * server's alone. Driven over IPC by fanout.bench.ts: opens N anonymous graphql-ws subscribers,
 * records when each event reaches each of them, and checks what arrived (after timing).
 */
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { backoffDelay } from "../../web/src/graphql-client";

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
  /** Clients that ended with an error (connection given up, subscription error). */
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
  if (perEvent && i < want && ++perEvent[i]! === subs.length) reply({ type: "event", index: i });
  if (sub.got.length === want && ++complete === subs.length) onComplete?.();
}

async function connect(wsUrl: string, n: number, query: string, fixedId?: string): Promise<void> {
  const started = performance.now();
  const BATCH = 250;
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      batch.push(
        new Promise<void>((resolve, reject) => {
          const sub: Sub = { client: null as unknown as Client, got: [], errors: [], closed: false };
          const client = createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            lazy: false,
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
                if (v.errors) sub.errors.push(v.errors);
                if (v.data) receive(sub, v.data);
              },
              error: (e) => sub.errors.push(e instanceof Error ? e.message : e),
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
  perEvent = each ? new Array<number>(k).fill(0) : null;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    onComplete = resolve;
  });
  onComplete = null;
  perEvent = null;
  const cpu = process.cpuUsage(cpu0);
  reply({ type: "delivered", cpuMs: (cpu.user + cpu.system) / 1000 });
  const lastAt = Array.from({ length: k }, (_, i) => {
    let last = 0n;
    for (const s of subs) if (s.got[i]!.at > last) last = s.got[i]!.at;
    return last.toString();
  });
  // Checked after the clock stopped: give duplicates a moment to show up, then compare everything.
  await new Promise((r) => setTimeout(r, 300));
  const problems: string[] = [];
  const reference = subs[0]!.got.map((g) => JSON.stringify(g.data));
  const seqs = subs[0]!.got.map((g) => g.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (BigInt(seqs[i]!) <= BigInt(seqs[i - 1]!)) problems.push(`seqs out of order: ${seqs.join(",")}`);
  }
  subs.forEach((s, i) => {
    if (s.errors.length) problems.push(`subscriber ${i}: errors ${JSON.stringify(s.errors).slice(0, 200)}`);
    if (s.got.length !== k) problems.push(`subscriber ${i}: ${s.got.length} events, expected ${k}`);
    s.got.forEach((g, j) => {
      if (JSON.stringify(g.data) !== reference[j]) problems.push(`subscriber ${i}: payload ${j} differs`);
    });
  });
  reply({ type: "received", lastAt, seqs, problems: problems.slice(0, 10), sample: subs[0]!.got[0]?.data });
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
      since,
      connectedOnce: false,
    };
    let attempts = 0;
    sub.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
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
    sub.client.subscribe(
      { query, variables: { since } },
      {
        next: (v) => {
          if (v.errors) sub.errors.push(v.errors);
          if (!v.data) return;
          const seq = (v.data as { statusChanged?: { seq?: string } }).statusChanged?.seq ?? "?";
          sub.got.push({ seq, at: 0n, data: v.data });
          if (sub.got.length === wantEvents && ++completed === dropped.length) done();
        },
        error: (e) => {
          sub.errors.push(e instanceof Error ? e.message : String((e as { reason?: string })?.reason ?? e));
        },
        complete: () => {},
      },
    );
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
  let errors = 0;
  const reference = stormSubs.find((s) => s.got.length === wantEvents)?.got.map((g) => g.seq) ?? [];
  stormSubs.forEach((s, i) => {
    const seqs = s.got.map((g) => g.seq);
    const unique = new Set(seqs);
    duplicates += seqs.length - unique.size;
    missed += Math.max(0, wantEvents - unique.size);
    if (s.errors.length) {
      errors++;
      if (problems.length < 10) problems.push(`client ${i}: ${JSON.stringify(s.errors).slice(0, 200)}`);
    }
    if (seqs.some((q, j) => j > 0 && BigInt(q) <= BigInt(seqs[j - 1]!)) && problems.length < 10) {
      problems.push(`client ${i}: seqs out of order ${seqs.join(",")}`);
    }
    if (seqs.some((q) => BigInt(q) <= BigInt(s.since)) && problems.length < 10) {
      problems.push(`client ${i}: got seq <= its since ${s.since}: ${seqs.join(",")}`);
    }
    if (unique.size === wantEvents && seqs.join() !== reference.join() && problems.length < 10) {
      problems.push(`client ${i}: other events than client 0: ${seqs.join(",")}`);
    }
  });
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
