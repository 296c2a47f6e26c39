import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  addBusinessSeconds,
  businessSecondsBetween,
  parseBusinessHours,
  type SlaCalendar,
  zonedInstant,
} from "../../../server/domain/business-hours";
import {
  alarmDue,
  clockDueAt,
  clockState,
  DEFAULT_POLICIES,
  durationWords,
  escalationLevelDue,
  MAX_POLICY_MINUTES,
  nextDueAt,
  nextPublicUpdateDue,
  ownsPublicUpdate,
  publicUpdateOwner,
  type SlaPolicyValues,
  type StoredClock,
  validatePolicy,
} from "../../../server/domain/sla";
import { IncidentState, Priority, Role } from "../../../server/domain/vocabulary";

const hours = (spec: string) => {
  const r = parseBusinessHours(spec);
  if (!r.ok) throw new Error(r.problem);
  return r.hours;
};
const UTC: SlaCalendar = { timeZone: "UTC", holidays: [], hours: hours("09:00-17:00") };
const BERLIN: SlaCalendar = { timeZone: "Europe/Berlin", holidays: [], hours: hours("09:00-17:00") };
const NY: SlaCalendar = { timeZone: "America/New_York", holidays: [], hours: hours("09:00-17:00") };
const d = (iso: string) => new Date(iso);
const H = 3600;

// 2026-03-02 is a Monday.
describe("parseBusinessHours", () => {
  it("reads one or more windows, sorted", () => {
    expect(hours("09:00-17:00")).toEqual([{ start: 540, end: 1020 }]);
    expect(hours("13:00-17:00, 08:00-12:00")).toEqual([
      { start: 480, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(hours("00:00-24:00")).toEqual([{ start: 0, end: 1440 }]);
  });
  it("refuses overlapping, reversed, empty and malformed windows", () => {
    const bad = (spec: string) => {
      const r = parseBusinessHours(spec);
      expect(r.ok).toBe(false);
      return r.ok ? "" : r.problem;
    };
    expect(bad("09:00-13:00,12:00-17:00")).toMatch(/overlap/);
    expect(bad("09:00-17:00,09:00-17:00")).toMatch(/overlap/);
    expect(bad("17:00-09:00")).toMatch(/ends before it starts/);
    expect(bad("09:00-09:00")).toMatch(/ends before it starts/);
    expect(bad("")).toMatch(/no window/);
    expect(bad("9-17")).toMatch(/HH:MM-HH:MM/);
    expect(bad("09:60-17:00")).toMatch(/HH:MM-HH:MM/);
    expect(bad("09:00-25:00")).toMatch(/HH:MM-HH:MM/);
    expect(bad("09:00-17:00-18:00")).toMatch(/HH:MM-HH:MM/);
  });
  it("touching windows are not overlapping", () => {
    expect(hours("08:00-12:00,12:00-16:00")).toHaveLength(2);
  });
});

describe("zonedInstant", () => {
  it("maps local wall time to UTC, across DST", () => {
    // Berlin: CET (+1) in winter, CEST (+2) in summer; switch on 2026-03-29.
    expect(new Date(zonedInstant("2026-03-02", 540, "Europe/Berlin")).toISOString()).toBe(
      "2026-03-02T08:00:00.000Z",
    );
    expect(new Date(zonedInstant("2026-03-30", 540, "Europe/Berlin")).toISOString()).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    expect(new Date(zonedInstant("2026-11-02", 540, "America/New_York")).toISOString()).toBe(
      "2026-11-02T14:00:00.000Z",
    );
    expect(new Date(zonedInstant("2026-10-30", 540, "America/New_York")).toISOString()).toBe(
      "2026-10-30T13:00:00.000Z",
    );
    expect(new Date(zonedInstant("2026-03-02", 0, "UTC")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });
});

describe("businessSecondsBetween", () => {
  it("counts only the business hours of business days", () => {
    expect(businessSecondsBetween(d("2026-03-02T09:00:00Z"), d("2026-03-02T17:00:00Z"), UTC)).toBe(8 * H);
    expect(businessSecondsBetween(d("2026-03-02T08:00:00Z"), d("2026-03-02T10:00:00Z"), UTC)).toBe(1 * H);
    expect(businessSecondsBetween(d("2026-03-02T16:30:00Z"), d("2026-03-03T09:30:00Z"), UTC)).toBe(H);
    // Over a whole week: 5 x 8 h.
    expect(businessSecondsBetween(d("2026-03-02T00:00:00Z"), d("2026-03-09T00:00:00Z"), UTC)).toBe(40 * H);
  });
  it("weekends count nothing", () => {
    expect(businessSecondsBetween(d("2026-03-07T00:00:00Z"), d("2026-03-09T00:00:00Z"), UTC)).toBe(0);
    // Friday 16:00 -> Monday 10:00: 1 h + 1 h.
    expect(businessSecondsBetween(d("2026-03-06T16:00:00Z"), d("2026-03-09T10:00:00Z"), UTC)).toBe(2 * H);
  });
  it("holidays count nothing", () => {
    const cal = { ...UTC, holidays: ["2026-03-03"] };
    expect(businessSecondsBetween(d("2026-03-02T09:00:00Z"), d("2026-03-04T17:00:00Z"), cal)).toBe(16 * H);
  });
  it("several windows a day (a lunch break)", () => {
    const cal = { ...UTC, hours: hours("08:00-12:00,13:00-17:00") };
    expect(businessSecondsBetween(d("2026-03-02T11:00:00Z"), d("2026-03-02T14:00:00Z"), cal)).toBe(2 * H);
    expect(businessSecondsBetween(d("2026-03-02T00:00:00Z"), d("2026-03-03T00:00:00Z"), cal)).toBe(8 * H);
  });
  it("is measured in the calendar's zone, also across a DST change", () => {
    // Berlin 09:00-17:00 on Mon 2026-03-02 is 08:00-16:00 UTC.
    expect(businessSecondsBetween(d("2026-03-02T07:00:00Z"), d("2026-03-02T09:00:00Z"), BERLIN)).toBe(H);
    // The week over the spring-forward night still has 5 x 8 business hours.
    expect(businessSecondsBetween(d("2026-03-23T00:00:00Z"), d("2026-04-04T00:00:00Z"), BERLIN)).toBe(80 * H);
    // New York falls back on 2026-11-01: Friday 16:00 EDT -> Monday 10:00 EST is 2 business hours.
    expect(businessSecondsBetween(d("2026-10-30T20:00:00Z"), d("2026-11-02T15:00:00Z"), NY)).toBe(2 * H);
  });
  it("is 0 for an empty or reversed span, and counts whole seconds", () => {
    expect(businessSecondsBetween(d("2026-03-02T10:00:00Z"), d("2026-03-02T10:00:00Z"), UTC)).toBe(0);
    expect(businessSecondsBetween(d("2026-03-02T11:00:00Z"), d("2026-03-02T10:00:00Z"), UTC)).toBe(0);
    expect(businessSecondsBetween(d("2026-03-02T10:00:00Z"), d("2026-03-02T10:00:01.999Z"), UTC)).toBe(1);
  });
});

describe("addBusinessSeconds / addBusinessMinutes", () => {
  it("adds inside a window", () => {
    expect(addBusinessMinutes(d("2026-03-02T09:00:00Z"), 60, UTC)?.toISOString()).toBe(
      "2026-03-02T10:00:00.000Z",
    );
  });
  it("carries over the end of the day, the weekend and holidays", () => {
    expect(addBusinessMinutes(d("2026-03-02T16:30:00Z"), 60, UTC)?.toISOString()).toBe(
      "2026-03-03T09:30:00.000Z",
    );
    expect(addBusinessMinutes(d("2026-03-06T16:00:00Z"), 120, UTC)?.toISOString()).toBe(
      "2026-03-09T10:00:00.000Z",
    );
    const cal = { ...UTC, holidays: ["2026-03-09"] };
    expect(addBusinessMinutes(d("2026-03-06T16:00:00Z"), 120, cal)?.toISOString()).toBe(
      "2026-03-10T10:00:00.000Z",
    );
  });
  it("starting outside business hours starts at the next window", () => {
    expect(addBusinessMinutes(d("2026-03-07T12:00:00Z"), 30, UTC)?.toISOString()).toBe(
      "2026-03-09T09:30:00.000Z",
    );
    expect(addBusinessSeconds(d("2026-03-02T18:00:00Z"), 0, UTC)?.toISOString()).toBe(
      "2026-03-03T09:00:00.000Z",
    );
  });
  it("ends exactly at a window's end rather than the next start", () => {
    expect(addBusinessMinutes(d("2026-03-02T09:00:00Z"), 8 * 60, UTC)?.toISOString()).toBe(
      "2026-03-02T17:00:00.000Z",
    );
  });
  it("3 business days of 8 hours from Monday 10:00 is Thursday 10:00", () => {
    expect(addBusinessMinutes(d("2026-03-02T10:00:00Z"), 3 * 8 * 60, UTC)?.toISOString()).toBe(
      "2026-03-05T10:00:00.000Z",
    );
  });
  it("over a DST change in the calendar's zone", () => {
    // Friday 2026-03-27 16:00 Berlin (15:00 UTC) + 2 h -> Monday 2026-03-30 10:00 CEST (08:00 UTC).
    expect(addBusinessMinutes(d("2026-03-27T15:00:00Z"), 120, BERLIN)?.toISOString()).toBe(
      "2026-03-30T08:00:00.000Z",
    );
  });
  it("is the inverse of businessSecondsBetween", () => {
    const from = d("2026-03-04T13:17:00Z");
    for (const minutes of [1, 59, 61, 479, 480, 481, 2400, 10_000]) {
      const to = addBusinessMinutes(from, minutes, BERLIN)!;
      expect(businessSecondsBetween(from, to, BERLIN)).toBe(minutes * 60);
    }
  });
  it("gives up (null) on a calendar with no business time", () => {
    const allHolidays = Array.from({ length: 3 * 366 + 10 }, (_, i) =>
      new Date(Date.UTC(2026, 2, 2) + i * 86_400_000).toISOString().slice(0, 10),
    );
    expect(addBusinessMinutes(d("2026-03-02T09:00:00Z"), 60, { ...UTC, holidays: allHolidays })).toBeNull();
  });
});

const clock = (over: Partial<StoredClock> = {}): StoredClock => ({
  openedAt: d("2026-03-02T10:00:00Z"),
  business: false,
  targetSeconds: 4 * H,
  metAt: null,
  pausedSeconds: 0,
  pausedSince: null,
  warnedAt: null,
  breachedAt: null,
  ...over,
});

describe("clockState", () => {
  it("a running 24x7 clock: elapsed, remaining, due, warn at 75%", () => {
    const s = clockState(clock(), d("2026-03-02T11:00:00Z"), UTC);
    expect(s).toMatchObject({
      elapsedSeconds: H,
      remainingSeconds: 3 * H,
      paused: false,
      warned: false,
      breached: false,
    });
    expect(s.dueAt?.toISOString()).toBe("2026-03-02T14:00:00.000Z");
    expect(s.warnAt?.toISOString()).toBe("2026-03-02T13:00:00.000Z");
  });
  it("warned at 75% (configurable) and breached at 100%, with a negative remainder", () => {
    expect(clockState(clock(), d("2026-03-02T13:00:00Z"), UTC).warned).toBe(true);
    expect(clockState(clock(), d("2026-03-02T13:00:00Z"), UTC, 80).warned).toBe(false);
    const s = clockState(clock(), d("2026-03-02T15:00:00Z"), UTC);
    expect(s).toMatchObject({ breached: true, remainingSeconds: -H });
    expect(s.dueAt?.toISOString()).toBe("2026-03-02T14:00:00.000Z");
  });
  it("met: stops counting, no due time", () => {
    const s = clockState(clock({ metAt: d("2026-03-02T12:00:00Z") }), d("2026-03-05T00:00:00Z"), UTC);
    expect(s).toMatchObject({
      elapsedSeconds: 2 * H,
      breached: false,
      dueAt: null,
      metAt: d("2026-03-02T12:00:00Z"),
    });
  });
  it("paused: stops at the hold, shows how long the hold lasts, no due time", () => {
    const s = clockState(clock({ pausedSince: d("2026-03-02T11:00:00Z") }), d("2026-03-02T20:00:00Z"), UTC);
    expect(s).toMatchObject({
      elapsedSeconds: H,
      paused: true,
      pausedForSeconds: 9 * H,
      pausedSince: d("2026-03-02T11:00:00Z"),
      breached: false,
      dueAt: null,
    });
    // Running and met clocks have no hold to count from.
    expect(clockState(clock(), d("2026-03-02T12:00:00Z"), UTC).pausedSince).toBeNull();
    const met = clock({ pausedSince: d("2026-03-02T11:00:00Z"), metAt: d("2026-03-02T10:30:00Z") });
    expect(clockState(met, d("2026-03-02T12:00:00Z"), UTC).pausedSince).toBeNull();
  });
  it("after a hold: the paused time is not counted and the due time moves by it", () => {
    const s = clockState(clock({ pausedSeconds: 2 * H }), d("2026-03-02T13:00:00Z"), UTC);
    expect(s.elapsedSeconds).toBe(H);
    expect(s.dueAt?.toISOString()).toBe("2026-03-02T16:00:00.000Z");
  });
  it("a business clock counts business time only (overnight, weekend, holiday)", () => {
    const c = clock({ business: true, openedAt: d("2026-03-06T16:00:00Z"), targetSeconds: 4 * H });
    const s = clockState(c, d("2026-03-09T10:00:00Z"), UTC);
    expect(s.elapsedSeconds).toBe(2 * H);
    expect(s.dueAt?.toISOString()).toBe("2026-03-09T12:00:00.000Z");
    const holiday = clockState(c, d("2026-03-09T10:00:00Z"), { ...UTC, holidays: ["2026-03-09"] });
    expect(holiday.elapsedSeconds).toBe(H);
    expect(holiday.dueAt?.toISOString()).toBe("2026-03-10T12:00:00.000Z");
  });
  it("a business clock paused over business hours", () => {
    // Opened Mon 09:00, on hold 10:00 (pausedSeconds counts business time of earlier holds).
    const c = clock({ business: true, openedAt: d("2026-03-02T09:00:00Z"), pausedSeconds: 3 * H });
    const s = clockState(c, d("2026-03-02T17:00:00Z"), UTC);
    expect(s.elapsedSeconds).toBe(5 * H);
    expect(s.breached).toBe(true);
  });
  it("a documented warning or breach stays even if the target moved further away", () => {
    const s = clockState(
      clock({ targetSeconds: 100 * H, breachedAt: d("2026-03-02T12:00:00Z") }),
      d("2026-03-02T13:00:00Z"),
      UTC,
    );
    expect(s.breached).toBe(true);
  });
});

describe("clockDueAt and nextDueAt (the key of 'due soonest')", () => {
  const ack = clock({ targetSeconds: H / 4 }); // due 10:15
  const resolve = clock({ targetSeconds: 4 * H }); // due 14:00
  it("the earlier of the running clocks, whatever the time now (in the past once overdue)", () => {
    expect(clockDueAt(ack, UTC)).toEqual(d("2026-03-02T10:15:00Z"));
    expect(nextDueAt([ack, resolve], UTC)).toEqual(d("2026-03-02T10:15:00Z"));
    expect(nextDueAt([resolve, ack], UTC)).toEqual(d("2026-03-02T10:15:00Z"));
    // Agrees with the clock's own due time.
    expect(clockState(resolve, d("2026-03-05T00:00:00Z"), UTC).dueAt).toEqual(clockDueAt(resolve, UTC));
  });
  it("a met or paused clock has no due time; none running: null", () => {
    const acked = { ...ack, metAt: d("2026-03-02T10:05:00Z") };
    expect(nextDueAt([acked, resolve], UTC)).toEqual(d("2026-03-02T14:00:00Z"));
    const onHold = { ...resolve, pausedSince: d("2026-03-02T11:00:00Z") };
    expect(clockDueAt(onHold, UTC)).toBeNull();
    expect(nextDueAt([acked, onHold], UTC)).toBeNull();
    expect(nextDueAt([acked, { ...resolve, metAt: d("2026-03-02T12:00:00Z") }], UTC)).toBeNull();
    expect(nextDueAt([], UTC)).toBeNull();
  });
  it("time on hold moves it later by the hold", () => {
    expect(nextDueAt([{ ...resolve, pausedSeconds: 2 * H }], UTC)).toEqual(d("2026-03-02T16:00:00Z"));
  });
  it("a business clock's due time follows the calendar (nights, weekends, holidays)", () => {
    // Friday 16:00 + 4 business hours: Monday 12:00, or Tuesday 12:00 when Monday is a holiday.
    const c = clock({ business: true, openedAt: d("2026-03-06T16:00:00Z"), targetSeconds: 4 * H });
    expect(nextDueAt([c], UTC)).toEqual(d("2026-03-09T12:00:00Z"));
    expect(nextDueAt([c], { ...UTC, holidays: ["2026-03-09"] })).toEqual(d("2026-03-10T12:00:00Z"));
  });
});

describe("alarmDue", () => {
  const now = d("2026-03-02T12:00:00Z"); // 2 h into a 4 h target
  it("later, at the warning and breach times", () => {
    expect(alarmDue(clock(), "WARNING", now, UTC)).toEqual({ due: "later", at: d("2026-03-02T13:00:00Z") });
    expect(alarmDue(clock(), "BREACH", now, UTC)).toEqual({ due: "later", at: d("2026-03-02T14:00:00Z") });
  });
  it("now once reached", () => {
    expect(alarmDue(clock(), "WARNING", d("2026-03-02T13:00:00Z"), UTC)).toEqual({ due: "now" });
    expect(alarmDue(clock(), "BREACH", d("2026-03-02T16:00:00Z"), UTC)).toEqual({ due: "now" });
  });
  it("never once met or already fired; no warning after a breach", () => {
    expect(alarmDue(clock({ metAt: now }), "BREACH", d("2026-03-03T00:00:00Z"), UTC)).toEqual({
      due: "never",
    });
    expect(alarmDue(clock({ warnedAt: now }), "WARNING", d("2026-03-03T00:00:00Z"), UTC)).toEqual({
      due: "never",
    });
    expect(alarmDue(clock({ breachedAt: now }), "BREACH", d("2026-03-03T00:00:00Z"), UTC)).toEqual({
      due: "never",
    });
    expect(alarmDue(clock({ breachedAt: now }), "WARNING", d("2026-03-03T00:00:00Z"), UTC)).toEqual({
      due: "never",
    });
  });
  it("paused waits for the resume", () => {
    expect(alarmDue(clock({ pausedSince: now }), "BREACH", d("2026-03-03T00:00:00Z"), UTC)).toEqual({
      due: "paused",
    });
  });
  it("a retarget to a shorter target makes it due now; a longer one later", () => {
    expect(alarmDue(clock({ targetSeconds: H }), "BREACH", now, UTC)).toEqual({ due: "now" });
    expect(alarmDue(clock({ targetSeconds: 8 * H }), "BREACH", now, UTC)).toEqual({
      due: "later",
      at: d("2026-03-02T18:00:00Z"),
    });
  });
});

describe("escalationLevelDue", () => {
  it("level 1 at the target, level 2 after another target period", () => {
    expect(escalationLevelDue(0, 900)).toBe(0);
    expect(escalationLevelDue(899, 900)).toBe(0);
    expect(escalationLevelDue(900, 900)).toBe(1);
    expect(escalationLevelDue(1799, 900)).toBe(1);
    expect(escalationLevelDue(1800, 900)).toBe(2);
    expect(escalationLevelDue(99_999, 900)).toBe(2);
  });
});

describe("nextPublicUpdateDue", () => {
  const base = {
    cadenceMinutes: 30,
    state: IncidentState.IN_PROGRESS,
    isPublic: true,
    lastPublicUpdateAt: null,
    openedAt: d("2026-03-02T10:00:00Z"),
  };
  it("every N minutes after the last public update, or after opening", () => {
    expect(nextPublicUpdateDue(base)?.toISOString()).toBe("2026-03-02T10:30:00.000Z");
    expect(
      nextPublicUpdateDue({ ...base, lastPublicUpdateAt: d("2026-03-02T11:00:00Z") })?.toISOString(),
    ).toBe("2026-03-02T11:30:00.000Z");
  });
  it("none without a cadence, for a private incident, or once resolved", () => {
    expect(nextPublicUpdateDue({ ...base, cadenceMinutes: null })).toBeNull();
    expect(nextPublicUpdateDue({ ...base, isPublic: false })).toBeNull();
    for (const state of [IncidentState.RESOLVED, IncidentState.CLOSED, IncidentState.CANCELED]) {
      expect(nextPublicUpdateDue({ ...base, state })).toBeNull();
    }
    expect(nextPublicUpdateDue({ ...base, state: IncidentState.ON_HOLD })).not.toBeNull();
  });
});

describe("publicUpdateOwner", () => {
  it("the communications lead, else the assignee, else the incident managers", () => {
    expect(publicUpdateOwner("lead", "assignee")).toEqual({ kind: "COMMUNICATIONS_LEAD", userId: "lead" });
    expect(publicUpdateOwner(undefined, "assignee")).toEqual({ kind: "ASSIGNEE", userId: "assignee" });
    expect(publicUpdateOwner(null, null)).toEqual({ kind: "INCIDENT_MANAGERS" });
  });
  it("owns it: that person, or any incident manager (not an admin) when it falls to them", () => {
    const lead = publicUpdateOwner("u1", "u2");
    expect(ownsPublicUpdate(lead, { id: "u1", role: Role.RESPONDER })).toBe(true);
    // The assignee and the managers are not asked while there is a communications lead.
    expect(ownsPublicUpdate(lead, { id: "u2", role: Role.RESPONDER })).toBe(false);
    expect(ownsPublicUpdate(lead, { id: "u3", role: Role.INCIDENT_MANAGER })).toBe(false);
    const managers = publicUpdateOwner(null, null);
    expect(ownsPublicUpdate(managers, { id: "u3", role: Role.INCIDENT_MANAGER })).toBe(true);
    expect(ownsPublicUpdate(managers, { id: "u4", role: Role.ADMIN })).toBe(false);
    expect(ownsPublicUpdate(managers, { id: "u5", role: Role.AGENT })).toBe(false);
  });
});

describe("validatePolicy", () => {
  const p4 = DEFAULT_POLICIES.find((p) => p.priority === Priority.P4)!;
  const check = (over: Partial<SlaPolicyValues>) => validatePolicy({ ...p4, ...over });
  it("the defaults are valid and match the brief", () => {
    for (const p of DEFAULT_POLICIES) expect(validatePolicy(p)).toBeNull();
    expect(
      DEFAULT_POLICIES.map((p) => [
        p.priority,
        p.acknowledgeMinutes,
        p.resolveMinutes,
        p.businessHours,
        p.publicUpdateEveryMinutes,
        p.autoClose,
      ]),
    ).toEqual([
      ["P1", 15, 240, false, 30, false],
      ["P2", 30, 480, false, 60, false],
      ["P3", 240, 1440, true, null, true],
      ["P4", 480, 2400, true, null, true],
    ]);
  });
  it("refuses minutes <= 0, fractions and over a year, naming the field", () => {
    expect(check({ acknowledgeMinutes: 0 })?.field).toBe("acknowledgeMinutes");
    expect(check({ acknowledgeMinutes: -5 })?.field).toBe("acknowledgeMinutes");
    expect(check({ resolveMinutes: MAX_POLICY_MINUTES + 1 })?.field).toBe("resolveMinutes");
    expect(check({ resolveMinutes: 1.5 })?.field).toBe("resolveMinutes");
    expect(check({ publicUpdateEveryMinutes: 0 })?.field).toBe("publicUpdateEveryMinutes");
    expect(check({ resolveMinutes: MAX_POLICY_MINUTES, acknowledgeMinutes: 1 })).toBeNull();
    expect(check({ acknowledgeMinutes: 0 })?.message).toMatch(
      /acknowledgeMinutes must be a whole number of minutes from 1/,
    );
  });
  it("refuses a resolve target shorter than the acknowledge target", () => {
    expect(check({ acknowledgeMinutes: 100, resolveMinutes: 50 })?.field).toBe("resolveMinutes");
  });
  it("refuses auto-close for P1 and P2", () => {
    const p1 = DEFAULT_POLICIES.find((p) => p.priority === Priority.P1)!;
    expect(validatePolicy({ ...p1, autoClose: true })?.field).toBe("autoClose");
  });
});

describe("durationWords: how a duration reads in timeline entries", () => {
  it.each([
    [0, "0 s"],
    [15, "15 s"],
    [59, "59 s"],
    [60, "1 min"],
    [89, "1 min"],
    [90, "2 min"],
    [3600, "1 h"],
    [5400, "1 h 30 min"],
    [86_400 * 2 + 3600, "49 h"],
    [-5, "0 s"],
  ])("%d s reads %s", (seconds, words) => {
    expect(durationWords(seconds, false)).toBe(words);
  });
  it("says when it is business time", () => {
    expect(durationWords(14_400, true)).toBe("4 h of business time");
    expect(durationWords(15, true)).toBe("15 s of business time");
  });
});
