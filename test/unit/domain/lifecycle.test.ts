import { describe, expect, it } from "vitest";
import {
  availableCommands,
  COMMANDS,
  decideCommand,
  type IncidentCommand,
  isActive,
  isTerminal,
  TRANSITIONS,
} from "../../../server/domain/lifecycle";
import { ErrorCode, IncidentState } from "../../../server/domain/vocabulary";

const ALL_COMMANDS: IncidentCommand[] = [
  "update",
  "assign",
  "acknowledge",
  "startWork",
  "returnToHelpDesk",
  "hold",
  "resume",
  "resolve",
  "reopen",
  "confirmResolution",
  "close",
  "cancel",
  "addNote",
  "logContactAttempt",
  "postPublicUpdate",
  "linkProblem",
  "draftReview",
  "completeReview",
];

const ALL_STATES = [
  IncidentState.NEW,
  IncidentState.ASSIGNED,
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
  IncidentState.RESOLVED,
  IncidentState.CLOSED,
  IncidentState.CANCELED,
];

// Written by hand from DESIGN "Rules" and the brief, deliberately NOT derived from TRANSITIONS.
// "-" = stays in the same state; anything missing from a row is refused.
const DOC: Partial<Record<IncidentCommand, string>> = {
  update: "-",
  addNote: "-",
  logContactAttempt: "-",
  postPublicUpdate: "-",
  linkProblem: "-",
  draftReview: "-",
};
const EXPECTED: Record<IncidentState, Partial<Record<IncidentCommand, string>>> = {
  NEW: { ...DOC, assign: "ASSIGNED", startWork: "IN_PROGRESS", cancel: "CANCELED" },
  ASSIGNED: {
    ...DOC,
    acknowledge: "IN_PROGRESS",
    returnToHelpDesk: "NEW",
    cancel: "CANCELED",
    assign: "ASSIGNED",
  },
  IN_PROGRESS: { ...DOC, hold: "ON_HOLD", resolve: "RESOLVED", assign: "ASSIGNED", returnToHelpDesk: "NEW" },
  ON_HOLD: { ...DOC, resume: "IN_PROGRESS" },
  // A review is completed only once the incident is resolved (a draft can be written earlier).
  RESOLVED: { ...DOC, close: "CLOSED", reopen: "IN_PROGRESS", confirmResolution: "-", completeReview: "-" },
  CLOSED: {},
  CANCELED: {},
};

const pairs = ALL_STATES.flatMap((state) => ALL_COMMANDS.map((command) => [state, command] as const));

describe("decideCommand: every state x every command", () => {
  it("checks all 7 x 18 pairs", () => {
    expect(pairs).toHaveLength(126);
  });

  it.each(pairs)("%s + %s", (state, command) => {
    const expected = EXPECTED[state][command];
    const decision = decideCommand(state, command);
    if (expected === undefined) {
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      const terminal = state === IncidentState.CLOSED || state === IncidentState.CANCELED;
      expect(decision.code).toBe(terminal ? ErrorCode.INCIDENT_CLOSED : ErrorCode.INVALID_TRANSITION);
    } else {
      expect(decision).toEqual({ ok: true, value: { to: expected === "-" ? null : expected } });
    }
  });
});

describe("availableCommands", () => {
  it.each(ALL_STATES)("%s offers exactly the allowed commands", (state) => {
    expect(new Set(availableCommands(state))).toEqual(new Set(Object.keys(EXPECTED[state])));
  });

  it("offers nothing for terminal states", () => {
    expect(availableCommands(IncidentState.CLOSED)).toEqual([]);
    expect(availableCommands(IncidentState.CANCELED)).toEqual([]);
  });

  it("keeps COMMANDS order so the buttons do not jump around", () => {
    const offered = availableCommands(IncidentState.IN_PROGRESS);
    const positions = offered.map((c) => COMMANDS.indexOf(c));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe("COMMANDS and TRANSITIONS", () => {
  it("lists every command exactly once", () => {
    expect([...COMMANDS].sort()).toEqual([...ALL_COMMANDS].sort());
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL_COMMANDS].sort());
  });

  it("gives every command a distinct, non-empty button label", () => {
    const labels = ALL_COMMANDS.map((c) => TRANSITIONS[c].label);
    for (const label of labels) expect(label.trim()).not.toBe("");
    expect(new Set(labels).size).toBe(labels.length);
    expect(TRANSITIONS.resolve.label).toBe("Resolve");
  });
});

describe("refusal messages", () => {
  it("names the state, the command, where it is allowed and what to do", () => {
    const d = decideCommand(IncidentState.NEW, "resolve");
    expect(d).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
    if (d.ok) return;
    expect(d.message).toBe(
      "Cannot resolve an incident that is NEW; resolve is allowed from IN_PROGRESS. Start work first.",
    );
  });

  it("lists every allowed state", () => {
    const d = decideCommand(IncidentState.ON_HOLD, "assign");
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.message).toContain("assign is allowed from NEW, ASSIGNED or IN_PROGRESS");
    expect(d.message).toContain("Resume first.");
  });

  it("suggests the multi-step path", () => {
    const d = decideCommand(IncidentState.ON_HOLD, "completeReview");
    expect(d.ok ? "" : d.message).toContain("Resume, then resolve first.");
    const close = decideCommand(IncidentState.ON_HOLD, "close");
    expect(close.ok ? "" : close.message).toContain('"Resume", then "Resolve", then work through');
  });

  it("points at the command that does the same thing from here", () => {
    const d = decideCommand(IncidentState.RESOLVED, "resume");
    expect(d.ok ? "" : d.message).toContain("Use reopen instead.");
  });

  it("says when the incident is already in the target state", () => {
    const d = decideCommand(IncidentState.IN_PROGRESS, "acknowledge");
    expect(d.ok ? "" : d.message).toContain("It is already IN_PROGRESS.");
  });

  it("a review is completed only once resolved; the hint says so", () => {
    const d = decideCommand(IncidentState.NEW, "completeReview");
    expect(d.ok ? "" : d.message).toBe(
      "Cannot completeReview an incident that is NEW; completeReview is allowed from RESOLVED. Start work, then resolve first.",
    );
    expect(decideCommand(IncidentState.IN_PROGRESS, "draftReview").ok).toBe(true);
  });

  it("advises resolving rather than canceling once work started", () => {
    const d = decideCommand(IncidentState.IN_PROGRESS, "cancel");
    expect(d.ok ? "" : d.message).toContain("resolve it instead");
    const r = decideCommand(IncidentState.RESOLVED, "cancel");
    expect(r.ok ? "" : r.message).toContain("close it instead");
  });

  it("refuses closed incidents with INCIDENT_CLOSED and points to a follow-up", () => {
    const d = decideCommand(IncidentState.CLOSED, "reopen", "INC0042");
    expect(d).toEqual({
      ok: false,
      code: ErrorCode.INCIDENT_CLOSED,
      message:
        "INC0042 is closed and can never be reopened or changed; open a follow-up incident with openFollowUpIncident instead.",
    });
  });

  it("says canceled for canceled incidents and defaults the reference", () => {
    const d = decideCommand(IncidentState.CANCELED, "addNote");
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.code).toBe(ErrorCode.INCIDENT_CLOSED);
    expect(d.message).toMatch(/^This incident is canceled and can never/);
    expect(d.message).toContain("openFollowUpIncident");
  });

  it("every non-terminal refusal mentions its state and command (close: in the war room's words)", () => {
    for (const [state, command] of pairs) {
      const d = decideCommand(state, command);
      if (d.ok || d.code !== ErrorCode.INVALID_TRANSITION) continue;
      if (command === "close") {
        expect(d.message).toContain("cannot be closed yet");
        continue;
      }
      expect(d.message).toContain(state);
      expect(d.message).toContain(command);
      expect(d.message).toMatch(/\.$/);
    }
  });

  it("refuses an unknown command instead of crashing", () => {
    const d = decideCommand(IncidentState.NEW, "explode" as IncidentCommand);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
  });
});

describe("isTerminal / isActive", () => {
  it.each([
    [IncidentState.NEW, false, true],
    [IncidentState.ASSIGNED, false, true],
    [IncidentState.IN_PROGRESS, false, true],
    [IncidentState.ON_HOLD, false, true],
    [IncidentState.RESOLVED, false, false],
    [IncidentState.CLOSED, true, false],
    [IncidentState.CANCELED, true, false],
  ])("%s: terminal=%s active=%s", (state, terminal, active) => {
    expect(isTerminal(state)).toBe(terminal);
    expect(isActive(state)).toBe(active);
  });
});

describe("closing before resolving", () => {
  it("says what to do in the war room's words, not API names", () => {
    const d = decideCommand(IncidentState.IN_PROGRESS, "close", "INC-000007");
    expect(d).toEqual({
      ok: false,
      code: ErrorCode.INVALID_TRANSITION,
      message:
        'INC-000007 cannot be closed yet: it is in progress, and an incident is closed only after it is resolved. "Resolve", then work through the closure checklist.',
    });
    const fromNew = decideCommand(IncidentState.NEW, "close");
    expect(fromNew.ok ? "" : fromNew.message).toContain('"Start work", then "Resolve", then work through');
    const onHold = decideCommand(IncidentState.ON_HOLD, "close");
    expect(onHold.ok ? "" : onHold.message).not.toMatch(/resolveIncident|close is allowed|ON_HOLD/);
  });
});
