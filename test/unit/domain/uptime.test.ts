import { describe, expect, it } from "vitest";
import { overallUptime, uptimeDays } from "../../../server/domain/uptime";
import { ServiceStatus as S } from "../../../server/domain/vocabulary";

const at = (iso: string) => new Date(iso);

describe("uptimeDays", () => {
  const created = { at: at("2026-03-01T00:00:00Z"), status: S.OPERATIONAL };

  it("returns one entry per day, oldest first, ending today", () => {
    const days = uptimeDays([created], at("2026-03-10T12:00:00Z"), 3);
    expect(days.map((d) => d.date)).toEqual(["2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(days.every((d) => d.hasData && d.uptimePercent === 100 && d.worstStatus === S.OPERATIONAL)).toBe(
      true,
    );
  });

  it("marks days before the service existed as without data", () => {
    const days = uptimeDays(
      [{ at: at("2026-03-09T18:00:00Z"), status: S.OPERATIONAL }],
      at("2026-03-10T12:00:00Z"),
      3,
    );
    expect(days.map((d) => d.hasData)).toEqual([false, true, true]);
  });

  it("counts a major outage fully and a partial outage at 30%", () => {
    const history = [
      created,
      { at: at("2026-03-09T06:00:00Z"), status: S.MAJOR_OUTAGE },
      { at: at("2026-03-09T12:00:00Z"), status: S.PARTIAL_OUTAGE },
      { at: at("2026-03-09T18:00:00Z"), status: S.OPERATIONAL },
    ];
    // 6 h major + 6 h * 0.3 partial = 7.8 h of 24 h down
    const nine = uptimeDays(history, at("2026-03-10T00:00:01Z"), 2)[0];
    expect(nine!.date).toBe("2026-03-09");
    expect(nine!.uptimePercent).toBeCloseTo(67.5, 2);
    expect(nine!.downtimeMinutes).toBe(468);
    expect(nine!.worstStatus).toBe(S.MAJOR_OUTAGE);
  });

  it("does not count degraded performance or maintenance as downtime, but reports them as worst", () => {
    const history = [created, { at: at("2026-03-09T00:00:00Z"), status: S.DEGRADED_PERFORMANCE }];
    const [d9] = uptimeDays(history, at("2026-03-10T00:00:01Z"), 2);
    expect(d9).toMatchObject({ uptimePercent: 100, worstStatus: S.DEGRADED_PERFORMANCE });
    const maint = uptimeDays(
      [created, { at: at("2026-03-09T00:00:00Z"), status: S.UNDER_MAINTENANCE }],
      at("2026-03-10T00:00:01Z"),
      2,
    )[0];
    expect(maint).toMatchObject({ uptimePercent: 100, worstStatus: S.UNDER_MAINTENANCE });
  });

  it("carries an outage across midnight and counts today only up to now", () => {
    const history = [created, { at: at("2026-03-09T23:00:00Z"), status: S.MAJOR_OUTAGE }];
    const [d9, d10] = uptimeDays(history, at("2026-03-10T02:00:00Z"), 2);
    expect(d9!.downtimeMinutes).toBe(60);
    expect(d10!.uptimePercent).toBe(0); // down for the whole 2 hours so far
    expect(d10!.downtimeMinutes).toBe(120);
  });

  it("counts a service created mid-day from its creation", () => {
    const history = [
      { at: at("2026-03-10T12:00:00Z"), status: S.OPERATIONAL },
      { at: at("2026-03-10T18:00:00Z"), status: S.MAJOR_OUTAGE },
    ];
    const [d] = uptimeDays(history, at("2026-03-11T00:00:00Z"), 2);
    expect(d!.uptimePercent).toBeCloseTo(50, 2);
  });

  it("leaves maintenance windows out: neither up nor down, and a status held only inside one does not colour the day", () => {
    const now = at("2026-03-10T12:00:00Z");
    const history = [
      { at: at("2026-03-01T00:00:00Z"), status: S.OPERATIONAL },
      { at: at("2026-03-10T02:00:00Z"), status: S.MAJOR_OUTAGE },
      { at: at("2026-03-10T04:00:00Z"), status: S.OPERATIONAL },
      { at: at("2026-03-10T08:00:00Z"), status: S.PARTIAL_OUTAGE },
      { at: at("2026-03-10T09:00:00Z"), status: S.OPERATIONAL },
    ];
    const window = { from: at("2026-03-10T01:00:00Z").getTime(), to: at("2026-03-10T05:00:00Z").getTime() };
    const [day] = uptimeDays(history, now, 1, [window]);
    // 12 h observed minus 4 h of maintenance = 8 h; 1 h partial outage = 0.3 h down.
    expect(day).toEqual({
      date: "2026-03-10",
      hasData: true,
      uptimePercent: Math.round(100 * (1 - 0.3 / 8) * 100) / 100,
      worstStatus: S.PARTIAL_OUTAGE,
      downtimeMinutes: 18,
      maintenanceMinutes: 240,
    });
    // Without the window the outage counts.
    const [counted] = uptimeDays(history, now, 1);
    expect(counted).toMatchObject({
      worstStatus: S.MAJOR_OUTAGE,
      downtimeMinutes: 138,
      maintenanceMinutes: 0,
    });
    // A day entirely in maintenance is 100%.
    const [all] = uptimeDays(history, now, 1, [{ from: 0, to: now.getTime() }]);
    expect(all).toMatchObject({ uptimePercent: 100, downtimeMinutes: 0, maintenanceMinutes: 720 });
  });

  it("rejects a non-positive day count", () => {
    expect(() => uptimeDays([created], at("2026-03-10T00:00:00Z"), 0)).toThrow(RangeError);
  });
});

describe("overallUptime", () => {
  it("averages the days with data and is null without any", () => {
    expect(
      overallUptime([
        {
          date: "a",
          hasData: false,
          uptimePercent: 100,
          worstStatus: S.OPERATIONAL,
          downtimeMinutes: 0,
          maintenanceMinutes: 0,
        },
        {
          date: "b",
          hasData: true,
          uptimePercent: 90,
          worstStatus: S.MAJOR_OUTAGE,
          downtimeMinutes: 144,
          maintenanceMinutes: 0,
        },
        {
          date: "c",
          hasData: true,
          uptimePercent: 100,
          worstStatus: S.OPERATIONAL,
          downtimeMinutes: 0,
          maintenanceMinutes: 0,
        },
      ]),
    ).toBe(95);
    expect(overallUptime([])).toBeNull();
  });
});
