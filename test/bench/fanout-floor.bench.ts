/**
 * Fan-out and idle memory beside a bare `ws` floor. N anonymous graphql-ws subscribers (one
 * process, fanout-clients.ts) of the status page's own `StatusChanged`, against:
 *
 * - Beacon (its own process): one `setServiceStatus` at a time, latency = mutation sent -> the last
 *   subscriber has the event;
 * - the floor (floor-servers.ts ws): the same clients, one pre-serialized frame of the size Beacon
 *   sent, `POST /broadcast` -> written to every socket, latency = broadcast sent -> the last has it.
 *
 * Events are paced (the next is sent once every subscriber has the previous one), so each latency
 * is one event's alone. Memory: the server process's RSS (and heap + external) after a full GC,
 * with N idle subscribers minus before them, divided by N.
 */
import path from "node:path";
import { documentText } from "../../web/src/graphql";
import { STATUS_CHANGED as STATUS_CHANGED_DOCUMENT } from "../../web/src/status-page/queries";
import { itemAt } from "../support/item-at";
import type { Memory } from "./ipc";
import {
  type BenchDatabase,
  envInt,
  envList,
  fmt,
  gql,
  kb,
  login,
  percentile,
  printSection,
  type Row,
  ratio,
  SET_STATUS,
  type Seeded,
  STATUSES,
  sleep,
  startBeaconChild,
  startFloor,
} from "./kit";
import { Subscribers } from "./subscribers";

export const STATUS_CHANGED = documentText(STATUS_CHANGED_DOCUMENT);
/** The subscription id every floor client uses (uuid-sized, like graphql-ws's own ids). */
const FIXED_ID = "00000000-0000-4000-8000-000000000000";
const WARMUP_EVENTS = 5;
/** Subscribers connected, and an event sent, before the memory baseline (first-use caches). */
const WARMUP_SUBSCRIBERS = 20;

interface Measured {
  latencies: number[];
  memoryBefore: Memory;
  memoryIdle: Memory;
  problems: string[];
  frameBytes: number;
  sample: unknown;
  /** Server process CPU per measured event (Beacon: with everything an event sets off). */
  serverCpuMs: number;
  /** The subscriber process's CPU per measured event (the same work against both servers). */
  clientCpuMs: number;
}

const ms = (ns: bigint) => Number(ns) / 1e6;

/**
 * Sends K events one at a time through `send` and returns each one's latency (sent -> the last
 * subscriber has it), after checking what every subscriber received.
 */
async function paced(clients: Subscribers, k: number, send: (i: number) => Promise<void>) {
  let delivered: (() => void) | null = null;
  clients.onEvent = () => delivered?.();
  const received = clients.ask({ type: "expect", k, each: true }, "received");
  const sentAt: bigint[] = [];
  for (let i = 0; i < k; i++) {
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      delivered = resolve;
      timer = setTimeout(
        () => reject(new Error(`event ${i + 1} of ${k} did not reach every subscriber within 120 s`)),
        120_000,
      );
    });
    sentAt.push(process.hrtime.bigint());
    await send(i);
    await arrived.finally(() => clearTimeout(timer));
    // Let the server finish what follows a delivery (snapshot rebuild, GC) before the next one.
    await sleep(30);
  }
  clients.onEvent = null;
  const r = await received;
  return {
    latencies: r.lastAt.map((at, i) => ms(BigInt(at) - itemAt(sentAt, i))),
    problems: r.problems,
    sample: r.sample,
    clientCpuMs: clients.lastCpuMs / k,
  };
}

async function measureBeacon(
  db: BenchDatabase,
  seeded: Seeded,
  clients: Subscribers,
  n: number,
  k: number,
): Promise<Measured> {
  const beacon = await startBeaconChild(db.url);
  try {
    const token = await login(beacon.url);
    const wsUrl = `${beacon.url.replace("http", "ws")}/graphql`;
    let next = 0;
    const setStatus = async () => {
      await gql(beacon.url, token, SET_STATUS, {
        id: seeded.serviceIds[0],
        s: STATUSES[next++ % STATUSES.length],
      });
    };
    const untilSubscribers = async (count: number) => {
      while (((await beacon.child.ask("subscribers")).subscribers ?? 0) < count) await sleep(50);
    };
    await clients.ask({ type: "connect", wsUrl, n: WARMUP_SUBSCRIBERS, query: STATUS_CHANGED }, "connected");
    await untilSubscribers(WARMUP_SUBSCRIBERS);
    await paced(clients, 1, setStatus);
    await clients.ask({ type: "close" }, "closed");
    await untilGone(beacon.child);
    await beacon.child.ask("caughtUp");

    const memoryBefore = await beacon.child.memory();
    // BENCH_HEAP_SNAPSHOTS=dir: heap snapshots before and with N idle subscribers (compare in DevTools).
    const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
    if (snapshots)
      await beacon.child.ask("heapSnapshot", path.resolve(snapshots, `beacon-${n}-before.heapsnapshot`));
    await clients.ask({ type: "connect", wsUrl, n, query: STATUS_CHANGED }, "connected");
    await untilSubscribers(n);
    const memoryIdle = await beacon.child.memory();
    if (snapshots)
      await beacon.child.ask("heapSnapshot", path.resolve(snapshots, `beacon-${n}-idle.heapsnapshot`));

    await paced(clients, WARMUP_EVENTS, setStatus);
    const cpu0 = await beacon.child.cpuMs();
    const run = await paced(clients, k, setStatus);
    const serverCpuMs = ((await beacon.child.cpuMs()) - cpu0) / k;
    await clients.ask({ type: "close" }, "closed");
    return {
      ...run,
      serverCpuMs,
      memoryBefore,
      memoryIdle,
      frameBytes: frameFor(FIXED_ID, run.sample).length,
    };
  } finally {
    await beacon.child.stop();
  }
}

async function untilGone(child: { ask(t: "subscribers"): Promise<{ subscribers?: number }> }) {
  while (((await child.ask("subscribers")).subscribers ?? 0) > 0) await sleep(50);
}

/** A graphql-ws `next` frame as Beacon writes it: `{"id":...,"type":"next","payload":{"data":...}}`. */
function frameFor(id: string, data: unknown): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${JSON.stringify({ data })}}`);
}

async function measureFloor(clients: Subscribers, n: number, k: number, sample: unknown): Promise<Measured> {
  const floor = await startFloor("ws");
  try {
    const wsUrl = `${floor.url.replace("http", "ws")}/graphql`;
    const changed = (sample as { statusChanged: { seq: string } }).statusChanged;
    let seq = BigInt(changed.seq);
    const broadcast = async () => {
      // One frame per event, serialized here once; the server writes the same bytes to every socket.
      seq++;
      const frame = frameFor(FIXED_ID, { statusChanged: { ...changed, seq: String(seq) } });
      const res = await fetch(`${floor.url}/broadcast`, { method: "POST", body: new Uint8Array(frame) });
      await res.arrayBuffer();
    };
    const open = async (count: number) => {
      await clients.ask(
        { type: "connect", wsUrl, n: count, query: STATUS_CHANGED, fixedId: FIXED_ID },
        "connected",
      );
      // The floor has no subscription count: its clients have sent `subscribe` once connected.
      await sleep(200);
    };
    await open(WARMUP_SUBSCRIBERS);
    await paced(clients, 1, broadcast);
    await clients.ask({ type: "close" }, "closed");
    await sleep(300);

    const memoryBefore = await floor.child.memory();
    await open(n);
    const memoryIdle = await floor.child.memory();
    await paced(clients, WARMUP_EVENTS, broadcast);
    const cpu0 = await floor.child.cpuMs();
    const run = await paced(clients, k, broadcast);
    const serverCpuMs = ((await floor.child.cpuMs()) - cpu0) / k;
    await clients.ask({ type: "close" }, "closed");
    return {
      ...run,
      serverCpuMs,
      memoryBefore,
      memoryIdle,
      frameBytes: frameFor(FIXED_ID, run.sample).length,
    };
  } finally {
    await floor.child.stop();
  }
}

const perSubscriber = (m: Measured, n: number) => ({
  rss: (m.memoryIdle.rss - m.memoryBefore.rss) / n,
  heap:
    (m.memoryIdle.heapUsed + m.memoryIdle.external - m.memoryBefore.heapUsed - m.memoryBefore.external) / n,
});

export async function runFanoutFloorBench(db: BenchDatabase, seeded: Seeded): Promise<Row[]> {
  const sizes = envList("BENCH_FLOOR_SUBSCRIBERS", [1000, 10_000]);
  const k = envInt("BENCH_FLOOR_EVENTS", 30);
  console.log(
    `\nfan-out: ${sizes.join(" and ")} anonymous StatusChanged subscribers, ${WARMUP_EVENTS} warm-up + ${k} paced events, Beacon then the bare ws floor`,
  );
  const clients = new Subscribers();
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      const b = await measureBeacon(db, seeded, clients, n, k);
      const f = await measureFloor(clients, n, k, b.sample);
      const problems = [...b.problems.map((p) => `Beacon: ${p}`), ...f.problems.map((p) => `floor: ${p}`)];
      const bl = [...b.latencies].sort((x, y) => x - y);
      const fl = [...f.latencies].sort((x, y) => x - y);
      const [b50, b99, f50, f99] = [
        percentile(bl, 50),
        percentile(bl, 99),
        percentile(fl, 50),
        percentile(fl, 99),
      ];
      const bm = perSubscriber(b, n);
      const fm = perSubscriber(f, n);
      console.log(
        `  ${n} subscribers, frame ${b.frameBytes} bytes: Beacon p50 ${fmt(b50)} ms, p99 ${fmt(b99)} ms, ` +
          `${fmt(kb(bm.rss))} KB RSS/subscriber; floor p50 ${fmt(f50)} ms, p99 ${fmt(f99)} ms, ` +
          `${fmt(kb(fm.rss))} KB RSS/subscriber; server CPU/event Beacon ${fmt(b.serverCpuMs)} ms, floor ${fmt(f.serverCpuMs)} ms; ` +
          `subscriber process CPU/event ${fmt(b.clientCpuMs)} ms (Beacon), ${fmt(f.clientCpuMs)} ms (floor)` +
          (problems.length ? `; PROBLEMS: ${problems.join("; ")}` : ""),
      );
      const atGoalSize = n >= 10_000;
      rows.push(
        {
          figure: `fan-out p99 ms, ${n} subscribers (p50)`,
          beacon: `${fmt(b99)} (${fmt(b50)})`,
          floor: `${fmt(f99)} (${fmt(f50)})`,
          ratio: ratio(b99, f99),
          goal: atGoalSize ? "<= 1.5x" : "(<= 1.5x at 10,000)",
          met: atGoalSize ? problems.length === 0 && b99 / f99 <= 1.5 : null,
        },
        {
          figure: `server CPU ms per event, ${n} subscribers`,
          beacon: fmt(b.serverCpuMs),
          floor: fmt(f.serverCpuMs),
          ratio: ratio(b.serverCpuMs, f.serverCpuMs),
          goal: "",
          met: null,
        },
        {
          figure: `KB per idle subscriber (RSS), ${n}`,
          beacon: fmt(kb(bm.rss)),
          floor: fmt(kb(fm.rss)),
          ratio: ratio(bm.rss, fm.rss),
          goal: "<= 20 KB",
          met: kb(bm.rss) <= 20,
        },
        {
          figure: `KB per idle subscriber (heap + external), ${n}`,
          beacon: fmt(kb(bm.heap)),
          floor: fmt(kb(fm.heap)),
          ratio: ratio(bm.heap, fm.heap),
          goal: "",
          met: null,
        },
      );
      if (problems.length) process.exitCode = 1;
    }
  } finally {
    clients.stop();
  }
  printSection("Fan-out and idle memory (ratio: Beacon / bare ws broadcast)", rows, [
    `Latency: one event's mutation (floor: broadcast request) sent until its last subscriber had it; ${k} events, paced.`,
    "Server CPU per event: Beacon's includes the mutation and the snapshot rebuild the event sets off.",
    "When the subscriber process's CPU per event comes near the latency, the subscribers (one process) are the bottleneck of both figures.",
    "Memory: the server process's RSS (and V8 heap + external) after a full GC with N idle subscribers, minus before, / N.",
  ]);
  return rows;
}
