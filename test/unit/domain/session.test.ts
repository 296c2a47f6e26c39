import { describe, expect, it } from "vitest";
import {
  needsTouch,
  sessionEndedMessage,
  sessionVerdict,
  TOUCH_EVERY_MS,
} from "../../../server/domain/session";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));
const IDLE = 8 * 60 * 60_000;
const session = (lastUsedMin: number, expiresMin = 12 * 60, revoked = false) => ({
  lastUsedAt: at(lastUsedMin),
  expiresAt: at(expiresMin),
  revokedAt: revoked ? at(0) : null,
});

describe("sessionVerdict", () => {
  it("is active while used within the idle time and before the absolute expiry", () => {
    expect(sessionVerdict(session(0), at(1), IDLE)).toBe("active");
    expect(sessionVerdict(session(0), at(8 * 60 - 1), IDLE)).toBe("active");
  });

  it("is idle once the idle time has passed since the last use", () => {
    expect(sessionVerdict(session(0), at(8 * 60), IDLE)).toBe("idle");
    // Used recently: the idle clock restarts from the last use.
    expect(sessionVerdict(session(5 * 60), at(8 * 60), IDLE)).toBe("active");
  });

  it("ends at the absolute expiry however recently it was used", () => {
    expect(sessionVerdict(session(12 * 60 - 1), at(12 * 60), IDLE)).toBe("expired");
  });

  it("ends when revoked, before anything else", () => {
    expect(sessionVerdict(session(0, 12 * 60, true), at(1), IDLE)).toBe("revoked");
  });
});

describe("needsTouch", () => {
  it("writes the last use at most once per minute", () => {
    const last = at(10);
    expect(needsTouch(last, new Date(last.getTime() + TOUCH_EVERY_MS - 1))).toBe(false);
    expect(needsTouch(last, new Date(last.getTime() + TOUCH_EVERY_MS))).toBe(true);
  });
});

describe("sessionEndedMessage", () => {
  it("says why and tells to sign in again", () => {
    expect(sessionEndedMessage("idle", IDLE)).toMatch(/after 8 hours without activity; sign in again/);
    expect(sessionEndedMessage("idle", 90 * 60_000)).toMatch(/after 90 minutes/);
    expect(sessionEndedMessage("idle", 60 * 60_000)).toMatch(/after 1 hour without/);
    expect(sessionEndedMessage("expired", IDLE)).toMatch(/expired; sign in again/);
    expect(sessionEndedMessage("revoked", IDLE)).toMatch(/sign in again/);
  });
});
