import { describe, expect, it } from "vitest";
import { PublicStatus } from "../../server/domain/vocabulary";
import { type PublicEventJson, updateMail } from "../../server/subscriptions/mail-content";

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
