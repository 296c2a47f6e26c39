import { describe, expect, it } from "vitest";
import {
  DEFAULT_RECENT_DAYS,
  decidePublicStatus,
  decideServiceImpacts,
  describeImpacts,
  holdsServices,
  IMPACT_STATUSES,
  isRecentlyResolved,
  MAX_NEXT_UPDATE_HOURS,
  planImpactMoves,
  planServiceStatuses,
  publicImpactFor,
  publicResolvedAt,
  publicTitleOf,
  recentCutoff,
  releasedStatus,
  suggestedClosingMessage,
  validateNextUpdateBy,
  worseStatus,
} from "../../../server/domain/public-story";
import {
  ErrorCode,
  IncidentState,
  Priority,
  PublicStatus,
  ServiceStatus,
  StatusIndicator,
} from "../../../server/domain/vocabulary";
import { itemAt } from "../../support/item-at";

const S = ServiceStatus;
const A = "00000000-0000-0000-0000-00000000000a";
const B = "00000000-0000-0000-0000-00000000000b";

describe("decideServiceImpacts", () => {
  it("no impacts change nothing, public or not", () => {
    for (const isPublic of [true, false]) {
      expect(decideServiceImpacts({ [A]: S.MAJOR_OUTAGE }, null, isPublic)).toEqual({
        ok: true,
        value: { impacts: { [A]: S.MAJOR_OUTAGE }, changed: [] },
      });
      expect(decideServiceImpacts({}, [], isPublic).ok).toBe(true);
    }
  });

  it("records each impact of a public incident", () => {
    const d = decideServiceImpacts(
      {},
      [
        { serviceId: A, status: S.MAJOR_OUTAGE },
        { serviceId: B, status: S.DEGRADED_PERFORMANCE },
      ],
      true,
    );
    expect(d).toEqual({
      ok: true,
      value: {
        impacts: { [A]: S.MAJOR_OUTAGE, [B]: S.DEGRADED_PERFORMANCE },
        changed: [
          { serviceId: A, status: S.MAJOR_OUTAGE },
          { serviceId: B, status: S.DEGRADED_PERFORMANCE },
        ],
      },
    });
  });

  it.each(IMPACT_STATUSES)("accepts %s", (status) => {
    expect(decideServiceImpacts({}, [{ serviceId: A, status }], true).ok).toBe(true);
  });

  it("refuses impacts on an incident that is not on the status page, saying what to do", () => {
    const d = decideServiceImpacts({}, [{ serviceId: A, status: S.MAJOR_OUTAGE }], false, "INC-000007");
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(d.message).toMatch(/^INC-000007 is not on the status page.*Publish it/);
    }
  });

  it("refuses maintenance as an incident's impact", () => {
    const d = decideServiceImpacts({}, [{ serviceId: A, status: S.UNDER_MAINTENANCE }], true);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    if (!d.ok) expect(d.message).toContain("planned work");
  });

  it("refuses the same service twice", () => {
    const d = decideServiceImpacts(
      {},
      [
        { serviceId: A, status: S.MAJOR_OUTAGE },
        { serviceId: A, status: S.PARTIAL_OUTAGE },
      ],
      true,
    );
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
  });

  it("an update changes only what differs", () => {
    const d = decideServiceImpacts(
      { [A]: S.MAJOR_OUTAGE, [B]: S.PARTIAL_OUTAGE },
      [
        { serviceId: A, status: S.MAJOR_OUTAGE },
        { serviceId: B, status: S.DEGRADED_PERFORMANCE },
      ],
      true,
    );
    expect(d.ok && d.value).toEqual({
      impacts: { [A]: S.MAJOR_OUTAGE, [B]: S.DEGRADED_PERFORMANCE },
      changed: [{ serviceId: B, status: S.DEGRADED_PERFORMANCE }],
    });
  });

  it("OPERATIONAL in an update means recovered: the service leaves the impacts", () => {
    const d = decideServiceImpacts(
      { [A]: S.MAJOR_OUTAGE, [B]: S.PARTIAL_OUTAGE },
      [{ serviceId: B, status: S.OPERATIONAL }],
      true,
    );
    expect(d.ok && d.value).toEqual({
      impacts: { [A]: S.MAJOR_OUTAGE },
      changed: [{ serviceId: B, status: S.OPERATIONAL }],
    });
  });

  it("OPERATIONAL for a service it never impacted changes nothing", () => {
    const d = decideServiceImpacts({}, [{ serviceId: A, status: S.OPERATIONAL }], true);
    expect(d.ok && d.value).toEqual({ impacts: {}, changed: [] });
  });

  it("refuses new impacts on a resolved incident, saying to reopen it", () => {
    const d = decideServiceImpacts(
      { [A]: S.MAJOR_OUTAGE },
      [{ serviceId: A, status: S.PARTIAL_OUTAGE }],
      true,
      "INC-000003",
      IncidentState.RESOLVED,
    );
    expect(d).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
    if (!d.ok) expect(d.message).toMatch(/^INC-000003 is resolved.*reopen the incident/);
  });

  it("lets a resolved incident mark a service recovered, and works in every open state", () => {
    const recovered = decideServiceImpacts(
      { [A]: S.MAJOR_OUTAGE },
      [{ serviceId: A, status: S.OPERATIONAL }],
      true,
      "INC-000003",
      IncidentState.RESOLVED,
    );
    expect(recovered.ok && recovered.value.impacts).toEqual({});
    for (const state of [IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD]) {
      expect(decideServiceImpacts({}, [{ serviceId: A, status: S.MAJOR_OUTAGE }], true, "x", state).ok).toBe(
        true,
      );
    }
  });

  it("does not modify the map it was given", () => {
    const current = { [A]: S.MAJOR_OUTAGE };
    decideServiceImpacts(current, [{ serviceId: A, status: S.OPERATIONAL }], true);
    expect(current).toEqual({ [A]: S.MAJOR_OUTAGE });
  });
});

describe("worseStatus", () => {
  const order = [
    S.OPERATIONAL,
    S.UNDER_MAINTENANCE,
    S.DEGRADED_PERFORMANCE,
    S.PARTIAL_OUTAGE,
    S.MAJOR_OUTAGE,
  ];
  it("orders every pair by severity, either way round", () => {
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        const expected = order[Math.max(i, j)];
        expect(worseStatus(itemAt(order, i), itemAt(order, j))).toBe(expected);
      }
    }
  });
});

describe("releasedStatus", () => {
  it("back to operational when nothing else holds the service", () => {
    expect(releasedStatus(S.MAJOR_OUTAGE, [])).toBe(S.OPERATIONAL);
  });
  it("to the worst impact another open incident still puts on it", () => {
    expect(releasedStatus(S.MAJOR_OUTAGE, [S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE])).toBe(S.PARTIAL_OUTAGE);
  });
  it("nothing to do when it already shows that", () => {
    expect(releasedStatus(S.OPERATIONAL, [])).toBeNull();
    expect(releasedStatus(S.PARTIAL_OUTAGE, [S.PARTIAL_OUTAGE])).toBeNull();
  });
  it("leaves a service under maintenance alone", () => {
    expect(releasedStatus(S.UNDER_MAINTENANCE, [])).toBeNull();
    expect(releasedStatus(S.UNDER_MAINTENANCE, [S.MAJOR_OUTAGE])).toBeNull();
  });
});

describe("planServiceStatuses", () => {
  it("lists only real changes, sorted by service id (lock order)", () => {
    expect(
      planServiceStatuses(
        { [B]: S.OPERATIONAL, [A]: S.OPERATIONAL, c: S.MAJOR_OUTAGE },
        { [B]: S.MAJOR_OUTAGE, [A]: S.PARTIAL_OUTAGE, c: S.MAJOR_OUTAGE },
      ),
    ).toEqual([
      { serviceId: A, from: S.OPERATIONAL, to: S.PARTIAL_OUTAGE },
      { serviceId: B, from: S.OPERATIONAL, to: S.MAJOR_OUTAGE },
    ]);
  });
  it("skips null targets and unknown services", () => {
    expect(planServiceStatuses({ [A]: S.MAJOR_OUTAGE }, { [A]: null, [B]: S.MAJOR_OUTAGE })).toEqual([]);
  });
});

describe("publicImpactFor", () => {
  it.each([
    [Priority.P1, StatusIndicator.CRITICAL],
    [Priority.P2, StatusIndicator.MAJOR],
    [Priority.P3, StatusIndicator.MINOR],
    [Priority.P4, StatusIndicator.MINOR],
  ])("without service impacts, %s defaults to %s", (priority, indicator) => {
    expect(publicImpactFor({}, priority)).toBe(indicator);
  });

  it.each([
    [S.MAJOR_OUTAGE, StatusIndicator.CRITICAL],
    [S.PARTIAL_OUTAGE, StatusIndicator.MAJOR],
    [S.DEGRADED_PERFORMANCE, StatusIndicator.MINOR],
  ])("the explicit service impact %s wins over any priority: %s", (status, indicator) => {
    for (const priority of Object.values(Priority)) {
      expect(publicImpactFor({ [A]: status }, priority)).toBe(indicator);
    }
  });

  it("the worst service impact counts", () => {
    expect(publicImpactFor({ [A]: S.DEGRADED_PERFORMANCE, [B]: S.PARTIAL_OUTAGE }, Priority.P1)).toBe(
      StatusIndicator.MAJOR,
    );
  });

  it("recovered (operational) entries do not count", () => {
    expect(publicImpactFor({ [A]: S.OPERATIONAL }, Priority.P2)).toBe(StatusIndicator.MAJOR);
  });
});

describe("describeImpacts", () => {
  it("in the status page's words", () => {
    const names: Record<string, string> = { [A]: "Checkout", [B]: "Search" };
    expect(
      describeImpacts(
        [
          { serviceId: A, status: S.MAJOR_OUTAGE },
          { serviceId: B, status: S.OPERATIONAL },
        ],
        (id) => names[id] ?? `unknown service ${id}`,
      ),
    ).toBe("Checkout: Major Outage, Search: Operational");
  });
});

describe("decidePublicStatus", () => {
  const ALL = Object.values(PublicStatus);
  const RESOLVED_STATES = [IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.CANCELED];
  const WORKING_STATES = [
    IncidentState.NEW,
    IncidentState.ASSIGNED,
    IncidentState.IN_PROGRESS,
    IncidentState.ON_HOLD,
  ];

  it("a resolved incident's public entry cannot go back from Resolved", () => {
    for (const state of RESOLVED_STATES) {
      for (const next of ALL.filter((s) => s !== PublicStatus.RESOLVED)) {
        const d = decidePublicStatus(PublicStatus.RESOLVED, next, state, "INC-000003");
        expect(d.ok).toBe(false);
        if (!d.ok) {
          expect(d.code).toBe(ErrorCode.INVALID_TRANSITION);
          expect(d.message).toMatch(/^INC-000003 is resolved.*reopen the incident/);
        }
      }
    }
  });

  it("names the refused status in words", () => {
    const d = decidePublicStatus(PublicStatus.RESOLVED, PublicStatus.INVESTIGATING, IncidentState.RESOLVED);
    expect(!d.ok && d.message).toContain('cannot go back to "Investigating"');
  });

  it("a Resolved wrap-up on a resolved incident is fine", () => {
    for (const state of RESOLVED_STATES) {
      expect(decidePublicStatus(PublicStatus.RESOLVED, PublicStatus.RESOLVED, state).ok).toBe(true);
    }
  });

  it("while the incident is worked every status may follow every other", () => {
    for (const state of WORKING_STATES) {
      for (const current of [null, ...ALL]) {
        for (const next of ALL) {
          expect(decidePublicStatus(current, next, state)).toEqual({ ok: true, value: next });
        }
      }
    }
  });

  it("an active public status on a resolved incident may move on", () => {
    expect(
      decidePublicStatus(PublicStatus.MONITORING, PublicStatus.RESOLVED, IncidentState.RESOLVED).ok,
    ).toBe(true);
    expect(
      decidePublicStatus(PublicStatus.MONITORING, PublicStatus.IDENTIFIED, IncidentState.RESOLVED).ok,
    ).toBe(true);
  });
});

describe("validateNextUpdateBy", () => {
  const now = new Date("2026-03-02T12:00:00Z");
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it("is optional", () => {
    expect(validateNextUpdateBy(null, PublicStatus.INVESTIGATING, now)).toEqual({ ok: true, value: null });
    expect(validateNextUpdateBy(undefined, PublicStatus.RESOLVED, now)).toEqual({ ok: true, value: null });
  });
  it("accepts a time in the future within the limit", () => {
    expect(validateNextUpdateBy(later(30), PublicStatus.IDENTIFIED, now)).toEqual({
      ok: true,
      value: later(30),
    });
    const edge = later(MAX_NEXT_UPDATE_HOURS * 60);
    expect(validateNextUpdateBy(edge, PublicStatus.MONITORING, now).ok).toBe(true);
  });
  it.each([
    ["now", 0, "in the past"],
    ["in the past", -5, "in the past"],
    ["too far ahead", MAX_NEXT_UPDATE_HOURS * 60 + 1, "hours away"],
  ])("refuses a time %s", (_name, minutes, words) => {
    const d = validateNextUpdateBy(later(minutes), PublicStatus.INVESTIGATING, now);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    expect(!d.ok && d.message).toContain(words);
  });
  it("refuses an invalid date", () => {
    expect(validateNextUpdateBy(new Date(Number.NaN), PublicStatus.INVESTIGATING, now).ok).toBe(false);
  });
  it("a resolved update promises no further update", () => {
    const d = validateNextUpdateBy(later(30), PublicStatus.RESOLVED, now);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
  });
});

describe("publicTitleOf", () => {
  it("the public title when there is one", () => {
    expect(publicTitleOf({ title: "db-7 split brain", publicTitle: "Checkout is failing" })).toBe(
      "Checkout is failing",
    );
  });
  it("the internal title otherwise", () => {
    expect(publicTitleOf({ title: "Checkout down", publicTitle: null })).toBe("Checkout down");
    expect(publicTitleOf({ title: "Checkout down", publicTitle: "   " })).toBe("Checkout down");
  });
});

describe("suggestedClosingMessage", () => {
  it("names the affected services", () => {
    expect(suggestedClosingMessage(["Checkout"])).toContain("Checkout is working normally again");
    expect(suggestedClosingMessage(["Checkout", "Search", "API"])).toContain(
      "Checkout, Search and API are working normally again",
    );
  });
  it("reads well without services", () => {
    expect(suggestedClosingMessage([])).toMatch(/^This incident has been resolved and everything is working/);
  });
});

describe("recently resolved", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  it("default is 3 days", () => {
    expect(DEFAULT_RECENT_DAYS).toBe(3);
  });
  it.each([
    [null, false],
    [hoursAgo(0), true],
    [hoursAgo(71.9), true],
    [hoursAgo(72), false],
    [hoursAgo(500), false],
  ])("resolved at %s: %s", (at, recent) => {
    expect(isRecentlyResolved(at, now, 3)).toBe(recent);
  });
  it("the cutoff is `days` before now", () => {
    expect(recentCutoff(now, 3)).toEqual(hoursAgo(72));
  });

  it("publicResolvedAt: null while the public entry is active", () => {
    for (const status of [PublicStatus.INVESTIGATING, PublicStatus.IDENTIFIED, PublicStatus.MONITORING]) {
      expect(publicResolvedAt({ status, resolvedAt: hoursAgo(1), updates: [] })).toBeNull();
    }
  });
  it("publicResolvedAt: the resolution, else the latest Resolved update, else the closing", () => {
    const R = PublicStatus.RESOLVED;
    expect(
      publicResolvedAt({ status: R, resolvedAt: hoursAgo(5), updates: [{ status: R, at: hoursAgo(1) }] }),
    ).toEqual(hoursAgo(5));
    expect(
      publicResolvedAt({
        status: R,
        resolvedAt: null,
        updates: [
          { status: R, at: hoursAgo(9) },
          { status: PublicStatus.MONITORING, at: hoursAgo(2) },
          { status: R, at: hoursAgo(4) },
        ],
      }),
    ).toEqual(hoursAgo(4));
    expect(publicResolvedAt({ status: R, resolvedAt: null, closedAt: hoursAgo(7), updates: [] })).toEqual(
      hoursAgo(7),
    );
    expect(publicResolvedAt({ status: R, resolvedAt: null, updates: [] })).toBeNull();
  });
});

describe("holdsServices / planImpactMoves", () => {
  const open = (
    impacts: Record<string, ServiceStatus>,
    over: Partial<{ isPublic: boolean; state: IncidentState }> = {},
  ) => ({
    isPublic: true,
    state: IncidentState.IN_PROGRESS,
    impacts,
    ...over,
  });

  it("an incident holds its services while public and not resolved", () => {
    expect(holdsServices(open({}))).toBe(true);
    expect(holdsServices(open({}, { state: IncidentState.NEW }))).toBe(true);
    expect(holdsServices(open({}, { state: IncidentState.ON_HOLD }))).toBe(true);
    expect(holdsServices(open({}, { isPublic: false }))).toBe(false);
    for (const state of [IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.CANCELED]) {
      expect(holdsServices(open({}, { state }))).toBe(false);
    }
  });

  it("opening a public incident asserts every impact", () => {
    expect(planImpactMoves(null, open({ [B]: S.MAJOR_OUTAGE, [A]: S.DEGRADED_PERFORMANCE }))).toEqual({
      assert: [A, B],
      release: [],
    });
  });

  it("opening a private incident moves nothing", () => {
    expect(planImpactMoves(null, open({}, { isPublic: false }))).toEqual({ assert: [], release: [] });
  });

  it("an update asserts what changed or was named again, and releases what left", () => {
    const before = open({ [A]: S.MAJOR_OUTAGE, [B]: S.PARTIAL_OUTAGE });
    expect(planImpactMoves(before, open({ [A]: S.MAJOR_OUTAGE, [B]: S.DEGRADED_PERFORMANCE }))).toEqual({
      assert: [B],
      release: [],
    });
    expect(planImpactMoves(before, open({ [A]: S.MAJOR_OUTAGE }))).toEqual({ assert: [], release: [B] });
    expect(planImpactMoves(before, before, [A])).toEqual({ assert: [A], release: [] });
  });

  it("resolving, canceling or withdrawing releases every impact; restore: false keeps them", () => {
    const before = open({ [A]: S.MAJOR_OUTAGE, [B]: S.PARTIAL_OUTAGE });
    for (const after of [
      open(before.impacts, { state: IncidentState.RESOLVED }),
      open(before.impacts, { state: IncidentState.CANCELED }),
      open(before.impacts, { isPublic: false }),
    ]) {
      expect(planImpactMoves(before, after)).toEqual({ assert: [], release: [A, B] });
      expect(planImpactMoves(before, after, [], false)).toEqual({ assert: [], release: [] });
    }
  });

  it("reopening or publishing again asserts the impacts again", () => {
    const impacts = { [A]: S.MAJOR_OUTAGE };
    expect(planImpactMoves(open(impacts, { state: IncidentState.RESOLVED }), open(impacts))).toEqual({
      assert: [A],
      release: [],
    });
    expect(planImpactMoves(open(impacts, { isPublic: false }), open(impacts))).toEqual({
      assert: [A],
      release: [],
    });
  });

  it("nothing moves while the incident does not hold its services", () => {
    const resolved = open({ [A]: S.MAJOR_OUTAGE }, { state: IncidentState.RESOLVED });
    expect(planImpactMoves(resolved, open({}, { state: IncidentState.CLOSED }))).toEqual({
      assert: [],
      release: [],
    });
  });
});
