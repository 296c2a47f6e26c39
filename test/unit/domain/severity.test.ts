import { describe, expect, it } from "vitest";
import { priorityOf } from "../../../server/domain/priority";
import { decideSeverityChange, type SeverityFacts } from "../../../server/domain/severity";
import { ErrorCode, Impact, IncidentState, Priority, Role, Urgency } from "../../../server/domain/vocabulary";

const LEVELS = [Impact.HIGH, Impact.MEDIUM, Impact.LOW] as const;
const URGENCIES = [Urgency.HIGH, Urgency.MEDIUM, Urgency.LOW] as const;
const RANK = { HIGH: 3, MEDIUM: 2, LOW: 1 } as const;
const P_RANK = { P1: 1, P2: 2, P3: 3, P4: 4 } as const;
const ROLES = [Role.ADMIN, Role.INCIDENT_MANAGER, Role.AGENT, Role.RESPONDER];
const STATES = [
  IncidentState.NEW,
  IncidentState.ASSIGNED,
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
  IncidentState.RESOLVED,
];

function facts(over: Partial<SeverityFacts> = {}): SeverityFacts {
  const impact = over.impact ?? Impact.HIGH;
  const urgency = over.urgency ?? Urgency.HIGH;
  const p = priorityOf(impact, urgency);
  return {
    state: IncidentState.IN_PROGRESS,
    workStarted: true,
    impact,
    urgency,
    peakPriority: p,
    major: p === Priority.P1,
    ...over,
  };
}

describe("decideSeverityChange: every from x to x role x state x reason", () => {
  const cases = LEVELS.flatMap((fi) =>
    URGENCIES.flatMap((fu) =>
      LEVELS.flatMap((ti) =>
        URGENCIES.flatMap((tu) =>
          ROLES.flatMap((role) =>
            STATES.flatMap((state) =>
              [null, "overrated"].map((reason) => ({ fi, fu, ti, tu, role, state, reason })),
            ),
          ),
        ),
      ),
    ),
  );

  it("covers 9 x 9 x 4 x 5 x 2 combinations", () => {
    expect(cases).toHaveLength(3240);
  });

  it("allows or refuses exactly as the rule says, and the peak never drops", () => {
    for (const c of cases) {
      // Written independently of the implementation: lowering = either component went down.
      const lowered = RANK[c.ti] < RANK[c.fi] || RANK[c.tu] < RANK[c.fu];
      const started = c.state !== IncidentState.NEW && c.state !== IncidentState.ASSIGNED;
      const manager = c.role === Role.ADMIN || c.role === Role.INCIDENT_MANAGER;
      const f = facts({ impact: c.fi, urgency: c.fu, state: c.state, workStarted: started });
      const d = decideSeverityChange(f, { impact: c.ti, urgency: c.tu }, manager, c.reason, "INC-000001");
      if (lowered && started && !manager) {
        expect(d).toMatchObject({ ok: false, code: ErrorCode.FORBIDDEN });
      } else if (lowered && started && c.reason === null) {
        expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
      } else {
        expect(d.ok).toBe(true);
        if (!d.ok) continue;
        const now = priorityOf(c.ti, c.tu);
        expect(d.value.priority).toBe(now);
        expect(d.value.lowered).toBe(lowered);
        const was = f.peakPriority;
        expect(d.value.peakPriority).toBe(P_RANK[now] < P_RANK[was] ? now : was);
        expect(d.value.major).toBe(d.value.peakPriority === Priority.P1);
      }
    }
  });
});

describe("work started", () => {
  it("an incident returned to the help desk after work started still needs a manager to lower it", () => {
    const f = facts({ state: IncidentState.NEW, workStarted: true });
    expect(decideSeverityChange(f, { impact: Impact.LOW }, false, "x")).toMatchObject({
      ok: false,
      code: ErrorCode.FORBIDDEN,
    });
  });

  it("before work starts the owner may correct a misjudged severity without a reason", () => {
    const f = facts({ state: IncidentState.NEW, workStarted: false });
    const d = decideSeverityChange(f, { impact: Impact.LOW, urgency: Urgency.LOW }, false, null);
    expect(d).toMatchObject({
      ok: true,
      value: { priority: Priority.P4, peakPriority: Priority.P1, major: true },
    });
  });

  it("a blank reason counts as none", () => {
    const d = decideSeverityChange(facts(), { urgency: Urgency.LOW }, true, "   ");
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    if (!d.ok) expect(d.message).toContain("input.reason");
  });

  it("the refusal names who may and what to do", () => {
    const d = decideSeverityChange(facts(), { impact: Impact.LOW }, false, "x", "INC-000009");
    expect(d.ok ? "" : d.message).toBe(
      "Only an incident manager or an admin may lower the impact or urgency of INC-000009 once work has started; " +
        "ask an incident manager if it was overrated.",
    );
  });

  it("raising never needs a reason and raises the peak", () => {
    const f = facts({ impact: Impact.LOW, urgency: Urgency.LOW });
    const d = decideSeverityChange(f, { impact: Impact.HIGH }, false, null);
    expect(d).toMatchObject({
      ok: true,
      value: { priority: Priority.P3, peakPriority: Priority.P3, major: false, lowered: false },
    });
  });

  it("major stays once set even if the stored peak were lower", () => {
    const f = { ...facts({ impact: Impact.LOW, urgency: Urgency.LOW }), major: true };
    const d = decideSeverityChange(f, {}, false, null);
    expect(d).toMatchObject({ ok: true, value: { major: true } });
  });
});
