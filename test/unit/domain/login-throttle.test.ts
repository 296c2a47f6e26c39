import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../../../server/domain/login-throttle";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));

describe("LoginThrottle", () => {
  it("allows attempts until the limit of failures within the window", () => {
    const t = new LoginThrottle(3, 15 * 60_000);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter("a@x", at(i))).toBe(0);
      t.fail("a@x", at(i));
    }
    // The 4th attempt waits until the first failure leaves the window (minute 0 + 15).
    expect(t.retryAfter("a@x", at(3))).toBe(12 * 60_000);
    expect(t.retryAfter("b@x", at(3))).toBe(0);
    expect(t.retryAfter("a@x", at(15))).toBe(0);
  });

  it("forgets failures after a success", () => {
    const t = new LoginThrottle(2, 60_000);
    t.fail("a@x", at(0));
    t.fail("a@x", at(0));
    expect(t.retryAfter("a@x", at(0))).toBeGreaterThan(0);
    t.succeed("a@x");
    expect(t.retryAfter("a@x", at(0))).toBe(0);
  });
});
