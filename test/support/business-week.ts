import { ManualClock } from "../../server/kernel/clock";
import { startTestBeacon, type TestBeacon } from "./harness";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02, 09:00 in Berlin: the start of the business weeks these tests walk through. */
export const MONDAY = new Date("2026-03-02T08:00:00Z");

/**
 * A Beacon on an injected clock at MONDAY, in Berlin's business calendar with a public holiday on
 * Wednesday 2026-03-18 (the third week), whose sessions outlive the days the clock is moved by.
 */
export async function startBusinessWeekBeacon(
  env: Record<string, string> = {},
): Promise<{ t: TestBeacon; clock: ManualClock }> {
  const clock = new ManualClock(MONDAY);
  const t = await startTestBeacon({
    clock,
    env: {
      BEACON_TIME_ZONE: "Europe/Berlin",
      BEACON_HOLIDAYS: "2026-03-18",
      BEACON_SESSION_TTL_HOURS: "2160",
      BEACON_SESSION_IDLE_MINUTES: "129600",
      ...env,
    },
  });
  return { t, clock };
}
