import { describe, expect, it } from "vitest";
import * as domain from "../../../server/domain";

describe("server/domain index", () => {
  it.each([
    "priorityOf",
    "isMajor",
    "publicImpactOf",
    "decideCommand",
    "availableCommands",
    "isTerminal",
    "isActive",
    "localDate",
    "isBusinessDay",
    "businessDaysBetween",
    "validateTimeZone",
    "evaluateClosure",
    "authorize",
    "overallStatus",
    "serviceStatusLabel",
    "publicStatusLabel",
    "requireText",
    "slugify",
    "validateSlug",
    "validateContactAttemptTime",
    "allow",
    "refuse",
    "higherPriority",
    "decideSeverityChange",
    "decideProblemTransition",
    "problemNumber",
  ])("exports the function %s", (name) => {
    expect(typeof (domain as Record<string, unknown>)[name]).toBe("function");
  });

  it("exports the data tables and constants", () => {
    expect(domain.COMMANDS).toHaveLength(18);
    expect(Object.keys(domain.TRANSITIONS)).toHaveLength(18);
    expect(domain.PERMISSION_TABLE.length).toBeGreaterThan(0);
    expect([domain.MIN_ATTEMPTS, domain.MIN_METHODS, domain.MIN_BUSINESS_DAYS]).toEqual([3, 2, 5]);
    expect(domain.IncidentState.CLOSED).toBe("CLOSED");
  });
});
