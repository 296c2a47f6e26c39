import { describe, expect, it } from "vitest";
import { MaintenanceState } from "../../server/domain/maintenance";
import { PublicStatus, StatusEventKind } from "../../server/domain/vocabulary";
import {
  inMinutes,
  MAILED_KINDS,
  type PublicEventJson,
  updateMail,
} from "../../server/subscriptions/mail-content";

const links = { publicUrl: "https://status.test", unsubscribeUrl: "https://u", manageUrl: "https://m" };
const incident = {
  id: "i1",
  title: "Checkout errors",
  status: PublicStatus.RESOLVED,
  services: [{ id: "s1", name: "Checkout", status: "OPERATIONAL" }],
  updates: [{ id: "u1", status: PublicStatus.RESOLVED, message: "Fixed.", at: "2026-12-01T10:00:00Z" }],
  postmortem: "A bad deploy.\nWe added a canary.",
};
const event = (over: Partial<PublicEventJson["payload"]>): PublicEventJson =>
  ({ seq: "9", kind: "INCIDENT_UPDATED", payload: { incident, ...over } }) as PublicEventJson;

describe("update mails", () => {
  it("a completed review's event mails the postmortem, not the last status again", () => {
    const mail = updateMail("a@example.com", event({ command: "completeReview" }), links, "Acme");
    expect(mail?.subject).toBe("[Acme] Postmortem: Checkout errors");
    expect(mail?.text).toContain("A bad deploy.\nWe added a canary.");
    expect(mail?.text).not.toContain("Fixed.");
  });

  it("any other incident update mails the status and the latest public update", () => {
    const mail = updateMail("a@example.com", event({ command: "postPublicUpdate" }), links, "Acme");
    expect(mail?.subject).toBe("[Acme] Resolved: Checkout errors");
    expect(mail?.text).toContain("Fixed.");
    expect(mail?.text).not.toContain("canary");
    expect(mail?.text).toContain("Details: https://status.test/incidents/i1");
  });
});

const maintenance = {
  id: "m1",
  title: "Database upgrade",
  description: "Moving to PostgreSQL 17.",
  state: MaintenanceState.SCHEDULED,
  services: [{ id: "s1", name: "Checkout", slug: "checkout", status: "OPERATIONAL" }],
  scheduledStart: "2026-12-05T22:00:00.000Z",
  scheduledEnd: "2026-12-05T23:30:00.000Z",
  updates: [{ id: "u2", state: MaintenanceState.SCHEDULED, message: "Moved one hour later.", at: "x" }],
};
const service = { id: "s1", name: "Checkout", slug: "checkout", status: "MAJOR_OUTAGE" };
const sample = (kind: string): PublicEventJson =>
  ({
    seq: "9",
    kind,
    payload: kind.startsWith("MAINTENANCE_")
      ? { maintenance, ...(kind === "MAINTENANCE_REMINDER" ? { leadMinutes: 90 } : {}) }
      : kind === "SERVICE_STATUS_CHANGED"
        ? { service }
        : { incident },
  }) as PublicEventJson;

describe("maintenance mails", () => {
  it("every mailed kind gets a mail (the engine only enqueues mailed kinds; none may come out empty)", () => {
    for (const kind of MAILED_KINDS) {
      const mail = updateMail("a@example.com", sample(kind), links, "Acme");
      expect(mail, kind).not.toBeNull();
      expect(mail?.headers?.["List-Unsubscribe"], kind).toBe("<https://u>");
      expect(mail?.text, kind).toContain("Unsubscribe: https://u");
    }
    // Service metadata changes (name, description) are not news for subscribers.
    expect(MAILED_KINDS.has(StatusEventKind.SERVICE_CHANGED)).toBe(false);
    expect(updateMail("a@example.com", sample("SERVICE_CHANGED"), links)).toBeNull();
  });

  it("says what happens to which services when, with the latest message", () => {
    const mail = updateMail("a@example.com", sample("MAINTENANCE_UPDATED"), links, "Acme");
    expect(mail?.subject).toBe("[Acme] Maintenance update: Database upgrade");
    expect(mail?.text).toContain("Status: Scheduled");
    expect(mail?.text).toContain("Window: 2026-12-05 22:00 UTC to 2026-12-05 23:30 UTC");
    expect(mail?.text).toContain("Moving to PostgreSQL 17.");
    expect(mail?.text).toContain("Moved one hour later.");
    expect(mail?.text).toContain("Affected services: Checkout");
    expect(mail?.text).toContain("Details: https://status.test/");
    const scheduled = updateMail("a@example.com", sample("MAINTENANCE_SCHEDULED"), links, "Acme");
    expect(scheduled?.subject).toBe("[Acme] Scheduled maintenance: Database upgrade");
    expect(updateMail("a", sample("MAINTENANCE_CANCELED"), links)?.subject).toBe(
      "[Beacon] Maintenance canceled: Database upgrade",
    );
  });

  it("a reminder says how long until the window starts", () => {
    const mail = updateMail("a@example.com", sample("MAINTENANCE_REMINDER"), links, "Acme");
    expect(mail?.subject).toBe("[Acme] Maintenance starts in 1 hour 30 minutes: Database upgrade");
    expect(mail?.text).not.toContain("Moved one hour later.");
    expect(inMinutes(1440)).toBe("in 1 day");
    expect(inMinutes(60)).toBe("in 1 hour");
    expect(inMinutes(1)).toBe("in 1 minute");
    expect(inMinutes(2 * 1440 + 5)).toBe("in 2 days 5 minutes");
  });
});
