/**
 * Reconnect storm, as after a deploy: N open status pages (graphql-ws, the page's own
 * `StatusChanged`) all lose their connection, events happen while they are away, and all come back
 * at once with the web app's retry backoff, each resuming with `since` = the last seq it had; more
 * events happen during the storm. Done when every client has every event since its `since`, each
 * once and in order. The floor: the same clients reconnecting to the bare `ws` server (connect and
 * subscribe, nothing to replay).
 */
import type { StormResult } from "./fanout-clients";
import { STATUS_CHANGED } from "./fanout-floor.bench";
import {
  type BenchDatabase,
  envInt,
  fmt,
  gql,
  login,
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

const WHILE_AWAY = 3;
const DURING_STORM = 2;
const GOAL_MS = 30_000;

export async function runStormBench(db: BenchDatabase, seeded: Seeded): Promise<Row[]> {
  const n = envInt("BENCH_STORM_CLIENTS", 10_000);
  const timeoutMs = envInt("BENCH_STORM_TIMEOUT_MS", 120_000);
  console.log(
    `\nreconnect storm: ${n} clients, ${WHILE_AWAY} events while away and ${DURING_STORM} during the storm`,
  );
  const clients = new Subscribers();
  const beacon = await startBeaconChild(db.url);
  let storm: StormResult;
  let floorStorm: StormResult;
  try {
    storm = await stormOnce(beacon, clients, seeded, n, timeoutMs);
  } finally {
    await beacon.child.stop();
  }
  const floor = await startFloor("ws");
  try {
    const wsUrl = `${floor.url.replace("http", "ws")}/graphql`;
    await clients.ask({ type: "connect", wsUrl, n, query: STATUS_CHANGED }, "connected");
    await clients.ask({ type: "drop" }, "dropped");
    floorStorm = await clients.ask(
      { type: "storm", wsUrl, query: STATUS_CHANGED, want: 0, timeoutMs },
      "stormed",
    );
    await clients.ask({ type: "close" }, "closed");
  } finally {
    await floor.child.stop();
    clients.stop();
  }
  const s = storm;
  console.log(
    `  Beacon: all connected in ${fmt(s.connectedMs)} ms, all resumed in ${fmt(s.completeMs)} ms ` +
      `(${s.completed}/${n}), ${s.retries} retries, ${s.errors} errors, ${s.missed} missed, ${s.duplicates} duplicates; ` +
      `floor: all connected in ${fmt(floorStorm.connectedMs)} ms, ${floorStorm.retries} retries, ${floorStorm.errors} errors` +
      (s.problems.length ? `\n  PROBLEMS: ${s.problems.join("\n    ")}` : ""),
  );
  const clean = s.errors === 0 && s.missed === 0 && s.duplicates === 0 && s.problems.length === 0;
  if (!clean) process.exitCode = 1;
  const rows: Row[] = [
    {
      figure: `reconnect storm, ${n} clients: ms until all resumed`,
      beacon: fmt(s.completeMs),
      floor: fmt(floorStorm.completeMs),
      ratio: ratio(s.completeMs, floorStorm.completeMs),
      goal: "<= 30 s",
      met: s.completed === n && s.completeMs <= GOAL_MS,
    },
    {
      figure: "reconnect storm: errors / retried connects",
      beacon: `${s.errors} / ${s.retries}`,
      floor: `${floorStorm.errors} / ${floorStorm.retries}`,
      ratio: "",
      goal: "0 errors",
      met: s.errors === 0,
    },
    {
      figure: "reconnect storm: missed / duplicate events",
      beacon: `${s.missed} / ${s.duplicates}`,
      floor: "",
      ratio: "",
      goal: "0 / 0",
      met: s.missed === 0 && s.duplicates === 0 && s.problems.length === 0,
    },
  ];
  printSection("Reconnect storm (floor: the same clients reconnecting to the bare ws server)", rows, [
    `Beacon: every client resubscribes with since = its last seq and must receive the ${WHILE_AWAY + DURING_STORM} events after it exactly once, in order.`,
  ]);
  return rows;
}

async function stormOnce(
  beacon: Awaited<ReturnType<typeof startBeaconChild>>,
  clients: Subscribers,
  seeded: Seeded,
  n: number,
  timeoutMs: number,
): Promise<StormResult> {
  const token = await login(beacon.url);
  const wsUrl = `${beacon.url.replace("http", "ws")}/graphql`;
  let next = 0;
  const setStatus = () =>
    gql(beacon.url, token, SET_STATUS, { id: seeded.serviceIds[3], s: STATUSES[next++ % STATUSES.length] });
  const subscribers = async () => (await beacon.child.ask("subscribers")).subscribers ?? 0;

  await clients.ask({ type: "connect", wsUrl, n, query: STATUS_CHANGED }, "connected");
  while ((await subscribers()) < n) await sleep(50);
  const first = clients.ask({ type: "expect", k: 1 }, "received");
  await setStatus();
  const r = await first;
  if (r.problems.length) throw new Error(`before the storm: ${r.problems.join("; ")}`);

  await clients.ask({ type: "drop" }, "dropped");
  while ((await subscribers()) > 0) await sleep(50);
  for (let i = 0; i < WHILE_AWAY; i++) await setStatus();

  const result = clients.ask(
    { type: "storm", wsUrl, query: STATUS_CHANGED, want: WHILE_AWAY + DURING_STORM, timeoutMs },
    "stormed",
  );
  // Live events while thousands are still replaying: each must arrive once, after the replay.
  await sleep(200);
  for (let i = 0; i < DURING_STORM; i++) {
    await setStatus();
    await sleep(300);
  }
  const stormed = await result;
  await clients.ask({ type: "close" }, "closed");
  return stormed;
}
