import { describe, expect, it } from "vitest";
import type { BusinessCalendar } from "../../../server/domain/business-days";
import {
  type ClosureFacts,
  evaluateClosure,
  MIN_ATTEMPTS,
  MIN_BUSINESS_DAYS,
  MIN_METHODS,
} from "../../../server/domain/closure";
import { ContactMethod, ErrorCode, Priority } from "../../../server/domain/vocabulary";

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
  return {
    priority: Priority.P3,
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
    const shuffled = [GOOD_ATTEMPTS[2], GOOD_ATTEMPTS[0], GOOD_ATTEMPTS[1]];
    expect(evaluateClosure(facts({ contactAttempts: shuffled }), UTC).ok).toBe(true);
  });

  it("no confirmation and no attempts fails", () => {
    expect(refusal(facts())).toContain("found 0 attempts by 0 methods over 0 business days");
  });

  it("2 attempts fail even over 5 business days and 2 methods", () => {
    const message = refusal(facts({ contactAttempts: [failed(PHONE, MON), failed(EMAIL, NEXT_MON)] }));
    expect(message).toContain("found 2 attempts by 2 methods over 5 business days");
  });

  it("3 attempts by 1 method fail", () => {
    const message = refusal(
      facts({ contactAttempts: [failed(PHONE, MON), failed(PHONE, WED), failed(PHONE, NEXT_MON)] }),
    );
    expect(message).toContain("found 3 attempts by 1 method over 5 business days");
  });

  it("4 business days between first and last fail", () => {
    const message = refusal(
      facts({ contactAttempts: [failed(PHONE, MON), failed(EMAIL, WED), failed(SMS, FRI)] }),
    );
    expect(message).toContain("found 3 attempts by 3 methods over 4 business days");
  });

  it("a holiday in between can make 5 calendar weekdays only 4 business days", () => {
    const cal: BusinessCalendar = { timeZone: "UTC", holidays: ["2026-03-05"] };
    expect(evaluateClosure(facts({ contactAttempts: GOOD_ATTEMPTS }), UTC).ok).toBe(true);
    expect(refusal(facts({ contactAttempts: GOOD_ATTEMPTS }), cal)).toContain("over 4 business days");
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
    expect(message).toContain("found 3 attempts by 2 methods over 4 business days");
    expect(message).toContain("1 attempt that reached the customer does not count");
  });

  it("reached attempts cannot make up the numbers", () => {
    const attempts = [failed(PHONE, MON), reached(EMAIL, WED), failed(PHONE, NEXT_MON)];
    expect(refusal(facts({ contactAttempts: attempts }))).toContain(
      "found 2 attempts by 1 method over 5 business days",
    );
  });

  it("names the commands that satisfy it", () => {
    const message = refusal(facts());
    expect(message).toContain("confirmResolution");
    expect(message).toContain("logContactAttempt");
    expect(message).not.toContain("completeReview");
  });
});

describe("requirements follow the peak priority", () => {
  it("a P1 lowered to P4 still needs the review and the problem", () => {
    const message = refusal(
      facts({ priority: Priority.P4, peakPriority: Priority.P1, customerConfirmed: true }),
    );
    expect(message).toBe(
      "P1 incidents (this one was P1 before it was lowered to P4) need a completed post-incident review " +
        "(completeReview) and a linked problem record (linkIncidentToProblem, or linkProblem with an external " +
        "reference) before closing; neither is there yet.",
    );
  });

  it("a P2 lowered to P3 needs the review but no problem", () => {
    const message = refusal(
      facts({ priority: Priority.P3, peakPriority: Priority.P2, customerConfirmed: true }),
    );
    expect(message).toContain("completeReview");
    expect(message).not.toContain("linkProblem");
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

  it("without a peak the current priority counts", () => {
    expect(evaluateClosure(facts({ priority: Priority.P4, customerConfirmed: true }), UTC).ok).toBe(true);
  });
});

describe("major incident requirements", () => {
  it("P2 with confirmation but without a review fails", () => {
    const message = refusal(facts({ priority: Priority.P2, customerConfirmed: true }));
    expect(message).toBe(
      "P2 incidents need a completed post-incident review (completeReview) before closing; the review is not completed yet.",
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
      "P1 incidents need a linked problem record (linkIncidentToProblem, or linkProblem with an external reference) before closing; none is linked yet.",
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
    expect(message).toContain("linkProblem");
  });

  it("P1 with a problem record but no review fails", () => {
    const message = refusal(
      facts({ priority: Priority.P1, customerConfirmed: true, problemReference: "PRB0001" }),
    );
    expect(message).toContain("completeReview");
    expect(message).not.toContain("linkProblem");
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
      "Closing needs the customer's confirmation (confirmResolution) or 3 unsuccessful contact attempts " +
        "(logContactAttempt) by 2 methods over 5 business days; found 1 attempt by 1 method over 0 business days. " +
        "P1 incidents also need a completed post-incident review (completeReview) and a linked problem record " +
        "(linkIncidentToProblem, or linkProblem with an external reference) before closing; neither is there yet.",
    );
  });
});
