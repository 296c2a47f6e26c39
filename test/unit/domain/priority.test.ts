import { describe, expect, it } from "vitest";
import { isMajor, priorityOf, publicImpactOf } from "../../../server/domain/priority";
import { Impact, Priority, StatusIndicator, Urgency } from "../../../server/domain/vocabulary";

describe("priorityOf", () => {
  // All nine cells, written out from DESIGN "Rules".
  const cells: [Impact, Urgency, Priority][] = [
    [Impact.HIGH, Urgency.HIGH, Priority.P1],
    [Impact.HIGH, Urgency.MEDIUM, Priority.P2],
    [Impact.MEDIUM, Urgency.HIGH, Priority.P2],
    [Impact.HIGH, Urgency.LOW, Priority.P3],
    [Impact.MEDIUM, Urgency.MEDIUM, Priority.P3],
    [Impact.LOW, Urgency.HIGH, Priority.P3],
    [Impact.MEDIUM, Urgency.LOW, Priority.P4],
    [Impact.LOW, Urgency.MEDIUM, Priority.P4],
    [Impact.LOW, Urgency.LOW, Priority.P4],
  ];

  it.each(cells)("impact %s x urgency %s = %s", (impact, urgency, expected) => {
    expect(priorityOf(impact, urgency)).toBe(expected);
  });

  it("covers every impact/urgency combination exactly once", () => {
    const seen = new Set(cells.map(([i, u]) => `${i}/${u}`));
    expect(seen.size).toBe(Object.values(Impact).length * Object.values(Urgency).length);
  });

  it("rejects values outside the enums", () => {
    expect(() => priorityOf("SEVERE" as Impact, Urgency.HIGH)).toThrow(RangeError);
    expect(() => priorityOf(Impact.HIGH, "NOW" as Urgency)).toThrow(RangeError);
  });
});

describe("isMajor", () => {
  it.each([
    [Priority.P1, true],
    [Priority.P2, false],
    [Priority.P3, false],
    [Priority.P4, false],
  ])("%s -> %s", (p, expected) => {
    expect(isMajor(p)).toBe(expected);
  });
});

describe("publicImpactOf", () => {
  it.each([
    [Priority.P1, StatusIndicator.CRITICAL],
    [Priority.P2, StatusIndicator.MAJOR],
    [Priority.P3, StatusIndicator.MINOR],
    [Priority.P4, StatusIndicator.MINOR],
  ])("%s -> %s", (p, expected) => {
    expect(publicImpactOf(p)).toBe(expected);
  });
});
