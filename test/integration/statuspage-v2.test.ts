import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { openIncident } from "../support/incidents";
import { itemAt } from "../support/item-at";

const FIXTURES = path.join(import.meta.dirname, "../fixtures/statuspage");
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));

/** Every place where `actual` does not have the example's field set (keys at every level, JSON types). */
function mismatches(ex: unknown, actual: unknown, at = "$"): string[] {
  if (ex === null || actual === null) return [];
  if (Array.isArray(ex)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array`];
    return actual.flatMap((a, i) => {
      // Statuspage lists group components beside plain ones: compare each with its own kind.
      const match =
        ex.find(
          (e) =>
            typeof e === "object" && e && typeof a === "object" && a && "group" in e && e.group === a.group,
        ) ?? ex[0];
      return match === undefined ? [] : mismatches(match, a, `${at}[${i}]`);
    });
  }
  if (typeof ex === "object") {
    if (typeof actual !== "object" || Array.isArray(actual)) return [`${at}: expected an object`];
    const ek = Object.keys(ex as object).sort();
    const ak = Object.keys(actual as object).sort();
    const missing = ek.filter((k) => !ak.includes(k)).map((k) => `${at}.${k}: missing`);
    const extra = ak.filter((k) => !ek.includes(k)).map((k) => `${at}.${k}: not in Statuspage's shape`);
    return [
      ...missing,
      ...extra,
      ...ek
        .filter((k) => ak.includes(k))
        .flatMap((k) =>
          mismatches(
            (ex as Record<string, unknown>)[k],
            (actual as Record<string, unknown>)[k],
            `${at}.${k}`,
          ),
        ),
    ];
  }
  return typeof ex === typeof actual ? [] : [`${at}: ${typeof actual}, Statuspage has ${typeof ex}`];
}

describe("Statuspage v2 public API", () => {
  let t: TestBeacon;
  let apiId: string;
  let dbId: string;
  let standaloneId: string;
  let incidentId: string;
  let upcomingId: string;
  let runningId: string;
  let canceledId: string;
  const get = async (p: string) => {
    const res = await fetch(`${t.url}/api/v2/${p}`);
    expect(res.status, p).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    return (await res.json()) as Record<string, unknown> & Record<string, Record<string, unknown>[]>;
  };

  beforeAll(async () => {
    t = await startTestBeacon({ env: { PUBLIC_URL: "https://status.example.com" } });
    const create = async (name: string, group: string | null, position: number) =>
      (
        await t.admin.ok<{ createService: { id: string } }>(
          "mutation($i: CreateServiceInput!) { createService(input: $i) { id } }",
          { i: { name, group, position } },
        )
      ).createService.id;
    apiId = await create("API", "Backend", 1);
    dbId = await create("Database", "Backend", 2);
    standaloneId = await create("Website", null, 3);
    await t.admin.ok("mutation($s: ID!) { setServiceStatus(serviceId: $s, status: PARTIAL_OUTAGE) { id } }", {
      s: dbId,
    });
    const open = await openIncident(t.admin, { title: "Logins fail", public: true, serviceIds: [apiId] });
    incidentId = open.id;
    await t.admin.ok(
      'mutation($i: ID!) { postPublicUpdate(incidentId: $i, message: "We found the cause.", status: IDENTIFIED) { id } }',
      { i: incidentId },
    );
    // An internal incident: never in any body.
    await openIncident(t.admin, { title: "Internal only", public: false, serviceIds: [apiId] });
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const schedule = async (title: string, serviceIds: string[], from: number, to: number) =>
      (
        await t.admin.ok<{ scheduleMaintenance: { id: string; version: number } }>(
          "mutation($i: ScheduleMaintenanceInput!) { scheduleMaintenance(input: $i) { id version } }",
          {
            i: { title, serviceIds, scheduledStart: at(from), scheduledEnd: at(to), description: "Planned." },
          },
        )
      ).scheduleMaintenance;
    const upcoming = await schedule("Database upgrade", [dbId], 48, 50);
    upcomingId = upcoming.id;
    const running = await schedule("Website redeploy", [standaloneId], 24, 26);
    runningId = running.id;
    await t.admin.ok(
      "mutation($id: ID!, $v: Int!) { startMaintenance(id: $id, expectedVersion: $v) { id } }",
      {
        id: runningId,
        v: running.version,
      },
    );
    const canceled = await schedule("Never mind", [apiId], 30, 31);
    canceledId = canceled.id;
    await t.admin.ok(
      'mutation($id: ID!, $v: Int!) { cancelMaintenance(id: $id, expectedVersion: $v, reason: "Not needed after all.") { id } }',
      { id: canceledId, v: canceled.version },
    );
  });
  afterAll(() => t?.stop());

  const endpoints: [string, string][] = [
    ["summary.json", "summary.json"],
    ["status.json", "status.json"],
    ["components.json", "components.json"],
    ["incidents.json", "incidents.json"],
    ["incidents/unresolved.json", "incidents-unresolved.json"],
    ["scheduled-maintenances.json", "scheduled-maintenances.json"],
    ["scheduled-maintenances/upcoming.json", "scheduled-maintenances-upcoming.json"],
    ["scheduled-maintenances/active.json", "scheduled-maintenances-active.json"],
  ];
  for (const [p, fixture] of endpoints) {
    it(`${p} has Statuspage's field set`, async () => {
      const body = await get(p);
      expect(mismatches(example(fixture), body)).toEqual([]);
    });
  }

  it("the field-set check catches a missing or extra field (it can fail)", () => {
    const ex = example("status.json");
    expect(mismatches(ex, { page: ex.page, status: { indicator: "none" } })).toEqual([
      "$.status.description: missing",
    ]);
    expect(mismatches(ex, { ...ex, seq: "1" })).toEqual(["$.seq: not in Statuspage's shape"]);
  });

  it("models groups as Statuspage does and rolls the group's status up from its members", async () => {
    const { components } = await get("components.json");
    const group = components!.find((c) => c.group === true)!;
    expect(group).toMatchObject({ name: "Backend", status: "partial_outage", group_id: null });
    expect(group.components).toEqual([apiId, dbId]);
    const members = components!.filter((c) => c.group_id === group.id).map((c) => c.id);
    expect(members).toEqual([apiId, dbId]);
    expect(components!.find((c) => c.id === standaloneId)).toMatchObject({ group: false, group_id: null });
    expect(components!.find((c) => c.id === dbId)).toMatchObject({ status: "partial_outage" });
  });

  it("lists public incidents with their updates and components; the overall status follows", async () => {
    const summary = await get("summary.json");
    expect(summary.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(summary.page).toMatchObject({ id: "beacon", url: "https://status.example.com" });
    // Upcoming and in progress, soonest first.
    expect(summary.scheduled_maintenances!.map((m) => m.id)).toEqual([runningId, upcomingId]);
    expect(summary.incidents!.map((i) => i.name)).toEqual(["Logins fail"]);
    const [inc] = summary.incidents as Record<string, unknown>[];
    expect(inc).toMatchObject({
      id: incidentId,
      status: "identified",
      resolved_at: null,
      shortlink: `https://status.example.com/incidents/${incidentId}`,
    });
    expect(
      (inc!.incident_updates as { body: string; status: string }[]).map((u) => [u.status, u.body]),
    ).toEqual([["identified", "We found the cause."]]);
    expect((inc!.components as { id: string }[]).map((c) => c.id)).toEqual([apiId]);
    expect((await get("incidents/unresolved.json")).incidents!.map((i) => i.id)).toEqual([incidentId]);
    expect((await get("incidents.json")).incidents!.map((i) => i.id)).toEqual([incidentId]);
    for (const [p] of endpoints) expect(JSON.stringify(await get(p))).not.toContain("Internal only");
  });

  it("lists maintenance windows in Statuspage's shapes: all, upcoming, active", async () => {
    const all = (await get("scheduled-maintenances.json")).scheduled_maintenances!;
    expect(new Set(all.map((m) => m.id))).toEqual(new Set([upcomingId, runningId, canceledId]));
    expect(
      (await get("scheduled-maintenances/upcoming.json")).scheduled_maintenances!.map((m) => m.id),
    ).toEqual([upcomingId]);
    const active = (await get("scheduled-maintenances/active.json")).scheduled_maintenances!;
    expect(active.map((m) => m.id)).toEqual([runningId]);
    expect(active[0]).toMatchObject({ status: "in_progress", impact: "maintenance", resolved_at: null });
    expect(
      (itemAt(active, 0).components as { id: string; status: string }[]).map((c) => [c.id, c.status]),
    ).toEqual([[standaloneId, "under_maintenance"]]);
    const upcoming = all.find((m) => m.id === upcomingId)!;
    expect(upcoming.status).toBe("scheduled");
    expect(
      Date.parse(upcoming.scheduled_until as unknown as string) -
        Date.parse(upcoming.scheduled_for as unknown as string),
    ).toBe(2 * 3_600_000);
    // Statuspage has no cancelled maintenance: it ends as completed, its last update saying why.
    const canceled = all.find((m) => m.id === canceledId)!;
    expect(canceled.status).toBe("completed");
    expect(canceled.resolved_at).not.toBeNull();
    expect(itemAt(canceled.incident_updates as { body: string }[], 0).body).toContain(
      "Not needed after all.",
    );
  });

  it("answers 304 to a matching ETag", async () => {
    const res = await fetch(`${t.url}/api/v2/components.json`);
    const again = await fetch(`${t.url}/api/v2/components.json`, {
      headers: { "if-none-match": res.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
  });
});
