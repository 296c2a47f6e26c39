/**
 * Writes beside a bare PostgreSQL floor, all sequential (one at a time), on the same database:
 *
 * - floor: one `pg` connection, `BEGIN; INSERT ...; COMMIT` in a loop (a row like an outbox event);
 * - the design's floor: the same kind of write over HTTP through a bare Apollo Server, nothing of
 *   Beacon's (floor-servers.ts `graphql`): what the stack itself costs a write;
 * - `setServiceStatus` over HTTP (change, change record, timeline, outbox event, NOTIFY);
 * - `updateIncident` over HTTP, an incident command with full history (the same, on an incident).
 *
 * Each loop first runs a warm-up (BENCH_MUTATION_WARMUP_SECONDS, default 10): a server compiled
 * just in time is measured as it runs for days, not in its first seconds (measured: setServiceStatus
 * after 2 s of warm-up ~110 ops/s, after 6 s ~200, after 20 s and 40 s ~180-200).
 */
import pg from "pg";
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
  startBeaconChild,
  startFloor,
} from "./kit";

/** Runs `op` back to back for `seconds`; operations per second. */
async function loop(seconds: number, op: (i: number) => Promise<void>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let i = 0;
  while (performance.now() < end) await op(i++);
  return i / ((performance.now() - start) / 1000);
}

/** The design floor's write (floor-servers.ts `graphql`), sent like Beacon's over HTTP. */
const BARE_SET_STATUS = "mutation($id: ID!, $s: String!) { setStatus(id: $id, status: $s) }";

const UPDATE_INCIDENT =
  "mutation($id: ID!, $v: Int!, $d: String!) { updateIncident(id: $id, expectedVersion: $v, input: { description: $d }) { version } }";

export async function runMutationsBench(db: BenchDatabase, seeded: Seeded): Promise<Row[]> {
  const seconds = envInt("BENCH_MUTATION_SECONDS", 10);
  const warmup = envInt("BENCH_MUTATION_WARMUP_SECONDS", 10);
  console.log(`\nmutations: sequential, ${warmup} s warm-up + ${seconds} s each`);

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const payload = JSON.stringify({
    service: { id: seeded.serviceIds[0], name: "Website", status: "MAJOR_OUTAGE", version: 1 },
    at: new Date().toISOString(),
  });
  let floor: number;
  try {
    await client.query(
      "CREATE TABLE IF NOT EXISTS bench_insert_floor (seq bigserial PRIMARY KEY, kind text NOT NULL, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())",
    );
    const insert = async () => {
      await client.query("BEGIN");
      await client.query("INSERT INTO bench_insert_floor (kind, payload) VALUES ($1, $2)", [
        "SERVICE_STATUS",
        payload,
      ]);
      await client.query("COMMIT");
    };
    await loop(warmup, insert);
    floor = await loop(seconds, insert);
    await client.query("DROP TABLE bench_insert_floor");
  } finally {
    await client.end();
  }
  console.log(`  floor BEGIN; INSERT; COMMIT: ${fmt(floor)} ops/s`);

  const bare = await startFloor("graphql", db.url);
  let stack: number;
  try {
    const setBare = async (i: number) => {
      await gql(bare.url, null, BARE_SET_STATUS, { id: "bench", s: STATUSES[i % STATUSES.length] });
    };
    await loop(warmup, setBare);
    stack = await loop(seconds, setBare);
  } finally {
    await bare.child.stop();
  }
  console.log(`  bare Apollo Server write (BEGIN; SELECT FOR UPDATE; UPDATE; COMMIT): ${fmt(stack)} ops/s`);

  const beacon = await startBeaconChild(db.url);
  let status: number;
  let incident: number;
  let rebuild: { wallMs: number; cpuMs: number; bodies: number };
  try {
    const token = await login(beacon.url);
    const setStatus = async (i: number) => {
      await gql(beacon.url, token, SET_STATUS, {
        id: seeded.serviceIds[1],
        s: STATUSES[i % STATUSES.length],
      });
    };
    await loop(warmup, setStatus);
    status = await loop(seconds, setStatus);
    console.log(`  setServiceStatus: ${fmt(status)} ops/s`);

    let version = seeded.incidentVersion;
    let n = 0;
    const update = async () => {
      const r = await gql<{ updateIncident: { version: number } }>(beacon.url, token, UPDATE_INCIDENT, {
        id: seeded.incidentId,
        v: version,
        d: `Card payments through one provider time out (update ${++n}).`,
      });
      version = r.updateIncident.version;
    };
    await loop(warmup, update);
    incident = await loop(seconds, update);
    console.log(`  updateIncident: ${fmt(incident)} ops/s`);
    await beacon.child.ask("caughtUp");
    // Every event triggers one rebuild of the public snapshot in the same process.
    rebuild = (await beacon.child.ask("rebuildCost")).rebuild!;
    console.log(
      `  public snapshot rebuild (${rebuild.bodies} bodies): ${fmt(rebuild.wallMs)} ms, ${fmt(rebuild.cpuMs)} ms CPU`,
    );
  } finally {
    await beacon.child.stop();
  }
  const rows: Row[] = [
    {
      figure: "setServiceStatus ops/s (sequential, HTTP)",
      beacon: fmt(status),
      floor: fmt(floor),
      ratio: ratio(status, floor),
      goal: ">= 0.3x",
      met: status / floor >= 0.3,
    },
    {
      figure: "the design's floor: a bare Apollo Server write over HTTP, ops/s",
      beacon: fmt(stack),
      floor: fmt(floor),
      ratio: ratio(stack, floor),
      goal: "",
      met: null,
    },
    {
      figure: "setServiceStatus vs that bare Apollo write",
      beacon: fmt(status),
      floor: fmt(stack),
      ratio: ratio(status, stack),
      goal: "",
      met: null,
    },
    {
      figure: "updateIncident ops/s (full history)",
      beacon: fmt(incident),
      floor: fmt(floor),
      ratio: ratio(incident, floor),
      goal: "",
      met: null,
    },
    {
      figure: `public snapshot rebuild per event, ${rebuild.bodies} bodies: ms (CPU ms)`,
      beacon: `${fmt(rebuild.wallMs)} (${fmt(rebuild.cpuMs)})`,
      floor: "",
      ratio: "",
      goal: "",
      met: null,
    },
  ];
  printSection("Mutations (ratio: Beacon / bare BEGIN; INSERT; COMMIT loop, same PostgreSQL)", rows);
  return rows;
}
