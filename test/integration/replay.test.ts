import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon, type TestSubscription } from "../support/harness";
import { act, createService, openIncident, SIG } from "../support/incidents";
import { itemAt } from "../support/item-at";

// A small replay window, so the bound can be crossed in a test.
const WINDOW = 30;
let t: TestBeacon;
let manager: Person;
beforeAll(async () => {
  t = await startTestBeacon({ env: { BEACON_REPLAY_MAX_EVENTS: String(WINDOW) } });
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
});
afterAll(() => t?.stop());

type Event = {
  seq: string;
  kind: string;
  withdrawnIncidentId: string | null;
  incident: { id: string; title: string; updates: { message: string }[] } | null;
  service: { id: string; name: string } | null;
};
type Data = { statusChanged: Event };
const STATUS_CHANGED = `subscription($since: String) { statusChanged(since: $since) {
  seq kind withdrawnIncidentId incident { id title updates { message } } service { id name }
} }`;

async function latestSeq(): Promise<string> {
  return (await t.admin.ok<{ statusSummary: { seq: string } }>("{ statusSummary { seq } }")).statusSummary
    .seq;
}

const postUpdate = (id: string, message: string) =>
  manager.ok(
    "mutation($id: ID!, $m: String!) { postPublicUpdate(incidentId: $id, status: IDENTIFIED, message: $m) { id } }",
    { id, m: message },
  );

describe("replays show only what is public now", () => {
  it("a replay carries the current projection: withdrawn markers for private and canceled incidents, current titles", async () => {
    const since = await latestSeq();
    const serviceId = await createService(t.admin, "Payments (old name)");
    const live = t.anon.subscribe<Data>(STATUS_CHANGED, { since });
    const hidden = await openIncident(manager, {
      title: "OLD-TITLE-made-private",
      public: true,
      serviceIds: [serviceId],
    });
    await postUpdate(hidden.id, "OLD-UPDATE-made-private");
    const canceled = await openIncident(manager, { title: "OLD-TITLE-canceled", public: true });
    const renamed = await openIncident(manager, { title: "OLD-TITLE-renamed", public: true });
    const kept = await openIncident(manager, { title: "Still public", public: true });
    await postUpdate(kept.id, "We are on it.");

    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: hidden.id,
      expectedVersion: 2,
      input: { public: false },
    });
    await act(manager, "cancelIncident", SIG.reason, {
      id: canceled.id,
      expectedVersion: 1,
      reason: "Opened by mistake",
    });
    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: renamed.id,
      expectedVersion: 1,
      input: { title: "New title" },
    });
    await t.admin.ok(
      'mutation($id: ID!) { updateService(id: $id, expectedVersion: 1, input: { name: "Payments" }) { id } }',
      {
        id: serviceId,
      },
    );

    // Live, each event showed what was public at that moment (and then its withdrawal or rename).
    const seen = await live.waitFor(11);
    expect(JSON.stringify(seen)).toContain("OLD-TITLE-renamed");

    // A replay of the same range shows only what is public now.
    const replay = t.anon.subscribe<Data>(STATUS_CHANGED, { since });
    const replayed = (await replay.waitFor(11)).map((d) => d.statusChanged);
    await Promise.all([live.close(), replay.close()]);
    expect(replayed.map((e) => e.seq)).toEqual(seen.map((d) => d.statusChanged.seq));
    const text = JSON.stringify(replayed);
    for (const gone of [
      "OLD-TITLE-made-private",
      "OLD-UPDATE-made-private",
      "OLD-TITLE-canceled",
      "OLD-TITLE-renamed",
      "(old name)",
    ]) {
      expect(text, `a replay still shows "${gone}"`).not.toContain(gone);
    }
    const about = (id: string) =>
      replayed.filter((e) => e.incident?.id === id || e.withdrawnIncidentId === id);
    for (const id of [hidden.id, canceled.id]) {
      const events = about(id);
      expect(events.length).toBeGreaterThan(0);
      for (const e of events)
        expect(e).toMatchObject({ kind: "INCIDENT_UPDATED", incident: null, withdrawnIncidentId: id });
    }
    for (const e of about(renamed.id)) expect(e.incident?.title).toBe("New title");
    for (const e of about(kept.id)) {
      expect(e.incident).toMatchObject({ title: "Still public", updates: [{ message: "We are on it." }] });
    }
    const serviceNames = replayed.filter((e) => e.service).map((e) => e.service!.name);
    expect(new Set(serviceNames)).toEqual(new Set(["Payments"]));
  });

  it("live events are shared by subscribers of the same shape; replayed ones are projected per subscriber", async () => {
    const since = await latestSeq();
    const a = await openIncident(manager, { title: "Shared once", public: true });
    const subs: TestSubscription<Data>[] = [
      t.anon.subscribe<Data>(STATUS_CHANGED, { since }),
      t.anon.subscribe<Data>(STATUS_CHANGED, { since }),
    ];
    for (const s of subs) await s.waitFor(1);
    await act(manager, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: a.id,
      expectedVersion: 1,
      input: { title: "Shared once, renamed" },
    });
    for (const s of subs) await s.waitFor(2);
    for (const s of subs) {
      expect(s.received.map((d) => d.statusChanged.incident?.title)).toEqual([
        "Shared once",
        "Shared once, renamed",
      ]);
      await s.close();
    }
  });
});

describe("a replay is bounded", () => {
  it(`since more than ${WINDOW} events back is refused with SNAPSHOT_REQUIRED; within the window it replays`, async () => {
    while (BigInt(await latestSeq()) <= BigInt(WINDOW) + 2n)
      await createService(t.admin, `Filler ${Date.now()}`);
    const latest = BigInt(await latestSeq());
    for (const query of [
      STATUS_CHANGED,
      "subscription($since: String) { incidentsChanged(since: $since) { seq } }",
    ]) {
      const sub = (query === STATUS_CHANGED ? t.anon : t.admin).subscribe(query, { since: "0" });
      await sub.settle(300);
      await sub.close();
      expect(sub.received).toEqual([]);
      const error = JSON.stringify(sub.errors);
      expect(error).toContain('"code":"SNAPSHOT_REQUIRED"');
      expect(error).toMatch(/Reload the snapshot/);
      expect(error).toContain('"field":"since"');
    }
    const inside = t.anon.subscribe<Data>(STATUS_CHANGED, { since: String(latest - BigInt(WINDOW)) });
    const events = await inside.waitFor(WINDOW);
    await inside.close();
    expect(itemAt(events, -1).statusChanged.seq).toBe(String(latest));
  });
});

describe("where a replay comes from", () => {
  it("the same from the hub's memory of recent events as from the database", async () => {
    const since = await latestSeq();
    const serviceId = await createService(t.admin, "Replayed from memory");
    const incident = await openIncident(manager, {
      title: "Remembered",
      public: true,
      serviceIds: [serviceId],
    });
    await postUpdate(incident.id, "Looking into it.");
    // This instance dispatched those events: it replays them from memory. One started after them
    // has none of them in memory: it reads them from PostgreSQL.
    const later = await startTestBeacon({
      databaseUrl: t.databaseUrl,
      env: { BEACON_REPLAY_MAX_EVENTS: String(WINDOW) },
    });
    try {
      const fromMemory = t.anon.subscribe<Data>(STATUS_CHANGED, { since });
      const fromDatabase = later.anon.subscribe<Data>(STATUS_CHANGED, { since });
      const a = (await fromMemory.waitFor(3)).map((d) => d.statusChanged);
      const b = (await fromDatabase.waitFor(3)).map((d) => d.statusChanged);
      await Promise.all([fromMemory.close(), fromDatabase.close()]);
      expect(a.map((e) => e.seq)).toEqual(b.map((e) => e.seq));
      expect(a).toEqual(b);
      expect(new Set(a.map((e) => e.seq)).size).toBe(a.length);
      expect(a.map((e) => BigInt(e.seq))).toEqual(
        [...a.map((e) => BigInt(e.seq))].sort((x, y) => (x < y ? -1 : 1)),
      );
      expect(JSON.stringify(a)).toContain("Looking into it.");
    } finally {
      await later.stop();
    }
  });
});
