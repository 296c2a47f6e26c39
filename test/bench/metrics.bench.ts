/**
 * incidentMetrics over many incidents (issue 14: "over 100,000 incidents in well under a second"),
 * beside a floor: a bare `SELECT count(*)` over the same rows on its own `pg` connection.
 *
 * The incidents (BENCH_METRICS_INCIDENTS, default 100,000) are written straight into the tables in
 * SQL — through the API they would take an hour — spread over the last year, with their services,
 * categories, queues and SLA clocks (incident_sla; its triggers write incident_metrics_sample), so every grouping and every figure has real work
 * to do. Then each groupBy is asked over HTTP for the whole
 * year, one request at a time (BENCH_METRICS_RUNS each after one warm-up).
 */
import pg from "pg";
import { documentText } from "../../web/src/graphql";
import { METRICS_QUERY } from "../../web/src/war-room/reports/report-queries";
import {
  type BenchDatabase,
  envInt,
  fmt,
  gql,
  login,
  percentile,
  printSection,
  type Row,
  ratio,
  startBeaconChild,
} from "./kit";

const GROUPS = ["PRIORITY", "SERVICE", "CATEGORY", "QUEUE", "DAY"] as const;
const DAY_MS = 86_400_000;

/** Writes `count` incidents opened over the year before `now`, and what the figures read. */
export async function seedIncidents(client: pg.Client, count: number, now: Date): Promise<void> {
  await client.query("BEGIN");
  const { rows: admins } = await client.query<{ id: string }>(
    "SELECT id FROM app_user ORDER BY created_at LIMIT 1",
  );
  const owner = admins[0]?.id;
  if (!owner) throw new Error("no user to own the incidents");
  for (let c = 0; c < 12; c++) {
    const parent =
      c < 4 ? null : `(SELECT id FROM category WHERE name_key = 'bench ${c % 4}' AND parent_id IS NULL)`;
    await client.query(
      `INSERT INTO category (name, name_key, parent_id, parent_key)
       SELECT $1, lower($1), p.id, COALESCE(p.id::text, '') FROM (SELECT ${parent ?? "NULL::uuid"} AS id) p`,
      [`Bench ${c}`],
    );
  }
  for (let q = 0; q < 5; q++)
    await client.query("INSERT INTO queue (name) VALUES ($1)", [`Bench queue ${q}`]);
  const base = Number(
    (await client.query("SELECT COALESCE(max(seq_number), 0) AS n FROM incident")).rows[0].n,
  );
  // Deterministic spread: priority cycles, 90% acknowledged within an hour, 80% resolved within
  // two days, one in 20 canceled; opened every (year / count).
  await client.query(
    `WITH cats AS (SELECT array_agg(id ORDER BY name) AS ids FROM category),
          queues AS (SELECT array_agg(id ORDER BY name) AS ids FROM queue)
     INSERT INTO incident (seq_number, title, description, impact, urgency, priority, peak_priority, state, version,
                           is_public, owner_id, queue_id, category_id, created_at, updated_at, resolved_at)
     SELECT $1::int + g, 'Bench incident ' || g, 'Seeded by npm run bench', 'MEDIUM', 'MEDIUM',
            'P' || (1 + g % 4), 'P' || (1 + g % 4),
            CASE WHEN g % 20 = 0 THEN 'CANCELED' WHEN g % 5 = 0 THEN 'IN_PROGRESS' WHEN g % 3 = 0 THEN 'CLOSED' ELSE 'RESOLVED' END,
            3, false, $2::uuid,
            CASE WHEN g % 3 = 0 THEN NULL ELSE queues.ids[1 + g % 5] END,
            CASE WHEN g % 7 = 0 THEN NULL ELSE cats.ids[1 + g % 12] END,
            $3::timestamptz - (g * $4::float8) * interval '1 millisecond',
            $3::timestamptz - (g * $4::float8) * interval '1 millisecond',
            CASE WHEN g % 20 <> 0 AND g % 5 <> 0
                 THEN $3::timestamptz - (g * $4::float8) * interval '1 millisecond' + (g % 2880) * interval '1 minute' END
       FROM generate_series(1, $5::int) g, cats, queues`,
    [base, owner, now, (365 * DAY_MS) / count, count],
  );
  await client.query(
    `WITH services AS (SELECT array_agg(id ORDER BY name) AS ids, count(*)::int AS n FROM service)
     INSERT INTO incident_service (incident_id, service_id)
     SELECT i.id, services.ids[1 + i.seq_number % services.n] FROM incident i, services WHERE i.seq_number > $1
     UNION
     SELECT i.id, services.ids[1 + (i.seq_number / 7) % services.n] FROM incident i, services
      WHERE i.seq_number > $1 AND i.seq_number % 4 = 0`,
    [base],
  );
  // The SLA clocks the figures read (server/sla/): targets of the default policies, 90% acknowledged
  // within an hour, business seconds about a third of the wall clock, some breaches recorded.
  await client.query(
    `INSERT INTO incident_sla (incident_id, priority, business_hours, ack_target_seconds, resolve_target_seconds,
                               ack_met_at, resolve_met_at, ack_business_seconds, resolve_business_seconds,
                               ack_breached_at, resolve_breached_at, paused_seconds, auto_close)
     SELECT i.id, i.priority, i.priority IN ('P3', 'P4'),
            CASE i.priority WHEN 'P1' THEN 900 WHEN 'P2' THEN 1800 WHEN 'P3' THEN 14400 ELSE 28800 END,
            CASE i.priority WHEN 'P1' THEN 14400 WHEN 'P2' THEN 28800 WHEN 'P3' THEN 86400 ELSE 144000 END,
            a.at, i.resolved_at,
            CASE WHEN a.at IS NOT NULL THEN EXTRACT(EPOCH FROM (a.at - i.created_at))::int / 3 END,
            CASE WHEN i.resolved_at IS NOT NULL THEN EXTRACT(EPOCH FROM (i.resolved_at - i.created_at))::int / 3 END,
            CASE WHEN i.seq_number % 17 = 0 THEN i.created_at + interval '15 minutes' END,
            CASE WHEN i.seq_number % 11 = 0 THEN i.created_at + interval '4 hours' END,
            (i.seq_number % 7) * 600, i.priority IN ('P3', 'P4')
       FROM incident i
       CROSS JOIN LATERAL (SELECT CASE WHEN i.state <> 'CANCELED' AND i.seq_number % 10 <> 1
                                       THEN i.created_at + (i.seq_number % 60) * interval '1 minute' END AS at) a
      WHERE i.seq_number > $1
     ON CONFLICT (incident_id) DO NOTHING`,
    [base],
  );
  await client.query("COMMIT");
  await client.query("ANALYZE");
}

async function timed(runs: number, op: () => Promise<unknown>): Promise<number[]> {
  await op(); // warm-up: plans, caches, connections
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await op();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

export async function runMetricsBench(db: BenchDatabase): Promise<Row[]> {
  const count = envInt("BENCH_METRICS_INCIDENTS", 100_000);
  const runs = envInt("BENCH_METRICS_RUNS", 10);
  console.log(
    `\nmetrics: ${count.toLocaleString("en-US")} incidents over a year, ${runs} runs per figure after a warm-up`,
  );
  const now = new Date();
  const from = new Date(now.getTime() - 366 * DAY_MS);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const rows: Row[] = [];
  const beacon = await startBeaconChild(db.url);
  try {
    const seedStart = performance.now();
    await seedIncidents(client, count, now);
    console.log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const token = await login(beacon.url);
    const floor = await timed(runs, () =>
      client.query("SELECT count(*) FROM incident WHERE created_at >= $1 AND created_at < $2", [from, now]),
    );
    const floorP50 = percentile(floor, 50);
    for (const groupBy of GROUPS) {
      let seen = 0;
      const ms = await timed(runs, async () => {
        const d = await gql<{ incidentMetrics: { count: number } }>(
          beacon.url,
          token,
          documentText(METRICS_QUERY),
          {
            from: from.toISOString(),
            to: now.toISOString(),
            groupBy,
          },
        );
        seen = d.incidentMetrics.count;
      });
      const p50 = percentile(ms, 50);
      rows.push({
        figure: `incidentMetrics groupBy ${groupBy} (${seen.toLocaleString("en-US")} incidents), p50 / p95 ms`,
        beacon: `${fmt(p50)} / ${fmt(percentile(ms, 95))}`,
        floor: fmt(floorP50),
        ratio: ratio(p50, floorP50),
        goal: "p95 < 500 ms",
        met: percentile(ms, 95) < 500,
      });
    }
  } finally {
    await client.end();
    await beacon.child.stop();
  }
  printSection("Metrics (floor: bare SELECT count(*) over the same rows, same PostgreSQL, p50 ms)", rows);
  return rows;
}
