/**
 * Database stopped: a dedicated embedded PostgreSQL (never the shared one), every process of its
 * cluster SIGSTOPped (a hung database: connections stay open, nothing errors by itself), the public
 * reads under autocannon as in reads.bench.ts, then SIGCONT. Beside each read: the same read with the
 * database up, in the same run. Also: a write while stopped (must fail with SERVICE_UNAVAILABLE,
 * not hang) and one after SIGCONT (must succeed and reach the snapshot).
 */
import fs from "node:fs";
import path from "node:path";
import { itemAt } from "../support/item-at";
import { signalCluster } from "../support/pg-cluster";
import {
  embeddedDatabase,
  envInt,
  fmt,
  gql,
  login,
  printSection,
  type Row,
  ratio,
  SET_STATUS,
  seedStatusPage,
  sleep,
  startBeaconChild,
  WEB_DIST,
} from "./kit";
import { describeLoad, load, READS, rawRequest, registerPersistedQuery } from "./reads.bench";

export async function runDatabaseStoppedBench(): Promise<Row[]> {
  if (!fs.existsSync(path.join(WEB_DIST, "index.html"))) {
    throw new Error("the web app is not built: run `npm run build:web` first (GET / renders it)");
  }
  const seconds = envInt("BENCH_DBDOWN_SECONDS", 5);
  console.log(
    `\ndatabase stopped: a dedicated embedded PostgreSQL, SIGSTOP, ${seconds} s of autocannon per read, SIGCONT`,
  );
  const db = await embeddedDatabase();
  // The failures while the database is stopped are expected: keep the log to fatal errors.
  const beacon = await startBeaconChild(db.url, { LOG_LEVEL: "fatal" });
  const rows: Row[] = [];
  try {
    const token = await login(beacon.url);
    const seeded = await seedStatusPage(beacon.url, token);
    await registerPersistedQuery(beacon.url);
    await beacon.child.ask("caughtUp");
    const up = new Map<string, Awaited<ReturnType<typeof load>>>();
    for (const read of READS) {
      await load(beacon.url, read, 1);
      up.set(read.name, await load(beacon.url, read, seconds));
    }

    signalCluster(db.dataDir, "SIGSTOP");
    let writeMs = Number.NaN;
    let writeCode = "";
    let rebuildError: string | null = null;
    try {
      // A rebuild attempted now fails (after the database timeouts) and keeps the last snapshot.
      const rebuild = beacon.child.ask("rebuild").then((a) => {
        rebuildError = a.lastError ?? null;
      });
      for (const read of READS) {
        const down = await load(beacon.url, read, seconds);
        const before = up.get(read.name)!;
        console.log(`  ${read.name}: database up ${describeLoad(before)}; stopped ${describeLoad(down)}`);
        const failures = down.non2xx + down.errors + down.timeouts;
        rows.push({
          figure: `DB stopped: ${read.name} p99 ms (failed)`,
          beacon: `${down.p99} (${failures})`,
          floor: `${before.p99} (${before.non2xx + before.errors + before.timeouts})`,
          ratio: ratio(Math.max(down.p99, 1), Math.max(before.p99, 1)),
          goal: "< 100 ms, 0 failed",
          met: down.p99 < 100 && failures === 0,
        });
      }
      const t = performance.now();
      try {
        await gql(beacon.url, token, SET_STATUS, { id: seeded.serviceIds[0], s: "MAJOR_OUTAGE" });
        writeCode = "accepted?!";
      } catch (e) {
        writeCode = /SERVICE_UNAVAILABLE/.test(String(e)) ? "SERVICE_UNAVAILABLE" : String(e).slice(0, 80);
      }
      writeMs = performance.now() - t;
      await rebuild;
    } finally {
      signalCluster(db.dataDir, "SIGCONT");
    }
    // Back: a write succeeds and reaches the snapshot (the hub may be waiting to retry its pump).
    const resumeStart = performance.now();
    const summary = itemAt(READS, 0);
    const snapshotSeq = async () =>
      BigInt((await rawRequest(beacon.url, summary)).headers["x-beacon-snapshot-seq"] ?? "0");
    const seqBefore = await snapshotSeq();
    let resumed = false;
    for (let attempt = 0; attempt < 40 && !resumed; attempt++) {
      try {
        await gql(beacon.url, token, SET_STATUS, { id: seeded.serviceIds[0], s: "PARTIAL_OUTAGE" });
        resumed = true;
      } catch {
        await sleep(500);
      }
    }
    let seqAfter = await snapshotSeq();
    while (resumed && seqAfter <= seqBefore && performance.now() - resumeStart < 60_000) {
      await sleep(100);
      seqAfter = await snapshotSeq();
    }
    const advanced = resumed && seqAfter > seqBefore;
    const resumeMs = performance.now() - resumeStart;
    rows.push(
      {
        figure: "DB stopped: a write's answer",
        beacon: `${writeCode} in ${fmt(writeMs)} ms`,
        floor: "",
        ratio: "",
        goal: "SERVICE_UNAVAILABLE",
        met: writeCode === "SERVICE_UNAVAILABLE",
      },
      {
        figure: "DB stopped: snapshot rebuild",
        beacon: rebuildError ? "failed, last kept" : "succeeded?!",
        floor: "",
        ratio: "",
        goal: "fails, keeps serving",
        met: rebuildError !== null,
      },
      {
        figure: "after SIGCONT: write accepted, snapshot seq",
        beacon: `${resumed ? "yes" : "no"}, ${seqBefore} -> ${seqAfter} in ${fmt(resumeMs)} ms`,
        floor: "",
        ratio: "",
        goal: "yes, advances",
        met: advanced,
      },
    );
  } finally {
    await beacon.child.stop();
    await db.drop();
  }
  printSection("Database stopped (floor: the same read with the database up, same run)", rows, [
    "failed: non-2xx + errors + timeouts (autocannon).",
  ]);
  return rows;
}
