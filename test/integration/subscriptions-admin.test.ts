// What the war room's Subscribers, Webhook endpoints and Mail outbox sections rely on beyond the
// delivery tests: resuming a paused endpoint, and telling admins whether mail goes over SMTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateSubscription } from "../../server/subscriptions/update-subscription.entity";
import { startTestBeacon, type TestBeacon } from "../support/harness";

const REGISTER = "mutation($i: SubscribeInput!) { subscribe(input: $i) { ok webhookSecret subscriptionId } }";
const RESUME = "mutation($id: ID!) { resumeWebhookEndpoint(id: $id) { id paused pausedReason } }";

describe("subscription admin", () => {
  let t: TestBeacon;
  beforeAll(async () => {
    t = await startTestBeacon({ env: { BEACON_WEBHOOK_ALLOW_PRIVATE: "1" } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("resumeWebhookEndpoint un-pauses a paused endpoint; only admins; webhooks only", async () => {
    const { subscribe } = await t.admin.ok<{ subscribe: { subscriptionId: string } }>(REGISTER, {
      i: { webhookUrl: "http://127.0.0.1:9/hook" },
    });
    const id = subscribe.subscriptionId;
    // Paused as the delivery engine pauses an endpoint whose deliveries keep failing.
    await t.started.beacon.db.manager.update(UpdateSubscription, id, {
      paused: true,
      pausedReason: "Paused after 5 deliveries in a row failed",
      consecutiveFailures: 5,
    });
    const listed = await t.admin.ok<{ updateSubscriptions: { id: string; paused: boolean }[] }>(
      "{ updateSubscriptions(channel: WEBHOOK) { id paused } }",
    );
    expect(listed.updateSubscriptions).toEqual([{ id, paused: true }]);

    const manager = await t.user("INCIDENT_MANAGER");
    expect((await manager.fails(RESUME, { id })).code).toBe("FORBIDDEN");
    expect((await t.anon.fails(RESUME, { id })).code).toBe("UNAUTHENTICATED");

    const resumed = await t.admin.ok<{ resumeWebhookEndpoint: unknown }>(RESUME, { id });
    expect(resumed.resumeWebhookEndpoint).toEqual({ id, paused: false, pausedReason: null });
    const row = await t.started.beacon.db.manager.findOneByOrFail(UpdateSubscription, { id });
    expect(row.consecutiveFailures).toBe(0);
    // Again: nothing to do, same answer.
    expect(
      (await t.admin.ok<{ resumeWebhookEndpoint: unknown }>(RESUME, { id })).resumeWebhookEndpoint,
    ).toEqual({
      id,
      paused: false,
      pausedReason: null,
    });

    await t.anon.ok('mutation { subscribe(input: { email: "paused@example.com" }) { ok } }');
    const email = await t.started.beacon.db.manager.findOneByOrFail(UpdateSubscription, {
      target: "paused@example.com",
    });
    expect((await t.admin.fails(RESUME, { id: email.id })).code).toBe("NOT_FOUND");
    expect((await t.admin.fails(RESUME, { id: "nope" })).code).toBe("NOT_FOUND");
  });

  it("mailUsesSmtp says whether mail goes over SMTP (here: the local outbox); admins only", async () => {
    expect(await t.admin.ok("{ mailUsesSmtp }")).toEqual({ mailUsesSmtp: false });
    const agent = await t.user("AGENT");
    expect((await agent.fails("{ mailUsesSmtp }")).code).toBe("FORBIDDEN");
  });
});
