import { describe, expect, it } from "vitest";
import { PublicStatus, StatusEventKind, StatusIndicator } from "../../server/domain/vocabulary";
import { INCIDENT_ACTIVITY, incidentEventOf } from "../../server/incidents/public-event";
import type { PublicIncidentView } from "../../server/incidents/public-projection";

const view = (over: Partial<PublicIncidentView> = {}): PublicIncidentView => ({
  id: "7f0d3c1e-4a55-4f5e-9d6a-0c2b9e1f3a10",
  title: "Checkout is slow",
  status: PublicStatus.INVESTIGATING,
  impact: StatusIndicator.MINOR,
  services: [],
  updates: [],
  startedAt: new Date("2026-03-02T09:00:00Z"),
  resolvedAt: null,
  postmortem: null,
  nextUpdateBy: null,
  ...over,
});

describe("incidentEventOf (which event a command on an incident publishes)", () => {
  it("publishes a completed review's public postmortem as an update of the incident", () => {
    const resolved = view({ status: PublicStatus.RESOLVED });
    const after = view({ status: PublicStatus.RESOLVED, postmortem: "What happened, for the public." });
    expect(incidentEventOf(resolved, after)).toEqual({
      kind: StatusEventKind.INCIDENT_UPDATED,
      isPublic: true,
      incident: after,
      withdrawn: false,
    });
  });

  it("keeps activity the public cannot see off the public stream", () => {
    expect(incidentEventOf(null, null)).toEqual({
      kind: INCIDENT_ACTIVITY,
      isPublic: false,
      incident: null,
      withdrawn: false,
    });
  });

  it("keeps a change that leaves the public projection as it was off the public stream", () => {
    // Same content, new objects: equality is by value (Dates included), not by identity.
    expect(incidentEventOf(view(), view())).toMatchObject({ kind: INCIDENT_ACTIVITY, isPublic: false });
  });

  it("publishes an incident that becomes visible, carrying its projection", () => {
    const after = view();
    expect(incidentEventOf(null, after)).toEqual({
      kind: StatusEventKind.INCIDENT_PUBLISHED,
      isPublic: true,
      incident: after,
      withdrawn: false,
    });
  });

  it("withdraws an incident that stops being visible, carrying nothing of it", () => {
    expect(incidentEventOf(view(), null)).toEqual({
      kind: StatusEventKind.INCIDENT_UPDATED,
      isPublic: true,
      incident: null,
      withdrawn: true,
    });
  });

  it("announces a visible change as an update", () => {
    const after = view({ title: "Checkout is slow in Europe" });
    expect(incidentEventOf(view(), after)).toEqual({
      kind: StatusEventKind.INCIDENT_UPDATED,
      isPublic: true,
      incident: after,
      withdrawn: false,
    });
    const update = {
      id: "u1",
      status: PublicStatus.IDENTIFIED,
      message: "Found it",
      at: new Date(),
      nextUpdateBy: null,
    };
    expect(incidentEventOf(view(), view({ updates: [update] })).kind).toBe(StatusEventKind.INCIDENT_UPDATED);
  });

  it("announces the move to RESOLVED as a resolution, and only that move", () => {
    const resolved = view({ status: PublicStatus.RESOLVED, resolvedAt: new Date("2026-03-02T10:00:00Z") });
    expect(incidentEventOf(view(), resolved).kind).toBe(StatusEventKind.INCIDENT_RESOLVED);
    // Already resolved: a later visible change (e.g. a new public update) is an update.
    const later = { ...resolved, title: "Checkout was slow" };
    expect(incidentEventOf(resolved, later).kind).toBe(StatusEventKind.INCIDENT_UPDATED);
    // Reopened: back from RESOLVED is an update too.
    expect(incidentEventOf(resolved, view()).kind).toBe(StatusEventKind.INCIDENT_UPDATED);
  });
});
