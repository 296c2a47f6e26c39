import ical, { type VEvent } from "node-ical";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { createService } from "../support/incidents";

// The iCalendar feed (/maintenance.ics), parsed with a real parser (node-ical): UIDs stable per
// window, SEQUENCE = version, cancellations, per-service feeds, and a window across the business
// time zone's daylight-saving change keeping its real duration.

const ZONE = "Europe/Berlin";
const SCHEDULE = `mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id version } }`;
const HOUR = 3_600_000;

/** Wall-clock time in the business zone, as the status page would show it. */
const local = (d: Date) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);

/**
 * 01:00 to 05:00 Berlin wall time on the next spring-forward night (the EU changes at 01:00 UTC on
 * the last Sunday of March): four hours on the clock, three real.
 */
function acrossNextDstChange(): { start: Date; end: Date } {
  for (let year = new Date().getUTCFullYear(); ; year++) {
    const march31 = new Date(Date.UTC(year, 2, 31));
    const sunday = Date.UTC(year, 2, 31 - march31.getUTCDay());
    if (sunday > Date.now() + 2 * HOUR) return { start: new Date(sunday), end: new Date(sunday + 3 * HOUR) };
  }
}

describe("maintenance calendar feed", () => {
  let t: TestBeacon;
  let api: string;
  let web: string;
  let dst: { id: string; version: number };
  let plain: { id: string; version: number };
  const dstTimes = acrossNextDstChange();

  const feed = async (query = "") => {
    const res = await fetch(`${t.url}/maintenance.ics${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await res.text();
    const events = Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === "VEVENT");
    return { text, events, res };
  };

  beforeAll(async () => {
    t = await startTestBeacon({ env: { PUBLIC_URL: "https://status.example.com", BEACON_TIME_ZONE: ZONE } });
    api = await createService(t.admin, "API");
    web = await createService(t.admin, "Website");
    const schedule = async (title: string, serviceIds: string[], start: Date, end: Date) =>
      (
        await t.admin.ok<{ scheduleMaintenance: { id: string; version: number } }>(SCHEDULE, {
          i: { title, serviceIds, scheduledStart: start.toISOString(), scheduledEnd: end.toISOString() },
        })
      ).scheduleMaintenance;
    dst = await schedule("Clock change upgrade", [api], dstTimes.start, dstTimes.end);
    plain = await schedule(
      "Website redeploy",
      [web],
      new Date(Date.now() + 24 * HOUR),
      new Date(Date.now() + 25 * HOUR),
    );
  });
  afterAll(() => t?.stop());

  it("lists upcoming windows in UTC; a window across a DST change keeps its real duration", async () => {
    const { text, events } = await feed();
    expect(events.map((e) => e.uid).sort()).toEqual(
      [`maintenance-${dst.id}@beacon`, `maintenance-${plain.id}@beacon`].sort(),
    );
    const e = events.find((x) => x.uid === `maintenance-${dst.id}@beacon`)!;
    expect(e.summary).toBe("Maintenance: Clock change upgrade");
    expect(e.start.getTime()).toBe(dstTimes.start.getTime());
    const end = e.end!;
    expect(end.getTime()).toBe(dstTimes.end.getTime());
    expect(end.getTime() - e.start.getTime()).toBe(3 * HOUR);
    // Shown in Berlin, the clock says 01:00 to 05:00: the skipped hour is not counted.
    expect([local(e.start), local(end)]).toEqual(["01:00", "05:00"]);
    // UTC instants in the text (a trailing Z), never floating local times.
    expect(text).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(text).not.toMatch(/DTSTART;TZID/);
  });

  it("keeps the UID across an edit and raises SEQUENCE to the version; a cancelled window is CANCELLED", async () => {
    const before = (await feed()).events.find((x) => x.uid === `maintenance-${plain.id}@beacon`)!;
    expect(Number(before.sequence)).toBe(plain.version);
    const edited = await t.admin.ok<{ updateMaintenance: { version: number } }>(
      `mutation($id: ID!, $v: Int!) { updateMaintenance(id: $id, expectedVersion: $v, input: { title: "Website redeploy (v2)" }) { version } }`,
      { id: plain.id, v: plain.version },
    );
    const canceled = await t.admin.ok<{ cancelMaintenance: { version: number } }>(
      `mutation($id: ID!, $v: Int!) { cancelMaintenance(id: $id, expectedVersion: $v, reason: "Postponed.") { version } }`,
      { id: plain.id, v: edited.updateMaintenance.version },
    );
    const after = (await feed()).events.find((x) => x.uid === `maintenance-${plain.id}@beacon`)!;
    expect(after.summary).toBe("Maintenance: Website redeploy (v2)");
    expect(Number(after.sequence)).toBe(canceled.cancelMaintenance.version);
    expect(Number(after.sequence)).toBeGreaterThan(plain.version);
    expect(after.status).toBe("CANCELLED");
    const other = (await feed()).events.find((x) => x.uid === `maintenance-${dst.id}@beacon`)!;
    expect(other.status).toBe("CONFIRMED");
  });

  it("?service=<slug> narrows to that service's windows; an unknown slug is 404", async () => {
    const { events } = await feed("?service=api");
    expect(events.map((e) => e.uid)).toEqual([`maintenance-${dst.id}@beacon`]);
    expect((await feed("?service=website")).events.map((e) => e.uid)).toEqual([
      `maintenance-${plain.id}@beacon`,
    ]);
    expect((await fetch(`${t.url}/maintenance.ics?service=nope`)).status).toBe(404);
    expect((await fetch(`${t.url}/maintenance.ics?service=%00`)).status).toBe(404);
  });

  it("answers 304 to a matching ETag while nothing changed", async () => {
    const { res } = await feed();
    expect(res.headers.get("cache-control")).toMatch(/max-age=/);
    const again = await fetch(`${t.url}/maintenance.ics`, {
      headers: { "if-none-match": res.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
  });
});
