import { describe, expect, it } from "vitest";
import {
  commandForUpdateState,
  coveredMs,
  decideMaintenanceCommand,
  decideWindowEdit,
  dueAutoStep,
  durationMinutes,
  MAINTENANCE_TRANSITIONS,
  type MaintenanceCommand,
  MaintenanceState,
  maintenanceOverlaps,
  rangesOverlap,
  reminderDue,
  reminderTimes,
  restoreDecision,
  START_GRACE_MS,
  validateNewWindow,
} from "../../../server/domain/maintenance";
import { ErrorCode } from "../../../server/domain/vocabulary";

const { SCHEDULED, IN_PROGRESS, VERIFYING, COMPLETED, CANCELED } = MaintenanceState;
const ALL = [SCHEDULED, IN_PROGRESS, VERIFYING, COMPLETED, CANCELED];
const COMMANDS: MaintenanceCommand[] = ["start", "verify", "complete", "cancel", "edit", "postUpdate"];

// Hand-written from the issue (Statuspage's vocabulary): SCHEDULED -> IN_PROGRESS -> VERIFYING ->
// COMPLETED, completing straight from IN_PROGRESS, cancelling anything not final; edits and updates
// while not final.
const ALLOWED = new Set([
  "SCHEDULED:start",
  "IN_PROGRESS:verify",
  "IN_PROGRESS:complete",
  "VERIFYING:complete",
  "SCHEDULED:cancel",
  "IN_PROGRESS:cancel",
  "VERIFYING:cancel",
  "SCHEDULED:edit",
  "IN_PROGRESS:edit",
  "VERIFYING:edit",
  "SCHEDULED:postUpdate",
  "IN_PROGRESS:postUpdate",
  "VERIFYING:postUpdate",
]);

const T = (iso: string) => new Date(iso);
const NOW = T("2026-03-01T12:00:00Z");
const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";
const KNOWN = new Set([A, B]);

describe("decideMaintenanceCommand: every state x command", () => {
  const pairs = ALL.flatMap((s) => COMMANDS.map((c) => [s, c] as const));
  it.each(pairs)("%s %s", (state, command) => {
    const d = decideMaintenanceCommand(state, command);
    if (ALLOWED.has(`${state}:${command}`)) {
      expect(d).toEqual({ ok: true, value: MAINTENANCE_TRANSITIONS[command].to });
    } else {
      expect(d).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
      if (!d.ok) expect(d.message.length).toBeGreaterThan(20);
    }
  });

  it("refuses cancelling a completed window, saying why", () => {
    const d = decideMaintenanceCommand(COMPLETED, "cancel");
    expect(d).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
    if (!d.ok) expect(d.message).toMatch(/already completed/);
  });

  it("leads to the states of the lifecycle", () => {
    expect(MAINTENANCE_TRANSITIONS.start.to).toBe(IN_PROGRESS);
    expect(MAINTENANCE_TRANSITIONS.verify.to).toBe(VERIFYING);
    expect(MAINTENANCE_TRANSITIONS.complete.to).toBe(COMPLETED);
    expect(MAINTENANCE_TRANSITIONS.cancel.to).toBe(CANCELED);
    expect(MAINTENANCE_TRANSITIONS.edit.to).toBeNull();
    expect(MAINTENANCE_TRANSITIONS.postUpdate.to).toBeNull();
  });
});

describe("commandForUpdateState", () => {
  it.each([
    [SCHEDULED, undefined, "postUpdate"],
    [SCHEDULED, SCHEDULED, "postUpdate"],
    [IN_PROGRESS, IN_PROGRESS, "postUpdate"],
    [SCHEDULED, IN_PROGRESS, "start"],
    [IN_PROGRESS, VERIFYING, "verify"],
    [IN_PROGRESS, COMPLETED, "complete"],
    [VERIFYING, COMPLETED, "complete"],
  ] as const)("%s + update(%s) is %s", (current, requested, command) => {
    expect(commandForUpdateState(current, requested)).toEqual({ ok: true, value: command });
  });
  it("sends cancellations to cancelMaintenance (a reason is needed)", () => {
    expect(commandForUpdateState(SCHEDULED, CANCELED)).toMatchObject({
      ok: false,
      code: ErrorCode.BAD_USER_INPUT,
    });
  });
  it("never goes back to scheduled", () => {
    expect(commandForUpdateState(IN_PROGRESS, SCHEDULED)).toMatchObject({
      ok: false,
      code: ErrorCode.INVALID_TRANSITION,
    });
  });
});

describe("validateNewWindow", () => {
  const ok = {
    scheduledStart: T("2026-03-02T10:00:00Z"),
    scheduledEnd: T("2026-03-02T12:00:00Z"),
    serviceIds: [A, A, B],
  };
  it("accepts a future window and de-duplicates services", () => {
    expect(validateNewWindow(ok, KNOWN, NOW)).toEqual({
      ok: true,
      value: { scheduledStart: ok.scheduledStart, scheduledEnd: ok.scheduledEnd, serviceIds: [A, B] },
    });
  });
  it("refuses an end not after the start, naming both fields", () => {
    for (const end of [ok.scheduledStart, T("2026-03-02T09:00:00Z")]) {
      const d = validateNewWindow({ ...ok, scheduledEnd: end }, KNOWN, NOW);
      expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
      if (!d.ok) expect(d.message).toMatch(/scheduledEnd .* must be after scheduledStart/);
    }
  });
  it("refuses a start in the past, with a small grace for submitting the form", () => {
    const past = validateNewWindow(
      { ...ok, scheduledStart: new Date(NOW.getTime() - START_GRACE_MS - 1) },
      KNOWN,
      NOW,
    );
    expect(past).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    if (!past.ok) expect(past.message).toMatch(/scheduledStart .* in the past/);
    expect(
      validateNewWindow({ ...ok, scheduledStart: new Date(NOW.getTime() - START_GRACE_MS) }, KNOWN, NOW).ok,
    ).toBe(true);
    expect(validateNewWindow({ ...ok, scheduledStart: NOW }, KNOWN, NOW).ok).toBe(true);
  });
  it("needs at least one service, all known", () => {
    const none = validateNewWindow({ ...ok, serviceIds: [] }, KNOWN, NOW);
    expect(none).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    if (!none.ok) expect(none.message).toMatch(/serviceIds is empty/);
    const unknown = "33333333-3333-4333-8333-333333333333";
    const d = validateNewWindow({ ...ok, serviceIds: [A, unknown] }, KNOWN, NOW);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    if (!d.ok) expect(d.message).toContain(unknown);
  });
  it("refuses invalid dates", () => {
    expect(validateNewWindow({ ...ok, scheduledStart: new Date(Number.NaN) }, KNOWN, NOW).ok).toBe(false);
    expect(validateNewWindow({ ...ok, scheduledEnd: new Date(Number.NaN) }, KNOWN, NOW).ok).toBe(false);
  });
  it("keeps the real duration of a window across a daylight-saving change", () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local (01:00Z): 01:00-04:00 local
    // is 23:00Z-03:00Z, four real hours though the wall clock shows three.
    const start = T("2026-10-24T23:00:00Z");
    const end = T("2026-10-25T03:00:00Z");
    const d = validateNewWindow({ scheduledStart: start, scheduledEnd: end, serviceIds: [A] }, KNOWN, NOW);
    expect(d.ok).toBe(true);
    if (d.ok) expect(durationMinutes(d.value)).toBe(240);
    const local = (x: Date) =>
      x.toLocaleTimeString("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" });
    expect([local(start), local(end)]).toEqual(["01:00", "04:00"]);
  });
});

describe("decideWindowEdit", () => {
  const scheduled = {
    state: SCHEDULED,
    scheduledStart: T("2026-03-02T10:00:00Z"),
    scheduledEnd: T("2026-03-02T12:00:00Z"),
    serviceIds: [A],
  };
  it("moving only the start of a scheduled window moves its end by the same real time", () => {
    const d = decideWindowEdit(scheduled, { scheduledStart: T("2026-03-03T08:30:00Z") }, KNOWN, NOW);
    expect(d).toEqual({
      ok: true,
      value: {
        scheduledStart: T("2026-03-03T08:30:00Z"),
        scheduledEnd: T("2026-03-03T10:30:00Z"),
        serviceIds: [A],
        startIgnored: false,
      },
    });
  });
  it("moving a window across a daylight-saving change keeps its real duration", () => {
    // 2 h before the US change (2026-03-08 02:00 local in New York), moved one week on.
    const before = {
      ...scheduled,
      scheduledStart: T("2026-03-07T15:00:00Z"), // 10:00 EST
      scheduledEnd: T("2026-03-07T17:00:00Z"),
    };
    const d = decideWindowEdit(before, { scheduledStart: T("2026-03-14T14:00:00Z") }, KNOWN, NOW); // 10:00 EDT
    expect(d.ok).toBe(true);
    if (d.ok) {
      expect(durationMinutes(d.value)).toBe(120);
      const ny = (x: Date) =>
        x.toLocaleTimeString("en-US", { timeZone: "America/New_York", hour: "2-digit", hour12: false });
      expect([ny(d.value.scheduledStart), ny(d.value.scheduledEnd)]).toEqual(["10", "12"]);
    }
  });
  it("changes both times and services of a scheduled window", () => {
    const d = decideWindowEdit(
      scheduled,
      { scheduledStart: T("2026-03-05T10:00:00Z"), scheduledEnd: T("2026-03-05T11:00:00Z"), serviceIds: [B] },
      KNOWN,
      NOW,
    );
    expect(d).toMatchObject({ ok: true, value: { serviceIds: [B] } });
  });
  it("refuses a scheduled window moved into the past or ending before it starts", () => {
    expect(
      decideWindowEdit(scheduled, { scheduledStart: T("2026-02-01T10:00:00Z") }, KNOWN, NOW),
    ).toMatchObject({
      ok: false,
      code: ErrorCode.BAD_USER_INPUT,
    });
    expect(
      decideWindowEdit(scheduled, { scheduledEnd: T("2026-03-02T09:00:00Z") }, KNOWN, NOW),
    ).toMatchObject({
      ok: false,
      code: ErrorCode.BAD_USER_INPUT,
    });
  });
  it("a scheduled window whose start is already past (but not started) may keep its start", () => {
    const late = { ...scheduled, scheduledStart: T("2026-03-01T11:00:00Z") };
    expect(decideWindowEdit(late, { scheduledEnd: T("2026-03-01T14:00:00Z") }, KNOWN, NOW).ok).toBe(true);
    expect(
      decideWindowEdit(
        late,
        { scheduledStart: late.scheduledStart, scheduledEnd: T("2026-03-01T14:00:00Z") },
        KNOWN,
        NOW,
      ).ok,
    ).toBe(true);
  });
  it("editing the times of an in-progress window moves only its end", () => {
    for (const state of [IN_PROGRESS, VERIFYING]) {
      const running = { ...scheduled, state, scheduledStart: T("2026-03-01T11:00:00Z") };
      const d = decideWindowEdit(
        running,
        { scheduledStart: T("2026-03-01T13:00:00Z"), scheduledEnd: T("2026-03-01T15:00:00Z") },
        KNOWN,
        NOW,
      );
      expect(d).toEqual({
        ok: true,
        value: {
          scheduledStart: T("2026-03-01T11:00:00Z"),
          scheduledEnd: T("2026-03-01T15:00:00Z"),
          serviceIds: [A],
          startIgnored: true,
        },
      });
      // The end still has to come after the (kept) start.
      expect(
        decideWindowEdit(running, { scheduledEnd: T("2026-03-01T10:00:00Z") }, KNOWN, NOW),
      ).toMatchObject({
        ok: false,
        code: ErrorCode.BAD_USER_INPUT,
      });
      // Its services are under maintenance already.
      expect(decideWindowEdit(running, { serviceIds: [A, B] }, KNOWN, NOW)).toMatchObject({
        ok: false,
        code: ErrorCode.INVALID_TRANSITION,
      });
      expect(decideWindowEdit(running, { serviceIds: [A] }, KNOWN, NOW).ok).toBe(true);
    }
  });
  it("refuses unknown or no services", () => {
    expect(decideWindowEdit(scheduled, { serviceIds: [] }, KNOWN, NOW)).toMatchObject({
      ok: false,
      code: ErrorCode.BAD_USER_INPUT,
    });
    expect(
      decideWindowEdit(scheduled, { serviceIds: ["33333333-3333-4333-8333-333333333333"] }, KNOWN, NOW),
    ).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
  });
  it("refuses any edit of a final window", () => {
    for (const state of [COMPLETED, CANCELED]) {
      expect(
        decideWindowEdit({ ...scheduled, state }, { scheduledEnd: T("2026-03-09T00:00:00Z") }, KNOWN, NOW),
      ).toMatchObject({ ok: false, code: ErrorCode.INVALID_TRANSITION });
    }
  });
});

describe("dueAutoStep", () => {
  const w = {
    autoTransition: true,
    scheduledStart: T("2026-03-01T12:00:00Z"),
    scheduledEnd: T("2026-03-01T13:00:00Z"),
  };
  it.each([
    [SCHEDULED, "2026-03-01T11:59:59Z", null],
    [SCHEDULED, "2026-03-01T12:00:00Z", "start"],
    [SCHEDULED, "2026-03-01T14:00:00Z", "start"], // missed while down: started at the next start
    [IN_PROGRESS, "2026-03-01T12:59:59Z", null],
    [IN_PROGRESS, "2026-03-01T13:00:00Z", "complete"],
    [VERIFYING, "2026-03-02T00:00:00Z", "complete"],
    [COMPLETED, "2026-03-02T00:00:00Z", null],
    [CANCELED, "2026-03-01T12:30:00Z", null],
  ] as const)("%s at %s: %s", (state, now, step) => {
    expect(dueAutoStep({ ...w, state }, T(now))).toBe(step);
  });
  it("does nothing when autoTransition is off", () => {
    expect(
      dueAutoStep({ ...w, state: SCHEDULED, autoTransition: false }, T("2026-03-02T00:00:00Z")),
    ).toBeNull();
  });
});

describe("restoreDecision", () => {
  it("restores the previous status when nobody touched the service", () => {
    expect(
      restoreDecision(
        { previousStatus: "DEGRADED_PERFORMANCE", versionAfterStart: 4 },
        { status: "UNDER_MAINTENANCE", version: 4 },
      ),
    ).toEqual({ restore: true, to: "DEGRADED_PERFORMANCE" });
  });
  it("leaves a service alone that someone changed during the window", () => {
    expect(
      restoreDecision(
        { previousStatus: "OPERATIONAL", versionAfterStart: 4 },
        { status: "MAJOR_OUTAGE", version: 5 },
      ),
    ).toMatchObject({ restore: false });
    // Changed and changed back is still a change by someone: leave it.
    expect(
      restoreDecision(
        { previousStatus: "OPERATIONAL", versionAfterStart: 4 },
        { status: "UNDER_MAINTENANCE", version: 6 },
      ),
    ).toMatchObject({ restore: false });
  });
  it("leaves a service alone that the window did not change", () => {
    expect(
      restoreDecision(
        { previousStatus: null, versionAfterStart: null },
        { status: "UNDER_MAINTENANCE", version: 2 },
      ),
    ).toMatchObject({ restore: false });
  });
});

describe("reminders", () => {
  const start = T("2026-03-03T12:00:00Z");
  it("computes the lead times still ahead, earliest first, without duplicates", () => {
    expect(reminderTimes(start, [60, 1440, 60, 0, -5], NOW)).toEqual([
      { leadMinutes: 1440, at: T("2026-03-02T12:00:00Z") },
      { leadMinutes: 60, at: T("2026-03-03T11:00:00Z") },
    ]);
    // A window two hours ahead gets only the 1 h reminder.
    expect(reminderTimes(T("2026-03-01T14:00:00Z"), [1440, 60], NOW)).toEqual([
      { leadMinutes: 60, at: T("2026-03-01T13:00:00Z") },
    ]);
  });
  it("is due only for the start it was computed for, while still scheduled and ahead", () => {
    const w = { state: SCHEDULED, scheduledStart: start };
    expect(reminderDue(w, start, NOW)).toBe(true);
    expect(reminderDue(w, T("2026-03-04T12:00:00Z"), NOW)).toBe(false); // moved
    expect(reminderDue({ ...w, state: CANCELED }, start, NOW)).toBe(false);
    expect(reminderDue({ ...w, state: IN_PROGRESS }, start, NOW)).toBe(false);
    expect(reminderDue(w, start, T("2026-03-03T12:00:00Z"))).toBe(false); // too late
  });
});

describe("rangesOverlap and coveredMs", () => {
  const r = (a: string, b: string) => ({ scheduledStart: T(a), scheduledEnd: T(b) });
  it("overlap needs a shared instant; touching ends do not overlap", () => {
    expect(
      rangesOverlap(r("2026-03-01T10:00Z", "2026-03-01T12:00Z"), r("2026-03-01T11:00Z", "2026-03-01T13:00Z")),
    ).toBe(true);
    expect(
      rangesOverlap(r("2026-03-01T10:00Z", "2026-03-01T12:00Z"), r("2026-03-01T12:00Z", "2026-03-01T13:00Z")),
    ).toBe(false);
    expect(
      rangesOverlap(r("2026-03-01T10:00Z", "2026-03-01T14:00Z"), r("2026-03-01T11:00Z", "2026-03-01T12:00Z")),
    ).toBe(true);
  });
  it("counts overlapping windows once and clips to the range", () => {
    const w = [
      { from: 0, to: 10 },
      { from: 5, to: 15 },
      { from: 20, to: 30 },
      { from: 40, to: 50 },
    ];
    expect(coveredMs(w, 0, 100)).toBe(15 + 10 + 10);
    expect(coveredMs(w, 8, 25)).toBe(7 + 5);
    expect(coveredMs([], 0, 100)).toBe(0);
    expect(coveredMs(w, 60, 100)).toBe(0);
  });
});

describe("maintenanceOverlaps (warnings for the war room)", () => {
  const t = (h: number) => new Date(Date.UTC(2030, 0, 1, h));
  const now = t(0);
  const planned = { serviceIds: ["api", "db"], scheduledStart: t(10), scheduledEnd: t(12) };
  const win = (
    id: string,
    from: number,
    to: number,
    state = MaintenanceState.SCHEDULED,
    serviceIds = ["web"],
  ) => ({
    id,
    title: id,
    state,
    serviceIds,
    scheduledStart: t(from),
    scheduledEnd: t(to),
  });

  it("names an open incident on a shared service, with the shared services", () => {
    const found = maintenanceOverlaps(
      planned,
      {
        windows: [],
        openIncidents: [
          { id: "i1", title: "DB slow", serviceIds: ["db", "web"] },
          { id: "i2", title: "Web", serviceIds: ["web"] },
        ],
      },
      now,
    );
    expect(found).toEqual([{ kind: "incident", id: "i1", title: "DB slow", sharedServiceIds: ["db"] }]);
  });

  it("ignores incidents for a window already over", () => {
    const over = { ...planned, scheduledStart: t(0), scheduledEnd: t(1) };
    expect(
      maintenanceOverlaps(
        over,
        { windows: [], openIncidents: [{ id: "i1", title: "x", serviceIds: ["api"] }] },
        t(2),
      ),
    ).toEqual([]);
  });

  it("names active windows whose times overlap, not touching, finished or itself", () => {
    const found = maintenanceOverlaps(
      { ...planned, id: "self" },
      {
        windows: [
          win("overlap", 11, 13, MaintenanceState.SCHEDULED, ["api"]),
          win("running", 9, 11, MaintenanceState.IN_PROGRESS),
          win("touching", 12, 13),
          win("cancelled", 10, 12, MaintenanceState.CANCELED),
          win("self", 10, 12),
        ],
        openIncidents: [],
      },
      now,
    );
    expect(found.map((f) => [f.id, f.sharedServiceIds])).toEqual([
      ["overlap", ["api"]],
      ["running", []],
    ]);
  });
});
