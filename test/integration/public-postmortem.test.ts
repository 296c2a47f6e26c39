// The public postmortem of a completed review is part of the public projection; a draft is not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, openResolved } from "../support/incidents";

let t: TestBeacon;
let manager: Person;

beforeAll(async () => {
  t = await startTestBeacon();
  manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
});

afterAll(async () => {
  await t?.stop();
});

const publicPostmortem = async (id: string) =>
  (
    await t.anon.ok<{ publicIncident: { postmortem: string | null } | null }>(
      "query($id: ID!) { publicIncident(id: $id) { postmortem } }",
      { id },
    )
  ).publicIncident?.postmortem;

describe("the public postmortem", () => {
  it("reaches the public incident once the review is completed, never as a draft", async () => {
    // Publishing needs an incident manager (docs/permissions.md), so the manager opens it public.
    const i = await openResolved(manager, { public: true }, { notes: "Rolled back" });
    await act(manager, "draftReview", "$id: ID!, $expectedVersion: Int!, $input: ReviewDraftInput!", {
      id: i.id,
      expectedVersion: 3,
      input: { summary: "s", publicPostmortem: "DRAFT: not for the public yet" },
    });
    expect(await publicPostmortem(i.id)).toBeNull();

    await act(
      manager,
      "completeReview",
      "$id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!, $publicPostmortem: String, $noActionItems: Boolean",
      {
        id: i.id,
        expectedVersion: 4,
        summary: "s",
        rootCause: "r",
        lessons: "l",
        publicPostmortem: "A configuration change overloaded the payment gateway; we rolled it back.",
        noActionItems: true,
      },
    );
    expect(await publicPostmortem(i.id)).toBe(
      "A configuration change overloaded the payment gateway; we rolled it back.",
    );
    // Published live: the completion is a public update of the incident carrying the text.
    const [event] = await t.started.beacon.db.query(
      "SELECT kind, is_public, payload FROM event WHERE incident_id = $1 ORDER BY seq DESC LIMIT 1",
      [i.id],
    );
    expect(event).toMatchObject({
      kind: "INCIDENT_UPDATED",
      is_public: true,
      payload: { incident: { postmortem: expect.stringContaining("rolled it back") } },
    });
  });
});
