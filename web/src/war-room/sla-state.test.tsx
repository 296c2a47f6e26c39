import { describe, expect, it } from "vitest";
import { Role, RoomRole } from "../../../server/domain/vocabulary";
import {
  cadenceNoteView,
  cadenceOwner,
  cadenceView,
  SETTLED_CLOCK,
  type SlaClockData,
  slaClockView,
  spanWords,
} from "./sla-state";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const running = (dueInMs: number, over: Partial<SlaClockData> = {}): SlaClockData => ({
  ...SETTLED_CLOCK,
  metAt: null,
  targetSeconds: 3600,
  dueAt: new Date(NOW + dueInMs).toISOString(),
  ...over,
});

describe("slaClockView", () => {
  it("green while well ahead, amber in the last quarter (or once warned), red once due", () => {
    expect(slaClockView(running(30 * 60_000), NOW)).toMatchObject({
      phase: "running",
      tone: "ok",
      text: "due in 30 min",
    });
    expect(slaClockView(running(14 * 60_000), NOW)).toMatchObject({ phase: "warned", tone: "minor" });
    expect(slaClockView(running(40 * 60_000, { warned: true }), NOW).phase).toBe("warned");
    expect(slaClockView(running(0), NOW)).toMatchObject({
      phase: "breached",
      tone: "critical",
      text: "breached 0 s ago",
    });
    expect(slaClockView(running(-125_000), NOW).text).toBe("breached 2 min ago");
  });
  it("paused shows the time on hold; met says whether it was late", () => {
    expect(
      slaClockView({ ...running(0), paused: true, dueAt: null, pausedForSeconds: 3900 }, NOW),
    ).toMatchObject({
      phase: "paused",
      text: "paused (on hold 1 h 5 min)",
    });
    // With the hold's start, the time on hold counts on with `now` (wall-clock time).
    const held = { ...running(0), paused: true, dueAt: null, pausedForSeconds: 0 };
    const since = new Date(NOW - 65 * 60_000).toISOString();
    expect(slaClockView({ ...held, pausedSince: since }, NOW).text).toBe("paused (on hold 1 h 5 min)");
    expect(slaClockView({ ...held, pausedSince: since }, NOW + 60_000).text).toBe(
      "paused (on hold 1 h 6 min)",
    );
    expect(slaClockView({ ...held, pausedSince: new Date(NOW).toISOString() }, NOW + 42_000).text).toBe(
      "paused (on hold 42 s)",
    );
    expect(slaClockView(held, NOW).text).toBe("paused");
    expect(slaClockView(SETTLED_CLOCK, NOW)).toMatchObject({ phase: "met", text: "met" });
    expect(slaClockView({ ...SETTLED_CLOCK, breached: true }, NOW)).toMatchObject({
      phase: "met",
      text: "met late",
    });
  });
});

describe("cadenceView", () => {
  it("says when the next public update is due or how late it is", () => {
    expect(cadenceView(null, NOW)).toBeNull();
    expect(cadenceView(new Date(NOW + 12 * 60_000).toISOString(), NOW)).toEqual({
      overdue: false,
      text: "next public update due in 12 min",
    });
    expect(cadenceView(new Date(NOW - 3 * 60_000).toISOString(), NOW)).toEqual({
      overdue: true,
      text: "public update overdue by 3 min",
    });
    expect(spanWords(26 * 3600_000)).toBe("1 d 2 h");
  });
});

describe("the cadence line, for whom", () => {
  const lead = { id: "u-lead", name: "Casey Comms" };
  const assignee = { id: "u-assignee", name: "Alex Assignee" };
  const withLead = {
    roomRoles: [
      { role: RoomRole.INCIDENT_COMMANDER, user: assignee },
      { role: RoomRole.COMMUNICATIONS_LEAD, user: lead },
    ],
    assignee,
  };
  it("the owner: the communications lead, else the assignee, else the incident managers", () => {
    expect(cadenceOwner(withLead, { id: lead.id, role: Role.RESPONDER })).toEqual({
      mine: true,
      ownerName: "Casey Comms",
      ownerTitle: "Casey Comms (communications lead) posts the public updates",
    });
    expect(cadenceOwner(withLead, { id: assignee.id, role: Role.INCIDENT_MANAGER })).toMatchObject({
      mine: false,
    });
    const noLead = { roomRoles: [{ role: RoomRole.COMMUNICATIONS_LEAD, user: null }], assignee };
    expect(cadenceOwner(noLead, { id: assignee.id, role: Role.RESPONDER })).toMatchObject({
      mine: true,
      ownerName: "Alex Assignee",
      ownerTitle: "Alex Assignee (assignee) posts the public updates",
    });
    const nobody = { roomRoles: [], assignee: null };
    expect(cadenceOwner(nobody, { id: "u-im", role: Role.INCIDENT_MANAGER })).toMatchObject({
      mine: true,
      ownerName: "incident managers",
    });
    expect(cadenceOwner(nobody, { id: "u-admin", role: Role.ADMIN }).mine).toBe(false);
  });
  it("the owner sees the countdown; everyone else only an overdue update, naming whose it is", () => {
    const soon = new Date(NOW + 12 * 60_000).toISOString();
    const late = new Date(NOW - 3 * 60_000).toISOString();
    const mine = { mine: true, ownerName: "Casey Comms" };
    const theirs = { ...mine, mine: false };
    expect(cadenceNoteView(soon, NOW, mine)).toEqual({
      overdue: false,
      mine: true,
      tone: "maintenance",
      text: "next public update due in 12 min (yours)",
    });
    expect(cadenceNoteView(soon, NOW, theirs)).toBeNull();
    expect(cadenceNoteView(late, NOW, mine)).toMatchObject({ overdue: true, tone: "critical" });
    expect(cadenceNoteView(late, NOW, theirs)).toEqual({
      overdue: true,
      mine: false,
      tone: "critical",
      text: "public update overdue by 3 min (Casey Comms)",
    });
    expect(cadenceNoteView(null, NOW, mine)).toBeNull();
  });
});
