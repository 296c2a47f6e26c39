import { describe, expect, it } from "vitest";
import {
  canLinkIncidents,
  decideProblemTransition,
  isOpenKnownError,
  PROBLEM_TRANSITIONS,
  problemNumber,
} from "../../../server/domain/problem";
import { ErrorCode, ProblemState } from "../../../server/domain/vocabulary";

const { OPEN, KNOWN_ERROR, RESOLVED, CLOSED } = ProblemState;
const ALL = [OPEN, KNOWN_ERROR, RESOLVED, CLOSED];

// Hand-written from the issue: OPEN -> KNOWN_ERROR -> RESOLVED -> CLOSED, plus resolving straight
// from OPEN and a fix that did not hold (RESOLVED -> KNOWN_ERROR).
const ALLOWED = new Set([
  "OPEN>KNOWN_ERROR",
  "OPEN>RESOLVED",
  "KNOWN_ERROR>RESOLVED",
  "RESOLVED>CLOSED",
  "RESOLVED>KNOWN_ERROR",
]);

describe("problemNumber", () => {
  it("pads to six digits", () => {
    expect(problemNumber(1)).toBe("PRB-000001");
    expect(problemNumber(1234567)).toBe("PRB-1234567");
  });
});

describe("decideProblemTransition: every from x to, with everything documented", () => {
  const pairs = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));
  it.each(pairs)("%s -> %s", (from, to) => {
    const d = decideProblemTransition({ state: from, rootCause: "leak", workaround: "restart" }, to);
    if (from === to) expect(d).toEqual({ ok: true, value: to });
    else if (ALLOWED.has(`${from}>${to}`)) expect(d).toEqual({ ok: true, value: to });
    else expect(d).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
  });

  it("the table has exactly the allowed moves", () => {
    const table = ALL.flatMap((from) => PROBLEM_TRANSITIONS[from].map((to) => `${from}>${to}`));
    expect(new Set(table)).toEqual(ALLOWED);
  });
});

describe("requirements", () => {
  it("a known error needs root cause and workaround, and names what is missing", () => {
    const d = decideProblemTransition({ state: OPEN, rootCause: null, workaround: " " }, KNOWN_ERROR);
    expect(d).toEqual({
      ok: false,
      code: ErrorCode.REQUIREMENT_NOT_MET,
      message:
        "A known error needs its root cause and a workaround; give rootCause and workaround in the same call.",
    });
    const w = decideProblemTransition({ state: OPEN, rootCause: "x", workaround: null }, KNOWN_ERROR);
    expect(w.ok ? "" : w.message).toContain("give workaround in");
  });

  it("resolving needs the root cause", () => {
    const d = decideProblemTransition({ state: KNOWN_ERROR, rootCause: "", workaround: "w" }, RESOLVED);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.REQUIREMENT_NOT_MET });
  });

  it("a closed problem never changes, and says what to do", () => {
    const d = decideProblemTransition({ state: CLOSED, rootCause: "x", workaround: "y" }, OPEN, "PRB-000003");
    expect(d.ok ? "" : d.message).toBe(
      "PRB-000003 is closed and never changes; open a new problem record instead.",
    );
  });
});

describe("linking and known errors", () => {
  it.each([
    [OPEN, true, false],
    [KNOWN_ERROR, true, true],
    [RESOLVED, true, false],
    [CLOSED, false, false],
  ])("%s: link %s, known error %s", (state, link, known) => {
    expect(canLinkIncidents(state)).toBe(link);
    expect(isOpenKnownError(state)).toBe(known);
  });
});
