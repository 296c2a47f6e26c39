import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, openIncident, SIG } from "../support/incidents";

let t: TestBeacon;
let agent: Person;
let id: string;
let db: pg.Client;

const VERIFY = "query($id: ID!) { verifyIncidentHistory(id: $id) { ok checked firstBrokenVersion message } }";

beforeAll(async () => {
  t = await startTestBeacon();
  agent = await t.user("AGENT", "Ada Agent");
  const i = await openIncident(agent);
  id = i.id;
  await act(agent, "startWork", SIG.id, { id, expectedVersion: 1 });
  await act(agent, "holdIncident", "$id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!", {
    id,
    expectedVersion: 2,
    reason: "AWAITING_CALLER",
    note: "Waiting for a call back",
  });
  await act(agent, "resumeIncident", SIG.id, { id, expectedVersion: 3 });
  // The test database's role is a superuser, as the brief allows, to switch the trigger off below.
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

describe("change history immutability", () => {
  it("the database refuses UPDATE, DELETE and TRUNCATE on change_record", async () => {
    await expect(
      db.query("UPDATE change_record SET description = 'rewritten' WHERE subject_id = $1", [id]),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.query("DELETE FROM change_record WHERE subject_id = $1", [id])).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(db.query("TRUNCATE change_record")).rejects.toThrow(/append-only: TRUNCATE/);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM change_record WHERE subject_id = $1", [
      id,
    ]);
    expect(rows[0].n).toBe(4);
  });

  it("an intact chain verifies", async () => {
    const d = await agent.ok<{ verifyIncidentHistory: unknown }>(VERIFY, { id });
    expect(d.verifyIncidentHistory).toEqual({
      ok: true,
      checked: 4,
      firstBrokenVersion: null,
      message: "All 4 change records verify.",
    });
  });

  it("a row edited with the trigger disabled is found: verify names the first broken version", async () => {
    await db.query("ALTER TABLE change_record DISABLE TRIGGER change_record_append_only");
    try {
      await db.query(
        "UPDATE change_record SET description = 'Nothing happened here' WHERE subject_id = $1 AND version = 3",
        [id],
      );
    } finally {
      await db.query("ALTER TABLE change_record ENABLE TRIGGER change_record_append_only");
    }
    const d = await agent.ok<{
      verifyIncidentHistory: { ok: boolean; checked: number; firstBrokenVersion: number; message: string };
    }>(VERIFY, { id });
    expect(d.verifyIncidentHistory).toMatchObject({ ok: false, checked: 4, firstBrokenVersion: 3 });
    expect(d.verifyIncidentHistory.message).toMatch(/v3 does not match its hash/);
  });

  it("a deleted row is found too", async () => {
    const other = await openIncident(agent);
    await act(agent, "startWork", SIG.id, { id: other.id, expectedVersion: 1 });
    await act(agent, "updateIncident", "$id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!", {
      id: other.id,
      expectedVersion: 2,
      input: { title: "Renamed" },
    });
    await db.query("ALTER TABLE change_record DISABLE TRIGGER change_record_append_only");
    try {
      await db.query("DELETE FROM change_record WHERE subject_id = $1 AND version = 2", [other.id]);
    } finally {
      await db.query("ALTER TABLE change_record ENABLE TRIGGER change_record_append_only");
    }
    const d = await agent.ok<{
      verifyIncidentHistory: { ok: boolean; firstBrokenVersion: number; message: string };
    }>(VERIFY, { id: other.id });
    expect(d.verifyIncidentHistory.ok).toBe(false);
    expect(d.verifyIncidentHistory.firstBrokenVersion).toBe(3);
    expect(d.verifyIncidentHistory.message).toMatch(/should be v2/);
  });

  it("verifying an unknown incident is NOT_FOUND", async () => {
    const e = await agent.fails(VERIFY, { id: "00000000-0000-4000-8000-000000000000" });
    expect(e.code).toBe("NOT_FOUND");
  });
});
