import { describe, expect, it, vi } from "vitest";
import { CoalescingPump } from "../../server/events/coalescing-pump";

/** A task whose runs the test finishes by hand, so nothing depends on timing. */
function controlledTask() {
  const runs: { finish: (err?: Error) => void }[] = [];
  const task = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { runs, task };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("CoalescingPump", () => {
  it("runs once per request when idle", async () => {
    const { runs, task } = controlledTask();
    const pump = new CoalescingPump(task, { onError: () => {} });
    pump.request();
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await pump.idle();
    pump.request();
    expect(runs).toHaveLength(2);
    runs[1]?.finish();
    await pump.idle();
  });

  it("folds any number of requests during a run into exactly one more run, after it", async () => {
    const { runs, task } = controlledTask();
    const pump = new CoalescingPump(task, { onError: () => {} });
    pump.request();
    pump.request();
    pump.request();
    pump.request();
    expect(runs).toHaveLength(1);
    runs[0]?.finish();
    await tick();
    expect(runs).toHaveLength(2);
    let idle = false;
    const waiting = pump.idle().then(() => {
      idle = true;
    });
    await tick();
    expect(idle).toBe(false);
    runs[1]?.finish();
    await waiting;
    expect(runs).toHaveLength(2);
  });

  it("reports a failed run and runs again on the next request; a good run is reported too", async () => {
    const { runs, task } = controlledTask();
    const seen: unknown[] = [];
    const pump = new CoalescingPump(task, {
      onError: (err) => seen.push(err),
      onSuccess: () => seen.push("ok"),
    });
    pump.request();
    runs[0]?.finish(new Error("boom"));
    await pump.idle();
    expect(seen).toEqual([new Error("boom")]);
    pump.request();
    expect(runs).toHaveLength(2);
    runs[1]?.finish();
    await pump.idle();
    expect(seen).toEqual([new Error("boom"), "ok"]);
  });

  it("starts nothing, not even the queued run, once its owner has stopped", async () => {
    const { runs, task } = controlledTask();
    let active = true;
    const pump = new CoalescingPump(task, { onError: () => {}, active: () => active });
    pump.request();
    pump.request();
    active = false;
    runs[0]?.finish();
    await pump.idle();
    pump.request();
    expect(runs).toHaveLength(1);
  });

  it("with spacing, starts the first run at once and folds requests made within the spacing into one later run", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    try {
      let runs = 0;
      const pump = new CoalescingPump(
        async () => {
          runs++;
        },
        { onError: () => {}, spacingMs: 60_000 },
      );
      pump.request();
      expect(runs).toBe(1);
      await pump.idle();
      pump.request();
      pump.request();
      pump.request();
      // Within the spacing: waiting, not run yet; idle() waits for the one run that follows.
      await vi.advanceTimersByTimeAsync(59_000);
      expect(runs).toBe(1);
      const idle = pump.idle();
      await vi.advanceTimersByTimeAsync(1_000);
      await idle;
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("with spacing, does not run after the owner stopped while it waited", async () => {
    let runs = 0;
    let active = true;
    const pump = new CoalescingPump(
      async () => {
        runs++;
      },
      { onError: () => {}, spacingMs: 10, active: () => active },
    );
    pump.request();
    await pump.idle();
    pump.request();
    active = false;
    await pump.idle();
    expect(runs).toBe(1);
  });
});
