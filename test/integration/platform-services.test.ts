import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";
import { itemAt } from "../support/item-at";

const CREATE = `mutation($i: CreateServiceInput!) { createService(input: $i) { id slug name group status position } }`;
const SET = `mutation($id: ID!, $s: ServiceStatus!) { setServiceStatus(serviceId: $id, status: $s) { id status version } }`;
const HISTORY = `{ services { slug history { version authorName description changes hash } } }`;

let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon();
});
afterAll(() => t?.stop());

async function eventCount(): Promise<number> {
  const rows = await t.started.beacon.db.query("SELECT count(*)::int AS n FROM event");
  return rows[0].n;
}

describe("service catalog", () => {
  it("creates services with slugs, groups and display order, visible anonymously", async () => {
    const a = await t.admin.ok<{ createService: { slug: string; position: number; status: string } }>(
      CREATE,
      {
        i: { name: "Payments API", group: "Core" },
      },
    );
    expect(a.createService).toMatchObject({ slug: "payments-api", status: "OPERATIONAL" });
    const b = await t.admin.ok<{ createService: { position: number } }>(CREATE, {
      i: { name: "Search", slug: "search", group: "Core" },
    });
    expect(b.createService.position).toBeGreaterThan(a.createService.position);
    const list = await t.anon.ok<{ services: { slug: string; group: string }[] }>(
      "{ services { slug group } }",
    );
    expect(list.services.map((s) => s.slug)).toEqual(["payments-api", "search"]);
  });

  it("finds one service by id or slug", async () => {
    const ONE = "query($id: ID, $slug: String) { service(id: $id, slug: $slug) { id name } }";
    const bySlug = await t.anon.ok<{ service: { id: string; name: string } }>(ONE, { slug: "search" });
    expect(bySlug.service.name).toBe("Search");
    expect(await t.anon.ok(ONE, { id: bySlug.service.id })).toEqual({ service: bySlug.service });
    expect(await t.anon.ok(ONE, { slug: "nope" })).toEqual({ service: null });
    expect((await t.anon.fails(ONE, {})).code).toBe("BAD_USER_INPUT");
  });

  it("documents every status change with author, from and to, in a hash chain", async () => {
    const { services } = await t.anon.ok<{ services: { id: string; slug: string }[] }>(
      "{ services { id slug } }",
    );
    const id = services.find((s) => s.slug === "search")!.id;
    await t.admin.ok(SET, { id, s: "MAJOR_OUTAGE" });
    await t.admin.ok(SET, { id, s: "OPERATIONAL" });
    const h = await t.admin.ok<{
      services: {
        slug: string;
        history: {
          version: number;
          authorName: string;
          description: string;
          changes: unknown;
          hash: string;
        }[];
      }[];
    }>(HISTORY);
    const history = h.services.find((s) => s.slug === "search")!.history;
    expect(history.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(history[1]).toMatchObject({
      authorName: "Administrator",
      description: 'Status of "Search" changed from Operational to Major Outage',
      changes: { status: { from: "OPERATIONAL", to: "MAJOR_OUTAGE" } },
    });
    expect(new Set(history.map((r) => r.hash)).size).toBe(3);

    const VERIFY =
      "query($id: ID!) { verifyServiceHistory(id: $id) { ok checked firstBrokenVersion message } }";
    expect(await t.admin.ok(VERIFY, { id })).toEqual({
      verifyServiceHistory: {
        ok: true,
        checked: 3,
        firstBrokenVersion: null,
        message: "All 3 change records verify.",
      },
    });
    // Tampering behind the trigger's back is found.
    await t.started.beacon.db.query("ALTER TABLE change_record DISABLE TRIGGER change_record_append_only");
    await t.started.beacon.db.query(
      "UPDATE change_record SET description = 'nothing happened' WHERE subject_id = $1 AND version = 2",
      [id],
    );
    await t.started.beacon.db.query("ALTER TABLE change_record ENABLE TRIGGER change_record_append_only");
    const broken = await t.admin.ok<{ verifyServiceHistory: { ok: boolean; firstBrokenVersion: number } }>(
      VERIFY,
      { id },
    );
    expect(broken.verifyServiceHistory).toMatchObject({ ok: false, firstBrokenVersion: 2 });
    expect((await t.admin.fails(VERIFY, { id: "00000000-0000-4000-8000-000000000000" })).code).toBe(
      "NOT_FOUND",
    );
    expect((await t.anon.fails(VERIFY, { id })).code).toBe("UNAUTHENTICATED");
  });

  it("treats setting the current status as no change: no record, no event", async () => {
    const { services } = await t.anon.ok<{ services: { id: string; slug: string }[] }>(
      "{ services { id slug } }",
    );
    const id = services.find((s) => s.slug === "payments-api")!.id;
    const before = await eventCount();
    const r = await t.admin.ok<{ setServiceStatus: { version: number } }>(SET, { id, s: "OPERATIONAL" });
    expect(r.setServiceStatus.version).toBe(1);
    expect(await eventCount()).toBe(before);
  });

  it("refuses bad input with a clear error and changes nothing", async () => {
    const before = await eventCount();
    const empty = await t.admin.fails(CREATE, { i: { name: "   " } });
    expect(empty.code).toBe("BAD_USER_INPUT");
    expect(empty.message).toMatch(/name must not be empty/i);

    const dup = await t.admin.fails(CREATE, { i: { name: "Other", slug: "search" } });
    expect(dup.code).toBe("BAD_USER_INPUT");
    expect(dup.message).toMatch(/already used by "Search"/);

    const badSlug = await t.admin.fails(CREATE, { i: { name: "X", slug: "Not A Slug!" } });
    expect(badSlug.code).toBe("BAD_USER_INPUT");

    const tooLong = await t.admin.fails(CREATE, { i: { name: "x".repeat(300) } });
    expect(tooLong.code).toBe("BAD_USER_INPUT");
    expect(tooLong.message).toMatch(/name/);

    const unknown = await t.admin.fails(SET, {
      id: "00000000-0000-4000-8000-000000000000",
      s: "MAJOR_OUTAGE",
    });
    expect(unknown.code).toBe("NOT_FOUND");
    const malformed = await t.admin.fails(SET, { id: "nope", s: "MAJOR_OUTAGE" });
    expect(malformed.code).toBe("NOT_FOUND");

    const badEnum = await t.admin.gql(SET, { id: "nope", s: "ON_FIRE" });
    expect(badEnum.errors?.[0]?.message).toMatch(/ON_FIRE/);
    expect(badEnum.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    expect(await eventCount()).toBe(before);
    const { services } = await t.anon.ok<{ services: unknown[] }>("{ services { id } }");
    expect(services).toHaveLength(2);
  });

  it("enforces who may change the catalog and status", async () => {
    const agent = await t.user("AGENT");
    const manager = await t.user("INCIDENT_MANAGER");
    const { services } = await t.anon.ok<{ services: { id: string }[] }>("{ services { id } }");
    expect((await t.anon.fails(CREATE, { i: { name: "Anon" } })).code).toBe("UNAUTHENTICATED");
    expect((await agent.fails(CREATE, { i: { name: "Agent" } })).code).toBe("FORBIDDEN");
    expect((await manager.fails(CREATE, { i: { name: "Mgr" } })).code).toBe("FORBIDDEN");
    expect((await agent.fails(SET, { id: itemAt(services, 0).id, s: "PARTIAL_OUTAGE" })).code).toBe(
      "FORBIDDEN",
    );
    const ok = await manager.ok<{ setServiceStatus: { status: string } }>(SET, {
      id: itemAt(services, 0).id,
      s: "PARTIAL_OUTAGE",
    });
    expect(ok.setServiceStatus.status).toBe("PARTIAL_OUTAGE");
    // history is internal
    const anonHistory = await t.anon.gql("{ services { history { version } } }");
    expect(anonHistory.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("rolls the overall status up from services", async () => {
    const s = await t.anon.ok<{ statusSummary: { indicator: string; description: string; seq: string } }>(
      "{ statusSummary { indicator description seq } }",
    );
    expect(s.statusSummary.indicator).toBe("MAJOR");
    expect(s.statusSummary.description).toBe("Partial System Outage");
    expect(Number(s.statusSummary.seq)).toBeGreaterThan(0);
  });

  it("serves Statuspage-style JSON with ETag caching", async () => {
    const res = await fetch(`${t.url}/api/v2/summary.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: { indicator: string };
      components: { name: string; status: string }[];
    };
    expect(body.status.indicator).toBe("major");
    expect(body.components.map((c) => c.name)).toContain("Payments API");
    const etag = res.headers.get("etag")!;
    const again = await fetch(`${t.url}/api/v2/summary.json`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });
});
