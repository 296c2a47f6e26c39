import { describe, expect, it } from "vitest";
import { IncidentState } from "../../../server/domain/vocabulary";
import { actionsByStage } from "./actions-by-stage";
import { availableCommands } from "./commands";

const staged = (state: IncidentState) => actionsByStage(state, availableCommands(state));

describe("actionsByStage", () => {
  it("NEW: Assign and Start work first, Cancel apart, the rest in More", () => {
    const s = staged(IncidentState.NEW);
    expect(s.primary).toEqual(["assign", "startWork"]);
    expect(s.destructive).toEqual(["cancel"]);
    expect(s.more).toContain("update");
    expect(s.more).not.toContain("cancel");
    expect(s.more).not.toContain("resolve");
  });

  it("ASSIGNED: Acknowledge first", () => {
    const s = staged(IncidentState.ASSIGNED);
    expect(s.primary).toEqual(["acknowledge"]);
    expect(s.more).toEqual(expect.arrayContaining(["assign", "returnToHelpDesk", "update"]));
    expect(s.destructive).toEqual(["cancel"]);
  });

  it("IN_PROGRESS: Resolve, Post public update, Put on hold; no Cancel at all", () => {
    const s = staged(IncidentState.IN_PROGRESS);
    expect(s.primary).toEqual(["resolve", "postPublicUpdate", "hold"]);
    expect(s.destructive).toEqual([]);
    expect(s.more).not.toContain("postPublicUpdate");
  });

  it("RESOLVED: the closure checklist's items, then Close; Reopen in More", () => {
    const s = staged(IncidentState.RESOLVED);
    expect(s.primary).toEqual([
      "confirmResolution",
      "logContactAttempt",
      "completeReview",
      "linkProblem",
      "close",
    ]);
    expect(s.more).toContain("reopen");
  });

  it("never offers composer commands as buttons, nor anything twice", () => {
    for (const state of Object.values(IncidentState)) {
      const s = staged(state);
      const all = [...s.primary, ...s.more, ...s.destructive];
      expect(new Set(all).size).toBe(all.length);
      expect(all).not.toContain("addNote");
      expect(all).not.toContain("draftReview");
      // Everything it offers is allowed by the lifecycle table.
      for (const c of all) expect(availableCommands(state)).toContain(c);
    }
  });

  it("only what is allowed: a user who may not resolve gets no Resolve", () => {
    const s = actionsByStage(IncidentState.IN_PROGRESS, ["hold", "update"]);
    expect(s.primary).toEqual(["hold"]);
    expect(s.more).toEqual(["update"]);
  });

  it("finished incidents offer nothing", () => {
    for (const state of [IncidentState.CLOSED, IncidentState.CANCELED]) {
      expect(staged(state)).toEqual({ primary: [], more: [], destructive: [] });
    }
  });
});
