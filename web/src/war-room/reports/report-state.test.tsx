import { describe, expect, it } from "vitest";
import type { Metrics } from "./report-queries";
import {
  applyOpenEvent,
  countByPriority,
  csvFileName,
  customRange,
  dueSoonest,
  formatSeconds,
  formatShare,
  metricsCsv,
  openSetOf,
  presetRange,
} from "./report-state";

describe("ranges", () => {
  it("a preset is the last n days up to now, to the millisecond", () => {
    expect(presetRange(7, new Date("2026-03-09T10:00:00.000Z"))).toEqual({
      from: "2026-03-02T10:00:00.000Z",
      to: "2026-03-09T10:00:00.000Z",
    });
  });

  it("a custom range runs from the first day's midnight to the midnight after the last (viewer's zone)", () => {
    const r = customRange("2026-03-01", "2026-03-31");
    if ("error" in r) throw new Error(r.error);
    expect(new Date(r.from).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(r.to).getTime()).toBe(new Date(2026, 3, 1).getTime());
  });

  it("a missing day is an error in words", () => {
    expect(customRange("", "2026-03-31")).toEqual({ error: "Pick the first day of the range." });
    expect(customRange("2026-03-01", "")).toEqual({ error: "Pick the last day of the range." });
  });
});

describe("words for figures", () => {
  it.each([
    [null, "—"],
    [0, "0 s"],
    [44.6, "45 s"],
    [600, "10 min"],
    [3599, "59 min"],
    [3600, "1 h 0 min"],
    [7500, "2 h 5 min"],
    [86_400 * 3 + 4 * 3600, "3 d 4 h"],
  ])("%s seconds -> %s", (s, words) => {
    expect(formatSeconds(s)).toBe(words);
  });

  it.each([
    [null, "—"],
    [1, "100 %"],
    [2 / 3, "66.7 %"],
    [0, "0 %"],
  ])("share %s -> %s", (x, words) => {
    expect(formatShare(x)).toBe(words);
  });
});

const figures = {
  count: 2,
  mttaSeconds: 450,
  mttaMedianSeconds: 450,
  mttaBusinessSeconds: null,
  mttaBusinessMedianSeconds: null,
  mttrSeconds: 7200.4,
  mttrMedianSeconds: 7200,
  mttrBusinessSeconds: null,
  mttrBusinessMedianSeconds: null,
  slaAttainment: 2 / 3,
  ackAttainment: 1,
  breaches: 1,
  ackBreaches: 0,
  resolveBreaches: 1,
};

const metrics: Metrics = {
  from: "2026-03-02T00:00:00.000Z",
  to: "2026-03-06T00:00:00.000Z",
  groupBy: "SERVICE",
  timeZone: "UTC",
  ...figures,
  rows: [{ key: "s1", label: '=cmd|"/c calc"', ...figures }],
  trends: [],
};

describe("CSV of the table", () => {
  it("header, one line per row (formula-safe), totals last; seconds and shares as numbers", () => {
    const lines = metricsCsv(metrics).split("\r\n");
    expect(lines[0]).toMatch(/^Service,Key,Incidents,MTTA mean \(s\),/);
    expect(lines[1]).toBe(`"'=cmd|""/c calc""",s1,2,450,450,,,7200,7200,,,1,0.6667,1,0,1`);
    expect(lines[2]).toBe("Total,,2,450,450,,,7200,7200,,,1,0.6667,1,0,1");
    expect(lines[3]).toBe("");
  });

  it("names the file after the grouping and the days", () => {
    expect(csvFileName(metrics)).toMatch(/^beacon-incidents-by-service-2026-03-0\d-to-2026-03-0\d\.csv$/);
  });
});

describe("the now panel", () => {
  it("counts unresolved incidents by priority and follows live events", () => {
    let set = openSetOf([
      { id: "a", priority: "P1", state: "IN_PROGRESS" },
      { id: "b", priority: "P3", state: "NEW" },
      { id: "c", priority: "P2", state: "RESOLVED" },
    ]);
    expect(countByPriority(set)).toEqual({ P1: 1, P2: 0, P3: 1, P4: 0 });
    set = applyOpenEvent(set, { id: "a", priority: "P1", state: "RESOLVED" });
    set = applyOpenEvent(set, { id: "b", priority: "P2", state: "ON_HOLD" });
    set = applyOpenEvent(set, { id: "d", priority: "P4", state: "NEW" });
    expect(countByPriority(set)).toEqual({ P1: 0, P2: 1, P3: 0, P4: 1 });
    const same = applyOpenEvent(set, { id: "z", priority: "P1", state: "CLOSED" });
    expect(same).toBe(set);
  });
});

describe("clocks about to breach", () => {
  const clock = (dueAt: string | null, breached = false) => ({ dueAt, breached });
  it("running clocks due within the window (or past, not yet breached), soonest first", () => {
    const now = Date.parse("2026-03-02T10:00:00Z");
    const set = openSetOf([
      {
        id: "a",
        number: "INC-1",
        title: "A",
        priority: "P1",
        state: "ASSIGNED",
        sla: { acknowledge: clock("2026-03-02T10:10:00Z"), resolve: clock("2026-03-02T14:00:00Z") },
      },
      {
        id: "b",
        number: "INC-2",
        title: "B",
        priority: "P2",
        state: "IN_PROGRESS",
        sla: { acknowledge: clock(null), resolve: clock("2026-03-02T09:59:00Z") },
      },
      {
        id: "c",
        number: "INC-3",
        title: "C",
        priority: "P1",
        state: "ON_HOLD",
        sla: { acknowledge: clock("2026-03-02T09:00:00Z", true), resolve: clock(null) },
      },
    ]);
    expect(dueSoonest(set, now, 60 * 60_000).map((d) => [d.number, d.clock])).toEqual([
      ["INC-2", "resolve"],
      ["INC-1", "acknowledge"],
    ]);
    expect(dueSoonest(set, now, 5 * 60 * 60_000, 1).map((d) => d.number)).toEqual(["INC-2"]);
  });
});
