import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "../../../server/domain/business-days";
import {
  type ClosureFacts,
  closureRequirements,
  evaluateClosure,
  MIN_ATTEMPTS,
  MIN_BUSINESS_DAYS,
  MIN_METHODS,
} from "../../../server/domain/closure";
import { ContactMethod, ErrorCode, IncidentState, Priority } from "../../../server/domain/vocabulary";
import { itemAt } from "../../support/item-at";

const UTC: BusinessCalendar = { timeZone: "UTC", holidays: [] };
const { PHONE, EMAIL, SMS } = ContactMethod;

const failed = (method: ContactMethod, iso: string) => ({ method, reached: false, at: new Date(iso) });
const reached = (method: ContactMethod, iso: string) => ({ method, reached: true, at: new Date(iso) });

// Mon 2026-03-02 -> Mon 2026-03-09 is exactly 5 business days.
const MON = "2026-03-02T09:00:00Z";
const WED = "2026-03-04T09:00:00Z";
const FRI = "2026-03-06T09:00:00Z";
const NEXT_MON = "2026-03-09T09:00:00Z";
const GOOD_ATTEMPTS = [failed(PHONE, MON), failed(EMAIL, WED), failed(PHONE, NEXT_MON)];

function facts(overrides: Partial<ClosureFacts> = {}): ClosureFacts {
  const priority = overrides.priority ?? Priority.P3;
  return {
    priority,
    peakPriority: priority,
    customerConfirmed: false,
    contactAttempts: [],
    reviewCompleted: false,
    problemReference: null,
    ...overrides,
  };
}

function refusal(f: ClosureFacts, cal = UTC): string {
  const d = evaluateClosure(f, cal);
  expect(d.ok).toBe(false);
  if (d.ok) return "";
  expect(d.code).toBe(ErrorCode.REQUIREMENT_NOT_MET);
  return d.message;
}

describe("constants", () => {
  it("match DESIGN", () => {
    expect([MIN_ATTEMPTS, MIN_METHODS, MIN_BUSINESS_DAYS]).toEqual([3, 2, 5]);
  });
});

describe("contact requirement", () => {
  it("customer confirmation alone is enough for P3 and P4", () => {
    for (const priority of [Priority.P3, Priority.P4]) {
      expect(evaluateClosure(facts({ priority, customerConfirmed: true }), UTC)).toEqual({
        ok: true,
        value: { basis: "CUSTOMER_CONFIRMATION" },
      });
    }
  });

  it("3 unsuccessful attempts by 2 methods over 5 business days pass", () => {
    expect(evaluateClosure(facts({ contactAttempts: GOOD_ATTEMPTS }), UTC)).toEqual({
      ok: true,
      value: { basis: "CONTACT_ATTEMPTS" },
    });
  });

  it("prefers confirmation as the basis when both are present", () => {
    const d = evaluateClosure(facts({ customerConfirmed: true, contactAttempts: GOOD_ATTEMPTS }), UTC);
    expect(d).toEqual({ ok: true, value: { basis: "CUSTOMER_CONFIRMATION" } });
  });

  it("does not depend on the order attempts are listed in", () => {
    const shuffled = [itemAt(GOOD_ATTEMPTS, 2), itemAt(GOOD_ATTEMPTS, 0), itemAt(GOOD_ATTEMPTS, 1)];
    expect(evaluateClosure(facts({ contactAttempts: shuffled }), UTC).ok).toBe(true);
  });

  it("no confirmation and no attempts fails", () => {
    expect(refusal(facts())).toContain("0 of 3 attempts, 0 of 2 methods, 0 of 5 business days");
  });

  it("2 attempts fail even over 5 business days and 2 methods", () => {
    const message = refusal(facts({ contactAttempts: [failed(PHONE, MON), failed(EMAIL, NEXT_MON)] }));
    expect(message).toContain("2 of 3 attempts, 2 of 2 methods, 5 of 5 business days");
  });

  it("3 attempts by 1 method fail", () => {
    const message = refusal(
      facts({ contactAttempts: [failed(PHONE, MON), failed(PHONE, WED), failed(PHONE, NEXT_MON)] }),
    );
    expect(message).toContain("3 of 3 attempts, 1 of 2 methods, 5 of 5 business days");
  });

  it("4 business days between first and last fail", () => {
    const message = refusal(
      facts({ contactAttempts: [failed(PHONE, MON), failed(EMAIL, WED), failed(SMS, FRI)] }),
    );
    expect(message).toContain("3 of 3 attempts, 3 of 2 methods, 4 of 5 business days");
  });

  it("a holiday in between can make 5 calendar weekdays only 4 business days", () => {
    const cal: BusinessCalendar = { timeZone: "UTC", holidays: ["2026-03-05"] };
    expect(evaluateClosure(facts({ contactAttempts: GOOD_ATTEMPTS }), UTC).ok).toBe(true);
    expect(refusal(facts({ contactAttempts: GOOD_ATTEMPTS }), cal)).toContain("4 of 5 business days");
  });

  it("counts business days in the desk's time zone", () => {
    // Mon 2026-03-02 20:00 PST is Tuesday in UTC; Mon 03-09 09:00 PDT is Monday either way.
    const attempts = [
      failed(PHONE, "2026-03-03T04:00:00Z"),
      failed(EMAIL, WED),
      failed(PHONE, "2026-03-09T16:00:00Z"),
    ];
    expect(evaluateClosure(facts({ contactAttempts: attempts }), UTC).ok).toBe(false);
    expect(
      evaluateClosure(facts({ contactAttempts: attempts }), { timeZone: "America/Los_Angeles", holidays: [] })
        .ok,
    ).toBe(true);
  });

  it("attempts that reached the customer do not count", () => {
    // Same shape as GOOD_ATTEMPTS, but the first call got through.
    const attempts = [
      reached(SMS, MON),
      failed(PHONE, "2026-03-03T09:00:00Z"),
      failed(EMAIL, WED),
      failed(PHONE, NEXT_MON),
    ];
    const message = refusal(facts({ contactAttempts: attempts }));
    expect(message).toContain("3 of 3 attempts, 2 of 2 methods, 4 of 5 business days");
    expect(message).toContain("1 attempt that reached the customer does not count");
  });

  it("reached attempts cannot make up the numbers", () => {
    const attempts = [failed(PHONE, MON), reached(EMAIL, WED), failed(PHONE, NEXT_MON)];
    expect(refusal(facts({ contactAttempts: attempts }))).toContain(
      "2 of 3 attempts, 1 of 2 methods, 5 of 5 business days",
    );
  });

  it("names the room's buttons that satisfy it, never API names", () => {
    const message = refusal(facts());
    expect(message).toContain('"Confirm resolution"');
    expect(message).toContain('"Log contact attempt"');
    expect(message).not.toContain("review");
    expect(message).not.toMatch(/\(\w+[A-Z]\w*\)|confirmResolution|logContactAttempt/);
  });
});

describe("requirements follow the peak priority", () => {
  it("a P1 lowered to P4 still needs the review and the problem", () => {
    const message = refusal(
      facts({ priority: Priority.P4, peakPriority: Priority.P1, customerConfirmed: true }),
    );
    expect(message).toBe(
      'Not ready to close yet. Complete the post-incident review ("Complete review") — needed because this ' +
        'is a P1 incident (it was P1 before it was lowered to P4). Link a problem record ("Link problem") — ' +
        "needed because this is a P1 incident (it was P1 before it was lowered to P4).",
    );
  });

  it("a P2 lowered to P3 needs the review but no problem", () => {
    const message = refusal(
      facts({ priority: Priority.P3, peakPriority: Priority.P2, customerConfirmed: true }),
    );
    expect(message).toContain('"Complete review"');
    expect(message).not.toContain('"Link problem"');
  });

  it.each([Priority.P1, Priority.P2, Priority.P3, Priority.P4])(
    "peak %s with everything met passes",
    (peak) => {
      const d = evaluateClosure(
        facts({
          priority: Priority.P4,
          peakPriority: peak,
          customerConfirmed: true,
          reviewCompleted: true,
          problemReference: "PRB-000001",
        }),
        UTC,
      );
      expect(d.ok).toBe(true);
    },
  );
});

describe("major incident requirements", () => {
  it("P2 with confirmation but without a review fails", () => {
    const message = refusal(facts({ priority: Priority.P2, customerConfirmed: true }));
    expect(message).toBe(
      'Not ready to close yet. Complete the post-incident review ("Complete review") — needed because this is a P2 incident.',
    );
  });

  it("P2 with confirmation and a review passes, without a problem record", () => {
    const d = evaluateClosure(
      facts({ priority: Priority.P2, customerConfirmed: true, reviewCompleted: true }),
      UTC,
    );
    expect(d).toEqual({ ok: true, value: { basis: "CUSTOMER_CONFIRMATION" } });
  });

  it("P3 does not need a review", () => {
    expect(evaluateClosure(facts({ priority: Priority.P3, customerConfirmed: true }), UTC).ok).toBe(true);
  });

  it("P1 with a review but without a problem record fails", () => {
    const message = refusal(facts({ priority: Priority.P1, customerConfirmed: true, reviewCompleted: true }));
    expect(message).toBe(
      'Not ready to close yet. Link a problem record ("Link problem") — needed because this is a P1 incident.',
    );
  });

  it("P1 with a blank problem reference still fails", () => {
    const message = refusal(
      facts({
        priority: Priority.P1,
        customerConfirmed: true,
        reviewCompleted: true,
        problemReference: "  ",
      }),
    );
    expect(message).toContain('"Link problem"');
  });

  it("P1 with a problem record but no review fails", () => {
    const message = refusal(
      facts({ priority: Priority.P1, customerConfirmed: true, problemReference: "PRB0001" }),
    );
    expect(message).toContain('"Complete review"');
    expect(message).not.toContain('"Link problem"');
  });

  it("P1 with everything passes, on attempts too", () => {
    const d = evaluateClosure(
      facts({
        priority: Priority.P1,
        contactAttempts: GOOD_ATTEMPTS,
        reviewCompleted: true,
        problemReference: "PRB0001",
      }),
      UTC,
    );
    expect(d).toEqual({ ok: true, value: { basis: "CONTACT_ATTEMPTS" } });
  });

  it("lists every unmet requirement with what was found", () => {
    const message = refusal(facts({ priority: Priority.P1, contactAttempts: [failed(PHONE, MON)] }));
    expect(message).toBe(
      'Not ready to close yet. Record the customer\'s confirmation ("Confirm resolution"), or keep trying to ' +
        'reach them ("Log contact attempt": 3 unsuccessful attempts by 2 methods over 5 business days) — ' +
        "1 of 3 attempts, 1 of 2 methods, 0 of 5 business days. " +
        'Complete the post-incident review ("Complete review") — needed because this is a P1 incident. ' +
        'Link a problem record ("Link problem") — needed because this is a P1 incident.',
    );
  });
});

describe("closureRequirements: the checklist", () => {
  const keys = (f: ClosureFacts, state?: IncidentState) =>
    closureRequirements(f, UTC, state).map((r) => `${r.key}:${r.met ? "met" : "open"}`);

  it.each([
    [Priority.P4, ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open"]],
    [Priority.P3, ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open"]],
    [Priority.P2, ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open", "REVIEW:open"]],
    [Priority.P1, ["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open", "REVIEW:open", "PROBLEM:open"]],
  ])("%s lists exactly its requirements", (priority, expected) => {
    expect(keys(facts({ priority }))).toEqual(expected);
  });

  it("follows the peak priority", () => {
    expect(keys(facts({ priority: Priority.P4, peakPriority: Priority.P1 }))).toEqual([
      "CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open",
      "REVIEW:open",
      "PROBLEM:open",
    ]);
  });

  it.each([
    [IncidentState.NEW, false, "it is new now"],
    [IncidentState.ASSIGNED, false, "it is assigned now"],
    [IncidentState.IN_PROGRESS, false, "it is in progress now"],
    [IncidentState.ON_HOLD, false, "it is on hold now"],
    [IncidentState.RESOLVED, true, null],
    [IncidentState.CLOSED, true, null],
  ])("with the state %s, the first item says whether it is resolved", (state, met, detail) => {
    const [first] = closureRequirements(facts(), UTC, state);
    expect(first).toMatchObject({ key: "RESOLVED", met, detail });
  });

  it("ticks each item as it is done", () => {
    let f = facts({ priority: Priority.P1 });
    expect(keys(f, IncidentState.RESOLVED)).toEqual([
      "RESOLVED:met",
      "CUSTOMER_CONFIRMATION_OR_ATTEMPTS:open",
      "REVIEW:open",
      "PROBLEM:open",
    ]);
    f = { ...f, customerConfirmed: true };
    expect(keys(f)).toEqual(["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:met", "REVIEW:open", "PROBLEM:open"]);
    f = { ...f, reviewCompleted: true };
    expect(keys(f)).toEqual(["CUSTOMER_CONFIRMATION_OR_ATTEMPTS:met", "REVIEW:met", "PROBLEM:open"]);
    f = { ...f, problemReference: " PRB-000007 " };
    const done = closureRequirements(f, UTC);
    expect(done.every((r) => r.met)).toBe(true);
    expect(done.find((r) => r.key === "PROBLEM")?.detail).toBe("PRB-000007");
    expect(evaluateClosure(f, UTC).ok).toBe(true);
  });

  it("counts the contact attempts in the detail, as the example in the contract", () => {
    const [contact] = closureRequirements(
      facts({ contactAttempts: [failed(PHONE, MON), failed(PHONE, "2026-03-05T09:00:00Z")] }),
      UTC,
    );
    expect(contact).toMatchObject({
      met: false,
      detail: "2 of 3 attempts, 1 of 2 methods, 3 of 5 business days",
    });
  });

  it("says the customer confirmed when they did", () => {
    const [contact] = closureRequirements(facts({ customerConfirmed: true }), UTC);
    expect(contact).toMatchObject({ met: true, detail: "the customer confirmed" });
  });

  it("met by attempts alone", () => {
    const [contact] = closureRequirements(facts({ contactAttempts: GOOD_ATTEMPTS }), UTC);
    expect(contact).toMatchObject({
      met: true,
      detail: "3 of 3 attempts, 2 of 2 methods, 5 of 5 business days",
    });
  });

  it("every label and message is in the room's words: no API names", () => {
    const all = closureRequirements(facts({ priority: Priority.P1 }), UTC, IncidentState.IN_PROGRESS);
    const words = all.flatMap((r) => [r.label, r.todo, r.detail ?? ""]).join(" ");
    expect(words).not.toMatch(/[a-z][A-Z]/); // camelCase command or field names
    expect(words).not.toMatch(/[A-Z]{2,}_[A-Z]/); // enum codes
  });

  it("agrees with evaluateClosure: allowed exactly when every item is met", () => {
    const variants: ClosureFacts[] = [];
    for (const priority of Object.values(Priority)) {
      for (const customerConfirmed of [false, true]) {
        for (const reviewCompleted of [false, true]) {
          for (const problemReference of [null, "PRB-1"]) {
            for (const contactAttempts of [[], GOOD_ATTEMPTS]) {
              variants.push(
                facts({ priority, customerConfirmed, reviewCompleted, problemReference, contactAttempts }),
              );
            }
          }
        }
      }
    }
    for (const f of variants) {
      const allMet = closureRequirements(f, UTC).every((r) => r.met);
      expect(evaluateClosure(f, UTC).ok).toBe(allMet);
    }
  });
});
