import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { createQueue, openIncident } from "../support/incidents";
import { itemAt } from "../support/item-at";

let t: TestBeacon;
let agent: Person;

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
});

afterAll(async () => {
  await t?.stop();
});

const UPDATE = `mutation($id: ID!, $v: Int!, $title: String!) {
  updateIncident(id: $id, expectedVersion: $v, input: { title: $title }) { version title }
}`;

async function versions(id: string): Promise<number[]> {
  const rows: { version: number }[] = await t.started.beacon.db.query(
    "SELECT version FROM change_record WHERE subject_type = 'incident' AND subject_id = $1 ORDER BY version",
    [id],
  );
  return rows.map((r) => r.version);
}

describe("optimistic concurrency", () => {
  it("ten concurrent writers with the same expectedVersion: exactly one wins, the others get CONFLICT", async () => {
    const i = await openIncident(agent);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        agent.gql<{ updateIncident: { version: number; title: string } }>(UPDATE, {
          id: i.id,
          v: 1,
          title: `Title from writer ${n}`,
        }),
      ),
    );
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    for (const l of losers) {
      expect(l.errors?.[0]?.extensions?.code).toBe("CONFLICT");
      expect(l.errors?.[0]?.extensions?.currentVersion).toBe(2);
      expect(l.errors?.[0]?.message).toMatch(/Reload it/);
    }
    expect(itemAt(winners, 0).data?.updateIncident.version).toBe(2);
    expect(await versions(i.id)).toEqual([1, 2]);
    const [row] = await t.started.beacon.db.query("SELECT title, version FROM incident WHERE id = $1", [
      i.id,
    ]);
    expect(row).toEqual({ title: itemAt(winners, 0).data?.updateIncident.title, version: 2 });
    const [events] = await t.started.beacon.db.query(
      "SELECT count(*)::int AS n FROM event WHERE incident_id = $1",
      [i.id],
    );
    expect(events.n).toBe(2);
  });

  it("writers that each reload and retry all get through, one after another, with a contiguous history", async () => {
    const i = await openIncident(agent);
    await Promise.all(
      Array.from({ length: 8 }, async (_, n) => {
        for (;;) {
          const d = await agent.ok<{ incident: { version: number } }>(
            "query($id: ID!) { incident(id: $id) { version } }",
            {
              id: i.id,
            },
          );
          const r = await agent.gql(UPDATE, { id: i.id, v: d.incident.version, title: `Retry writer ${n}` });
          if (!r.errors) return;
          expect(itemAt(r.errors, 0).extensions?.code).toBe("CONFLICT");
        }
      }),
    );
    expect(await versions(i.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const d = await agent.ok<{ verifyIncidentHistory: { ok: boolean; checked: number } }>(
      "query($id: ID!) { verifyIncidentHistory(id: $id) { ok checked } }",
      { id: i.id },
    );
    expect(d.verifyIncidentHistory).toEqual({ ok: true, checked: 9 });
  });

  it("ten queue members acknowledging at once: one becomes the assignee", async () => {
    const members = await Promise.all(
      Array.from({ length: 10 }, (_, n) => t.user("RESPONDER", `Responder ${n}`)),
    );
    const queueId = await createQueue(
      t.admin,
      "Race queue",
      members.map((m) => m.userId),
    );
    const i = await openIncident(agent);
    await agent.ok(
      "mutation($id: ID!, $q: ID!) { assignIncident(id: $id, expectedVersion: 1, queueId: $q) { id } }",
      {
        id: i.id,
        q: queueId,
      },
    );
    const results = await Promise.all(
      members.map((m) =>
        m.gql<{ acknowledgeIncident: { assignee: { id: string } } }>(
          "mutation($id: ID!) { acknowledgeIncident(id: $id, expectedVersion: 2) { assignee { id } } }",
          { id: i.id },
        ),
      ),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT")).toHaveLength(9);
    expect(await versions(i.id)).toEqual([1, 2, 3]);
  });

  it("incidents opened concurrently get distinct, gap-free numbers", async () => {
    const opened = await Promise.all(Array.from({ length: 10 }, () => openIncident(agent)));
    const numbers = opened.map((o) => Number(o.number.slice(4))).sort((a, b) => a - b);
    const first = numbers[0];
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, n) => first! + n));
  });

  it("concurrent notes all land on the timeline, each with its own seq", async () => {
    const i = await openIncident(agent);
    await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        agent.ok("mutation($id: ID!, $b: String!) { addNote(incidentId: $id, body: $b) { id } }", {
          id: i.id,
          b: `note ${n}`,
        }),
      ),
    );
    const rows: { seq: string }[] = await t.started.beacon.db.query(
      "SELECT seq::text AS seq FROM timeline_entry WHERE incident_id = $1",
      [i.id],
    );
    expect(new Set(rows.map((r) => r.seq)).size).toBe(11);
  });
});
