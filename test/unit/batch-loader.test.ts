import { describe, expect, it } from "vitest";
import { BatchLoader } from "../../server/kernel/batch-loader";

describe("BatchLoader", () => {
  it("fetches every key asked for in the same wave in one call, each key once", async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, string | null>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== "missing").map((k) => [k, k.toUpperCase()]));
    }, null);
    const results = await Promise.all(["a", "b", "a", "missing", "c"].map((k) => loader.load(k)));
    expect(results).toEqual(["A", "B", "A", null, "C"]);
    expect(calls).toEqual([["a", "b", "missing", "c"]]);
    // A later wave is a new call.
    expect(await loader.load("d")).toBe("D");
    expect(calls).toHaveLength(2);
  });

  it("collects keys requested by resolvers that awaited something first", async () => {
    const calls: number[][] = [];
    const loader = new BatchLoader<number, number>(async (keys) => {
      calls.push(keys);
      return new Map(keys.map((k) => [k, k * 2]));
    }, 0);
    const resolver = async (k: number) => {
      await Promise.resolve();
      return loader.load(k);
    };
    expect(await Promise.all([1, 2, 3].map(resolver))).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("rejects every waiter of a failed batch", async () => {
    const loader = new BatchLoader<string, string>(async () => {
      throw new Error("database down");
    }, "");
    const settled = await Promise.allSettled([loader.load("x"), loader.load("y")]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });
});
