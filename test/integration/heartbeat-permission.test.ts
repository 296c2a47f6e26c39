import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBeacon, type TestBeacon } from "../support/harness";

let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon();
});
afterAll(() => t?.stop());

const OPEN = `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id version isPublic: public } }`;
const input = (pub: boolean) => ({
  title: "Checkout down",
  description: "Payments fail",
  impact: "HIGH",
  urgency: "HIGH",
  public: pub,
});

describe("heartbeat is in the permission table", () => {
  it("needs a WRITE credential: a READ-scoped API key is refused", async () => {
    const manager = await t.user("INCIDENT_MANAGER");
    const { openIncident } = await manager.ok<{ openIncident: { id: string } }>(OPEN, { i: input(false) });
    const key = await t.admin.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }',
    );
    const reader = t.anon.as(key.createApiKey.secret);
    const refused = await reader.fails("mutation($id: ID!) { heartbeat(incidentId: $id, typing: true) }", {
      id: openIncident.id,
    });
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/WRITE/);
    expect(
      await manager.ok("mutation($id: ID!) { heartbeat(incidentId: $id) }", { id: openIncident.id }),
    ).toEqual({
      heartbeat: true,
    });
  });
});
