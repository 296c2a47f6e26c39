import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendNotificationEmail } from "../../server/notifications/notification.service";
import { type Person, startTestBeacon, type TestBeacon } from "../support/harness";
import { act, createQueue, openIncident, SIG } from "../support/incidents";
import { MailSink } from "../support/mail-sink";

// A responder's notification by email over real SMTP (a local smtp-server, parsed with mailparser).

const sink = new MailSink();
let t: TestBeacon;
let agent: Person;
let rae: Person;
let queueId: string;

beforeAll(async () => {
  const smtpUrl = await sink.start();
  t = await startTestBeacon({
    env: { SMTP_URL: smtpUrl, PUBLIC_URL: "http://beacon.test", BEACON_JOB_POLL_SECONDS: "1" },
  });
  agent = await t.user("AGENT", "Ada Agent");
  rae = await t.user("RESPONDER", "Rae Responder");
  queueId = await createQueue(t.admin, "Database", [rae.userId]);
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await sink.stop();
});

describe("notification email over SMTP", () => {
  it("arrives with text and HTML linking to the room, once", async () => {
    const i = await openIncident(agent, { title: "Replica lag" });
    await act(agent, "assignIncident", `${SIG.id}, $queueId: ID!`, { id: i.id, expectedVersion: 1, queueId });
    const [mail] = await sink.waitFor(rae.email, 1);
    const link = `http://beacon.test/war-room/incidents/${i.id}`;
    expect(mail!.subject).toBe(`[Beacon] ${i.number} assigned to your queue "Database"`);
    expect(mail!.text).toContain("Hello Rae Responder");
    expect(mail!.text).toContain("Replica lag");
    expect(mail!.text).toContain(`Open ${i.number} in the war room: ${link}`);
    expect(mail!.html || "").toContain(`href="${link}"`);
    const [row] = await t.started.beacon.db.query(
      "SELECT id, emailed_at FROM notification WHERE user_id = $1 AND incident_id = $2",
      [rae.userId, i.id],
    );
    // emailed_at is written right after the send; the job may still be finishing it.
    const deadline = Date.now() + 15_000;
    let emailed = row.emailed_at;
    while (!emailed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      [{ emailed_at: emailed }] = await t.started.beacon.db.query(
        "SELECT emailed_at FROM notification WHERE id = $1",
        [row.id],
      );
    }
    expect(emailed).not.toBeNull();
    // A retry of the job (at least once delivery) finds it sent and sends nothing more.
    await sendNotificationEmail(t.started.beacon, row.id);
    expect(sink.to(rae.email)).toHaveLength(1);
  });
});
