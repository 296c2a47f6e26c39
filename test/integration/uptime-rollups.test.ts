import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type UptimeDay, uptimeDays } from "../../server/domain/uptime";
import { ServiceStatus } from "../../server/domain/vocabulary";
import { ManualClock } from "../../server/kernel/clock";
import { SETTLE_MS, servicesUptime, serviceUptime } from "../../server/services/uptime.service";
import { startTestBeacon, type TestBeacon } from "../support/harness";

// Uptime from rollups gives the same bars as computing every day from the whole status history
// (what Beacon did before the rollups), on random histories written through the real API with an
// injected clock; finished days are stored once and read back; today stays live.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = new Date("2026-03-01T09:00:00Z");
const STATUSES = Object.values(ServiceStatus);
const SET =
  "mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { status } }";

let t: TestBeacon;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  t = await startTestBeacon({
    clock,
    // The clock jumps by weeks: the admin's session must outlive it.
    env: { BEACON_SESSION_IDLE_MINUTES: String(60 * 24 * 90), BEACON_SESSION_TTL_HOURS: String(24 * 90) },
  });
}, 120_000);

afterAll(() => t?.stop());

/** What Beacon computed before rollups: every day from the whole history, read fresh. */
async function fromWholeHistory(serviceId: string, days: number): Promise<UptimeDay[]> {
  const rows: { at: Date; status: ServiceStatus }[] = await t.started.beacon.db.query(
    `SELECT at, changes->'status'->>'to' AS status FROM change_record
      WHERE subject_type = 'service' AND subject_id = $1 AND changes ? 'status' ORDER BY version`,
    [serviceId],
  );
  return uptimeDays(
    rows.map((r) => ({ at: new Date(r.at), status: r.status })),
    clock.now(),
    days,
  );
}

const strip = (bars: UptimeDay[]) =>
  bars.map(({ date, hasData, uptimePercent, worstStatus, downtimeMinutes, maintenanceMinutes }) => ({
    date,
    hasData,
    uptimePercent,
    worstStatus,
    downtimeMinutes,
    maintenanceMinutes,
  }));

describe("uptime rollups", () => {
  it("equal the whole-history computation on random histories, read after read", async () => {
    let n = 0;
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Gaps from minutes to days, so changes land inside days, across midnight and days apart.
            gapMinutes: fc.integer({ min: 1, max: 4 * 24 * 60 }),
            status: fc.constantFrom(...STATUSES),
            readAfter: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 40 }),
        async (steps, days) => {
          n++;
          // Each history on its own new service, starting from the same morning: the clock never
          // runs far ahead of the admin's session.
          clock.set(START);
          const d = await t.admin.ok<{ createService: { id: string } }>(
            "mutation($n: String!) { createService(input: { name: $n }) { id } }",
            { n: `Rollup ${n}` },
          );
          const id = d.createService.id;
          const m = t.started.beacon.db.manager;
          for (const s of steps) {
            clock.advance(s.gapMinutes * 60_000);
            await t.admin.ok(SET, { id, s: s.status });
            // Reading in between stores the days that finished by then; later reads must reuse
            // them and still agree with the whole history.
            if (s.readAfter) {
              expect(strip(await serviceUptime(m, id, clock.now(), days))).toEqual(
                strip(await fromWholeHistory(id, days)),
              );
            }
          }
          clock.advance(DAY + SETTLE_MS);
          expect(strip(await serviceUptime(m, id, clock.now(), days))).toEqual(
            strip(await fromWholeHistory(id, days)),
          );
          // The status page reads every service in one batch: each gets the bars it gets alone.
          ids.push(id);
          const batch = await servicesUptime(m, ids, clock.now(), days);
          expect(strip(batch.get(id) ?? [])).toEqual(strip(await fromWholeHistory(id, days)));
          for (const other of ids) {
            expect(batch.get(other)).toEqual(await serviceUptime(m, other, clock.now(), days));
          }
        },
      ),
      { numRuns: 15, seed: 20261201, endOnFailure: true },
    );
  }, 300_000);

  it("stores a finished day once, reads it back, and keeps today (and the settling minutes) live", async () => {
    // Noon, a few days on: yesterday is settled whatever the first test left the clock at.
    clock.set(new Date(Math.floor((clock.now().getTime() + 3 * DAY) / DAY) * DAY + 10 * HOUR));
    const d = await t.admin.ok<{ createService: { id: string } }>(
      'mutation { createService(input: { name: "Rollup read-back" }) { id } }',
    );
    const id = d.createService.id;
    const m = t.started.beacon.db.manager;
    await t.admin.ok(SET, { id, s: "MAJOR_OUTAGE" });
    clock.advance(2 * HOUR);
    await t.admin.ok(SET, { id, s: "OPERATIONAL" });
    const stored = async () =>
      (
        await m.query(
          "SELECT to_char(day, 'YYYY-MM-DD') AS day FROM service_uptime_day WHERE service_id = $1 ORDER BY day",
          [id],
        )
      ).map((r: { day: string }) => r.day);
    await serviceUptime(m, id, clock.now(), 7);
    // Today is never stored; finished days are, also those before the service existed ("no data").
    // (The public snapshot reads 90 days of every service too, so there are more than 7.)
    const today = clock.now().toISOString().slice(0, 10);
    const yesterday = new Date(clock.now().getTime() - DAY).toISOString().slice(0, 10);
    expect(await stored()).not.toContain(today);
    expect(await stored()).toContain(yesterday);
    // Tamper with the stored row of a finished day: it is what reads return from now on (read, not recomputed).
    await m.query(
      "UPDATE service_uptime_day SET uptime_percent = 12.34 WHERE service_id = $1 AND day = $2::date",
      [id, yesterday],
    );
    const bars = await serviceUptime(m, id, clock.now(), 7);
    expect(bars.find((b) => b.date === yesterday)?.uptimePercent).toBe(12.34);
    expect(bars.at(-1)?.date).toBe(today);
    expect(bars.at(-1)?.worstStatus).toBe("MAJOR_OUTAGE");
  });
});
