/**
 * The subscriber side of the fan-out benchmark, in its own process so the server's CPU time is the
 * server's alone. Driven over IPC by fanout.bench.ts: opens N anonymous graphql-ws subscribers,
 * records when each event reaches each of them, and checks what arrived (after timing).
 */
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

export type ToClients =
  | { type: "connect"; wsUrl: string; n: number; query: string }
  | { type: "expect"; k: number }
  | { type: "close" };

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
    }
  | { type: "closed" }
  | { type: "failed"; message: string };

interface Sub {
  client: Client;
  got: { seq: string; at: bigint; data: unknown }[];
  errors: unknown[];
}

let subs: Sub[] = [];
let want = 0;
let complete = 0;
let onComplete: (() => void) | null = null;

const reply = (m: FromClients) => process.send!(m);

function receive(sub: Sub, data: unknown) {
  const at = process.hrtime.bigint();
  const seq = (data as { statusChanged?: { seq?: string } }).statusChanged?.seq ?? "?";
  sub.got.push({ seq, at, data });
  if (sub.got.length === want && ++complete === subs.length) onComplete?.();
}

async function connect(wsUrl: string, n: number, query: string): Promise<void> {
  const started = performance.now();
  const BATCH = 250;
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      batch.push(
        new Promise<void>((resolve, reject) => {
          const client = createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            lazy: false,
            retryAttempts: 0,
            on: { connected: () => resolve(), error: (e) => reject(e) },
          });
          const sub: Sub = { client, got: [], errors: [] };
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

async function expectEvents(k: number): Promise<void> {
  for (const s of subs) s.got = [];
  want = k;
  complete = 0;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    onComplete = resolve;
  });
  onComplete = null;
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
  reply({ type: "received", lastAt, seqs, problems: problems.slice(0, 10) });
}

async function close(): Promise<void> {
  await Promise.all(subs.map((s) => s.client.dispose()));
  subs = [];
  reply({ type: "closed" });
}

process.on("message", (m: ToClients) => {
  const run =
    m.type === "connect" ? connect(m.wsUrl, m.n, m.query) : m.type === "expect" ? expectEvents(m.k) : close();
  run.catch((e: unknown) => reply({ type: "failed", message: e instanceof Error ? e.message : String(e) }));
});
process.on("disconnect", () => process.exit(0));
