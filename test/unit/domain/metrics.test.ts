import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attainment,
  compareRows,
  detectTrends,
  type IncidentSample,
  isTrend,
  localDays,
  MAX_RANGE_DAYS,
  mean,
  median,
  NONE_KEY,
  summarize,
  TREND_MIN_COUNT,
  type TrendCount,
  trendWindows,
  validateRange,
} from "../../../server/domain/metrics";
import { ErrorCode, MetricsGroup } from "../../../server/domain/vocabulary";

const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

describe("validateRange", () => {
  it("accepts a range of one millisecond and one of exactly two years", () => {
    expect(validateRange(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00.001Z")).ok).toBe(true);
    const from = at("2024-01-01T00:00:00Z");
    expect(validateRange(from, new Date(from.getTime() + MAX_RANGE_DAYS * DAY)).ok).toBe(true);
  });

  it.each([
    ["to before from", "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", '"to"'],
    ["to equal to from", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", '"to"'],
    ["longer than two years", "2024-01-01T00:00:00Z", "2026-01-02T00:00:00.001Z", "two years"],
  ])("refuses %s with BAD_USER_INPUT naming the field", (_name, from, to, words) => {
    const d = validateRange(at(from), at(to));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(d.message).toContain('"to"');
    expect(d.message).toContain(words);
  });

  it("refuses invalid dates, naming which", () => {
    const bad = new Date(Number.NaN);
    const a = validateRange(bad, at("2026-01-01T00:00:00Z"));
    const b = validateRange(at("2026-01-01T00:00:00Z"), bad);
    expect(a.ok || a.message).toContain('"from"');
    expect(b.ok || b.message).toContain('"to"');
  });

  it("one millisecond over two years is refused, exactly two years is not", () => {
    const from = at("2025-03-01T12:00:00Z");
    const limit = from.getTime() + MAX_RANGE_DAYS * DAY;
    expect(validateRange(from, new Date(limit)).ok).toBe(true);
    expect(validateRange(from, new Date(limit + 1)).ok).toBe(false);
  });
});

describe("mean and median", () => {
  it.each([
    [[], null, null],
    [[5], 5, 5],
    [[1, 3], 2, 2],
    [[3, 1, 2], 2, 2],
    [[10, 1, 1, 1], 3.25, 1],
    [[4, 1, 3, 2], 2.5, 2.5],
    [[0, 0, 0], 0, 0],
    [[60, 120, 180, 3600], 990, 150],
  ])("%j: mean %s, median %s", (values, m, med) => {
    expect(mean(values)).toBe(m);
    expect(median(values)).toBe(med);
  });

  it("median does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("median lies between min and max, mean equals sum / count (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 50 }),
        (xs) => {
          const med = median(xs) as number;
          expect(med).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(med).toBeLessThanOrEqual(Math.max(...xs));
          expect(mean(xs)).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 6);
          const below = xs.filter((x) => x < med).length;
          const above = xs.filter((x) => x > med).length;
          expect(below).toBeLessThanOrEqual(xs.length / 2);
          expect(above).toBeLessThanOrEqual(xs.length / 2);
        },
      ),
    );
  });
});

describe("attainment", () => {
  it.each([
    [0, 0, null],
    [0, 4, 0],
    [3, 4, 0.75],
    [4, 4, 1],
  ])("%i of %i -> %s", (met, settled, expected) => {
    expect(attainment(met, settled)).toBe(expected);
  });

  it.each([
    [5, 4],
    [-1, 4],
    [1.5, 4],
  ])("refuses %s of %s", (met, settled) => {
    expect(() => attainment(met, settled)).toThrow(RangeError);
  });
});

const sample = (over: Partial<IncidentSample> = {}): IncidentSample => ({
  ackSeconds: null,
  ackBusinessSeconds: null,
  resolveSeconds: null,
  resolveBusinessSeconds: null,
  ackMet: false,
  ackBreached: false,
  resolveMet: false,
  resolveBreached: false,
  ...over,
});

describe("summarize", () => {
  it("no incidents: count 0, every time null, no breaches", () => {
    expect(summarize([])).toEqual({
      count: 0,
      mttaSeconds: null,
      mttaMedianSeconds: null,
      mttaBusinessSeconds: null,
      mttaBusinessMedianSeconds: null,
      mttrSeconds: null,
      mttrMedianSeconds: null,
      mttrBusinessSeconds: null,
      mttrBusinessMedianSeconds: null,
      slaAttainment: null,
      ackAttainment: null,
      breaches: 0,
      ackBreaches: 0,
      resolveBreaches: 0,
    });
  });

  it("hand-computed: four incidents", () => {
    const figures = summarize([
      // acknowledged after 10 min, resolved after 1 h, both in time
      sample({
        ackSeconds: 600,
        ackBusinessSeconds: 600,
        resolveSeconds: 3600,
        resolveBusinessSeconds: 3000,
        ackMet: true,
        resolveMet: true,
      }),
      // acknowledged late (breached), resolved after 3 h in time
      sample({
        ackSeconds: 1800,
        ackBusinessSeconds: 1200,
        resolveSeconds: 10_800,
        resolveBusinessSeconds: 7200,
        ackMet: true,
        ackBreached: true,
        resolveMet: true,
      }),
      // acknowledged after 5 min, still open and already past its resolve target
      sample({ ackSeconds: 300, ackBusinessSeconds: 300, ackMet: true, resolveBreached: true }),
      // nobody acknowledged it yet, nothing settled
      sample(),
    ]);
    expect(figures).toEqual({
      count: 4,
      mttaSeconds: 900, // (600 + 1800 + 300) / 3
      mttaMedianSeconds: 600,
      mttaBusinessSeconds: 700, // (600 + 1200 + 300) / 3
      mttaBusinessMedianSeconds: 600,
      mttrSeconds: 7200, // (3600 + 10800) / 2
      mttrMedianSeconds: 7200,
      mttrBusinessSeconds: 5100,
      mttrBusinessMedianSeconds: 5100,
      slaAttainment: 2 / 3, // met, met, breached; the fourth is not settled
      ackAttainment: 2 / 3, // met, breached (late), met
      breaches: 2,
      ackBreaches: 1,
      resolveBreaches: 1,
    });
  });

  it("an incident breaching both clocks is one breach of each and one incident with breaches", () => {
    const f = summarize([sample({ ackBreached: true, resolveBreached: true })]);
    expect([f.breaches, f.ackBreaches, f.resolveBreaches]).toEqual([1, 1, 1]);
    expect([f.ackAttainment, f.slaAttainment]).toEqual([0, 0]);
  });

  it("resolved late: settled and not attained", () => {
    expect(summarize([sample({ resolveMet: true, resolveBreached: true })]).slaAttainment).toBe(0);
  });
});

describe("trends", () => {
  it("windows: the last 7 days and the 4 weeks before them, ending at the anchor", () => {
    expect(trendWindows(at("2026-03-29T12:00:00Z"))).toEqual({
      baselineFrom: at("2026-02-22T12:00:00Z"),
      recentFrom: at("2026-03-22T12:00:00Z"),
      to: at("2026-03-29T12:00:00Z"),
    });
  });

  it.each([
    // recent, baseline over 4 weeks, flagged
    [0, 0, false],
    [TREND_MIN_COUNT - 1, 0, false], // too few to mean anything, even from nothing
    [TREND_MIN_COUNT, 0, true], // from nothing to 3 a week
    [3, 8, false], // weekly mean 2: 3 is not > 1.5 x 2 = 3
    [4, 8, true],
    [6, 16, false], // weekly mean 4: 6 is not > 6
    [7, 16, true],
    [10, 40, false], // as usual
    [20, 40, true],
    [2, 1, false], // below the minimum count
  ])("%i in the last 7 days against %i in 4 weeks -> %s", (recent, baseline, expected) => {
    expect(isTrend(recent, baseline)).toBe(expected);
  });

  it("detectTrends keeps the flagged ones, steepest rise first, with the weekly baseline", () => {
    const counts: TrendCount[] = [
      { group: MetricsGroup.SERVICE, key: "a", label: "API", recent: 10, baselineTotal: 40 }, // as usual
      { group: MetricsGroup.SERVICE, key: "b", label: "Billing", recent: 9, baselineTotal: 8 }, // 4.5x
      { group: MetricsGroup.CATEGORY, key: "c", label: "Network", recent: 3, baselineTotal: 0 }, // new
      { group: MetricsGroup.SERVICE, key: "d", label: "Docs", recent: 2, baselineTotal: 0 }, // too few
      { group: MetricsGroup.CATEGORY, key: "e", label: "Email", recent: 12, baselineTotal: 16 }, // 3x
    ];
    expect(detectTrends(counts)).toEqual([
      { ...counts[2], baselineWeekly: 0 },
      { ...counts[1], baselineWeekly: 2 },
      { ...counts[4], baselineWeekly: 4 },
    ]);
  });

  it("ties in rise order by count, then label", () => {
    const counts: TrendCount[] = [
      { group: MetricsGroup.SERVICE, key: "x", label: "Zeta", recent: 3, baselineTotal: 0 },
      { group: MetricsGroup.SERVICE, key: "y", label: "Alpha", recent: 3, baselineTotal: 0 },
      { group: MetricsGroup.SERVICE, key: "z", label: "Mid", recent: 5, baselineTotal: 0 },
    ];
    expect(detectTrends(counts).map((t) => t.label)).toEqual(["Mid", "Alpha", "Zeta"]);
  });
});

describe("localDays", () => {
  it("UTC: every day the range touches, to exclusive", () => {
    expect(localDays(at("2026-03-01T00:00:00Z"), at("2026-03-04T00:00:00Z"), "UTC")).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
    ]);
    expect(localDays(at("2026-03-01T23:00:00Z"), at("2026-03-02T00:00:01Z"), "UTC")).toEqual([
      "2026-03-01",
      "2026-03-02",
    ]);
  });

  it("in the business time zone, across a month end and a DST change", () => {
    // Los Angeles: 2026-03-08 is the spring-forward day (23 hours).
    expect(localDays(at("2026-03-07T08:00:00Z"), at("2026-03-10T07:00:00Z"), "America/Los_Angeles")).toEqual([
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
    ]);
    expect(localDays(at("2026-02-27T12:00:00Z"), at("2026-03-02T12:00:00Z"), "Asia/Tokyo")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
  });

  it("an empty or reversed range has no days; two years have 731 at most", () => {
    expect(localDays(at("2026-03-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), "UTC")).toEqual([]);
    const from = at("2024-01-01T00:00:00Z");
    const days = localDays(from, new Date(from.getTime() + MAX_RANGE_DAYS * DAY), "UTC");
    expect(days.length).toBe(MAX_RANGE_DAYS);
    expect(days.at(-1)).toBe("2025-12-31");
  });
});

describe("compareRows", () => {
  const row = (key: string, label = key, count = 1) => ({ key, label, count });
  it("priorities and days by key, others by label, the none row last", () => {
    const sorted = (group: MetricsGroup, rows: ReturnType<typeof row>[]) =>
      [...rows].sort((a, b) => compareRows(group, a, b)).map((r) => r.key);
    expect(sorted(MetricsGroup.PRIORITY, [row("P3"), row("P1"), row("P4"), row("P2")])).toEqual([
      "P1",
      "P2",
      "P3",
      "P4",
    ]);
    expect(sorted(MetricsGroup.DAY, [row("2026-03-02"), row("2026-02-28")])).toEqual([
      "2026-02-28",
      "2026-03-02",
    ]);
    expect(
      sorted(MetricsGroup.SERVICE, [row(NONE_KEY, "No service"), row("s2", "Checkout"), row("s1", "API")]),
    ).toEqual(["s1", "s2", NONE_KEY]);
    expect(sorted(MetricsGroup.QUEUE, [row("q2", "Same"), row("q1", "Same")])).toEqual(["q1", "q2"]);
  });
});
