import { describe, expect, it } from "vitest";
import { decideLoginAttempt, type LoginCounts } from "../../../server/domain/login-throttle";

const LIMITS = { perAddressAndIp: 10, perAddress: 50, perIp: 100 };
const n = (consumed: number, msBeforeNext = 60_000) => ({ consumed, msBeforeNext });
const counts = (addressAndIp: number, address: number, ip: number): LoginCounts => ({
  addressAndIp: n(addressAndIp, 5 * 60_000),
  address: n(address, 30 * 60_000),
  ip: n(ip, 45 * 60_000),
});

describe("decideLoginAttempt", () => {
  it("verifies while every count is within its limit (the limit itself included)", () => {
    expect(decideLoginAttempt(LIMITS, counts(1, 1, 1))).toEqual({ verify: true });
    expect(decideLoginAttempt(LIMITS, counts(10, 50, 100))).toEqual({ verify: true });
  });

  it("backs off one (email, IP) pair past its limit, saying when to try again", () => {
    const v = decideLoginAttempt(LIMITS, counts(11, 11, 11));
    expect(v).toMatchObject({ verify: false, limit: "addressAndIp", retryAfterMs: 5 * 60_000 });
    expect(v.verify || v.message).toMatch(/for this email from your network address.*5 minute/);
  });

  it("backs off one IP guessing many emails", () => {
    expect(decideLoginAttempt(LIMITS, counts(1, 1, 101))).toMatchObject({
      verify: false,
      limit: "ip",
      retryAfterMs: 45 * 60_000,
    });
  });

  it("past the per-email limit, an IP that has not failed in the window may still try (the real user)", () => {
    expect(decideLoginAttempt(LIMITS, counts(1, 51, 1))).toEqual({ verify: true });
    expect(decideLoginAttempt(LIMITS, counts(1, 500, 1))).toEqual({ verify: true });
  });

  it("past the per-email limit, an IP that failed before (for any email) may not", () => {
    expect(decideLoginAttempt(LIMITS, counts(2, 51, 2))).toMatchObject({ verify: false, limit: "address" });
    expect(decideLoginAttempt(LIMITS, counts(1, 51, 7))).toMatchObject({ verify: false, limit: "address" });
  });
});
