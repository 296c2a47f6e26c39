import { describe, expect, it } from "vitest";
import type { WarMaintenance } from "./maintenance-queries";
import { fromLocalInput, monthGrid, sectionsOf, toLocalInput, upsertWindow } from "./maintenance-state";

const w = (id: string, state: string, start: string, end: string, version = 1): WarMaintenance =>
  ({
    id,
    title: id,
    description: null,
    state,
    version,
    autoTransition: true,
    scheduledStart: start,
    scheduledEnd: end,
    startedAt: null,
    completedAt: null,
    services: [],
    updates: [],
  }) as unknown as WarMaintenance;

describe("maintenance page state", () => {
  it("sorts windows into in progress, upcoming (soonest first) and past (latest first)", () => {
    const list = [
      w("later", "SCHEDULED", "2030-01-05T00:00:00Z", "2030-01-05T01:00:00Z"),
      w("soon", "SCHEDULED", "2030-01-02T00:00:00Z", "2030-01-02T01:00:00Z"),
      w("now", "VERIFYING", "2030-01-01T00:00:00Z", "2030-01-01T05:00:00Z"),
      w("old", "COMPLETED", "2029-12-01T00:00:00Z", "2029-12-01T01:00:00Z"),
      w("dropped", "CANCELED", "2029-12-20T00:00:00Z", "2029-12-20T01:00:00Z"),
    ];
    const s = sectionsOf(list);
    expect(s.running.map((x) => x.id)).toEqual(["now"]);
    expect(s.upcoming.map((x) => x.id)).toEqual(["soon", "later"]);
    expect(s.past.map((x) => x.id)).toEqual(["dropped", "old"]);
  });

  it("keeps the higher version when a live event and a mutation's answer cross", () => {
    const v3 = w("a", "IN_PROGRESS", "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z", 3);
    const v2 = w("a", "SCHEDULED", "2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z", 2);
    expect(upsertWindow([v3], v2)).toEqual([v3]);
    expect(upsertWindow([v2], v3)).toEqual([v3]);
  });

  it("round-trips a datetime-local value through an instant in the user's zone", () => {
    const iso = fromLocalInput("2030-03-31T01:30")!;
    expect(toLocalInput(iso)).toBe("2030-03-31T01:30");
    expect(fromLocalInput("")).toBeNull();
  });

  it("lays a month out in Monday-first weeks and puts a window on every day it touches", () => {
    const local = (d: number, h: number) => new Date(2030, 0, d, h).toISOString();
    const grid = monthGrid(2030, 0, [w("two-days", "SCHEDULED", local(10, 22), local(11, 2))]);
    expect(grid[0]?.map((d) => d.date.getDay())).toEqual([1, 2, 3, 4, 5, 6, 0]);
    const days = grid.flat().filter((d) => d.windows.length > 0);
    expect(days.map((d) => d.date.getDate())).toEqual([10, 11]);
    expect(grid.flat().filter((d) => d.inMonth)).toHaveLength(31);
  });
});
