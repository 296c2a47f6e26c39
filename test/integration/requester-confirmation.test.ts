import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import {
  act,
  expectRefusal,
  getIncident,
  openIncident,
  openResolved,
  resolveIncident,
  SIG,
  turnOffAutoClose,
} from "../support/incidents";
import { linkIn, MailSink } from "../support/mail-sink";

// The requester confirms through a signed link (mailed over real SMTP), the expectedVersion policy
// on assignRoomRole / updateService, and the category filter and search.

const REOPEN = "$id: ID!, $expectedVersion: Int!, $reason: String!";
const CONFIRM = "mutation($t: String!, $n: String) { confirmResolutionAsRequester(token: $t, note: $n) }";
const LINK = "query($id: ID!) { incident(id: $id) { requesterConfirmationUrl } }";

let t: TestBeacon;
let agent: Person;
const sink = new MailSink();

beforeAll(async () => {
  const smtpUrl = await sink.start();
  t = await startTestBeacon({
    env: { SMTP_URL: smtpUrl, PUBLIC_URL: "http://status.test", BEACON_JOB_POLL_SECONDS: "1" },
  });
  agent = await t.user("AGENT", "Ada Agent");
  // The agent closes after the requester confirms; closing by rule would race that.
  await turnOffAutoClose(t.admin);
});

afterAll(async () => {
  await t?.stop();
  await sink.stop();
});

const resolvedFor = (email: string | null) =>
  openResolved(agent, { requester: { name: "Rita Requester", email, organization: "Acme" } });

const tokenOf = (url: string) => new URL(url).searchParams.get("token") ?? "";

async function linkOf(id: string): Promise<string | null> {
  const d = await agent.ok<{ incident: { requesterConfirmationUrl: string | null } }>(LINK, { id });
  return d.incident.requesterConfirmationUrl;
}

describe("the requester confirms through a signed link", () => {
  it("is mailed the link on resolve; the page changes nothing on GET; POST records their own confirmation", async () => {
    const i = await resolvedFor("rita@example.com");
    const [mail] = await sink.waitFor("rita@example.com", 1);
    expect(mail?.subject).toBe(`${i.number} is resolved — please confirm`);
    const url = linkIn(mail?.text ?? "", "http://status.test/incidents/confirm-resolution?token=");
    expect(await linkOf(i.id)).toBe(url);

    // A mail scanner following the link confirms nothing.
    const page = await fetch(
      `${t.url}/incidents/confirm-resolution?token=${encodeURIComponent(tokenOf(url))}`,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Is ${i.number} resolved for you?`);
    expect((await getIncident(agent, i.id)).customerConfirmed).toBe(false);

    const posted = await fetch(
      `${t.url}/incidents/confirm-resolution?token=${encodeURIComponent(tokenOf(url))}`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "note=All%20good%20again",
      },
    );
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("Your confirmation is recorded");
    const d = await agent.ok<{
      incident: {
        customerConfirmed: boolean;
        version: number;
        requesterConfirmationUrl: string | null;
        timeline: { kind: string; body: string | null; authorName: string }[];
        history: { description: string; authorName: string }[];
      };
    }>(
      "query($id: ID!) { incident(id: $id) { customerConfirmed version requesterConfirmationUrl timeline { kind body authorName } history { description authorName } } }",
      { id: i.id },
    );
    expect(d.incident.customerConfirmed).toBe(true);
    expect(d.incident.version).toBe(4);
    expect(d.incident.requesterConfirmationUrl).toBeNull();
    expect(d.incident.timeline.at(-1)).toEqual({
      kind: "CUSTOMER_CONFIRMATION",
      body: "All good again",
      authorName: "Rita Requester (requester, by link)",
    });
    expect(d.incident.history.at(-1)).toEqual({
      description: "Requester confirmed the resolution (signed link)",
      authorName: "Rita Requester (requester, by link)",
    });

    // Pressing again changes nothing; the GraphQL mutation says true.
    expect(
      (await t.anon.ok<{ confirmResolutionAsRequester: boolean }>(CONFIRM, { t: tokenOf(url) }))
        .confirmResolutionAsRequester,
    ).toBe(true);
    const again = await agent.ok<{ incident: { version: number } }>(
      "query($id: ID!) { incident(id: $id) { version } }",
      {
        id: i.id,
      },
    );
    expect(again.incident.version).toBe(4);

    // The confirmation counts for closing (a P3 needs the customer's confirmation, nothing more).
    const closed = await act(agent, "closeIncident", SIG.id, { id: i.id, expectedVersion: 4 });
    expect(closed.state).toBe("CLOSED");
  });

  it("without an email: no mail job, but staff see the link to send another way", async () => {
    const i = await resolvedFor(null);
    const url = await linkOf(i.id);
    expect(url).toMatch(/^http:\/\/status\.test\/incidents\/confirm-resolution\?token=/);
    const [jobs] = await t.started.beacon.db.query(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'incident.requester-confirmation-mail' AND data->>'incidentId' = $1",
      [i.id],
    );
    expect(jobs.n).toBe(0);
  });

  it("refuses a tampered token, and a link from an earlier resolution after a reopen, changing nothing", async () => {
    const i = await resolvedFor(null);
    const url = (await linkOf(i.id)) ?? "";
    const token = tokenOf(url);
    const [body = "", sig = ""] = token.split(".");
    const tampered = `${body}.${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`;
    await expectRefusal(
      t,
      i.id,
      "BAD_USER_INPUT",
      () => t.anon.fails(CONFIRM, { t: tampered }),
      /not valid or has expired/,
    );
    await expectRefusal(t, i.id, "BAD_USER_INPUT", () => t.anon.fails(CONFIRM, { t: "garbage" }));
    const page = await fetch(`${t.url}/incidents/confirm-resolution?token=garbage`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("not valid or has expired");

    await act(agent, "reopenResolvedIncident", REOPEN, {
      id: i.id,
      expectedVersion: 3,
      reason: "Still broken",
    });
    // Reopened: the old link cannot confirm an incident in progress.
    await expectRefusal(t, i.id, "INVALID_TRANSITION", () => t.anon.fails(CONFIRM, { t: token }));
    await resolveIncident(agent, i.id, 4, { notes: "Really fixed" });
    // Resolved again: the old link is for the earlier resolution; the new one works.
    await expectRefusal(
      t,
      i.id,
      "INVALID_TRANSITION",
      () => t.anon.fails(CONFIRM, { t: token }),
      /no longer in the resolution this link was sent for/,
    );
    const fresh = (await linkOf(i.id)) ?? "";
    expect(fresh).not.toBe(url);
    expect(
      (await t.anon.ok<{ confirmResolutionAsRequester: boolean }>(CONFIRM, { t: tokenOf(fresh) }))
        .confirmResolutionAsRequester,
    ).toBe(true);
  });
});

describe("one expectedVersion policy", () => {
  it("assignRoomRole and updateService require it; a stale one is a CONFLICT that changes nothing", async () => {
    const i = await openIncident(agent);
    const manager = await t.user("INCIDENT_MANAGER", "Mia Manager");
    const missing = await manager.fails(
      "mutation($i: ID!, $u: ID) { assignRoomRole(incidentId: $i, role: INCIDENT_COMMANDER, userId: $u) { id } }",
      { i: i.id, u: manager.userId },
    );
    expect(missing.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const ASSIGN =
      "mutation($i: ID!, $u: ID, $v: Int!) { assignRoomRole(incidentId: $i, role: INCIDENT_COMMANDER, userId: $u, expectedVersion: $v) { version } }";
    await expectRefusal(t, i.id, "CONFLICT", () =>
      manager.fails(ASSIGN, { i: i.id, u: manager.userId, v: 7 }),
    );
    const ok = await manager.ok<{ assignRoomRole: { version: number } }>(ASSIGN, {
      i: i.id,
      u: manager.userId,
      v: 1,
    });
    expect(ok.assignRoomRole.version).toBe(2);

    const s = await t.admin.ok<{ createService: { id: string; version: number } }>(
      'mutation { createService(input: { name: "Policy API" }) { id version } }',
    );
    const UPDATE =
      'mutation($id: ID!, $v: Int!) { updateService(id: $id, expectedVersion: $v, input: { name: "Policy API 2" }) { name version } }';
    const noVersion = await t.admin.fails(
      'mutation($id: ID!) { updateService(id: $id, input: { name: "x" }) { id } }',
      {
        id: s.createService.id,
      },
    );
    expect(noVersion.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const stale = await t.admin.fails(UPDATE, { id: s.createService.id, v: s.createService.version + 1 });
    expect(stale.code).toBe("CONFLICT");
    const updated = await t.admin.ok<{ updateService: { name: string; version: number } }>(UPDATE, {
      id: s.createService.id,
      v: s.createService.version,
    });
    expect(updated.updateService).toEqual({ name: "Policy API 2", version: s.createService.version + 1 });
  });
});

describe("categories: filter and search", () => {
  it("a top-level category finds its subcategories' incidents; search matches category names", async () => {
    const cat = async (name: string, parentId?: string) =>
      (
        await t.admin.ok<{ createCategory: { id: string } }>(
          "mutation($n: String!, $p: ID) { createCategory(name: $n, parentId: $p) { id } }",
          { n: name, p: parentId ?? null },
        )
      ).createCategory.id;
    const network = await cat("Network");
    const dns = await cat("DNS resolution", network);
    const billing = await cat("Billing");
    const a = await openIncident(agent, { title: "Lookups slow", categoryId: dns });
    const b = await openIncident(agent, { title: "Router down", categoryId: network });
    const c = await openIncident(agent, { title: "Invoice wrong", categoryId: billing });
    const list = async (filter: Record<string, unknown>) =>
      (
        await agent.ok<{ incidents: { edges: { node: { id: string } }[] } }>(
          "query($f: IncidentFilter) { incidents(filter: $f, first: 100) { edges { node { id } } } }",
          { f: filter },
        )
      ).incidents.edges
        .map((e) => e.node.id)
        .sort();
    expect(await list({ categoryId: network })).toEqual([a.id, b.id].sort());
    expect(await list({ categoryId: dns })).toEqual([a.id]);
    expect(await list({ categoryId: billing })).toEqual([c.id]);
    expect(await list({ search: "resolution" })).toEqual([a.id]);
    expect(await list({ search: "network" })).toEqual([a.id, b.id].sort());
    const bad = await agent.fails('query { incidents(filter: { categoryId: "nope" }) { totalCount } }');
    expect(bad.code).toBe("BAD_USER_INPUT");
  });
});
