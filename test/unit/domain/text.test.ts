import { describe, expect, it } from "vitest";
import { requireText, slugify, validateContactAttemptTime, validateSlug } from "../../../server/domain/text";
import { ErrorCode } from "../../../server/domain/vocabulary";

describe("requireText", () => {
  it("returns the trimmed text", () => {
    expect(requireText("Title", "  Checkout is down \n")).toEqual({ ok: true, value: "Checkout is down" });
  });

  it.each([[""], ["   \t\n "], [null], [undefined]])("refuses %j as empty", (value) => {
    expect(requireText("Title", value)).toEqual({
      ok: false,
      code: ErrorCode.BAD_USER_INPUT,
      message: "Title must not be empty.",
    });
  });

  it("accepts exactly the limit and refuses one more, naming the limit", () => {
    expect(requireText("Note", "a".repeat(20), 20).ok).toBe(true);
    const d = requireText("Note", "a".repeat(21), 20);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    expect(d.ok ? "" : d.message).toContain("Note must be at most 20 characters; it has 21");
  });

  it("defaults to 10000 characters", () => {
    expect(requireText("Note", "x".repeat(10000)).ok).toBe(true);
    expect(requireText("Note", "x".repeat(10001)).ok).toBe(false);
  });

  it("measures after trimming", () => {
    expect(requireText("Note", `  ${"a".repeat(5)}  `, 5)).toEqual({ ok: true, value: "aaaaa" });
  });

  it("counts an emoji as one character", () => {
    expect(requireText("Title", "🔥🔥🔥", 3).ok).toBe(true);
    expect(requireText("Title", "🔥🔥🔥🔥", 3).ok).toBe(false);
  });
});

describe("slugify", () => {
  it.each([
    ["Payments API (EU)", "payments-api-eu"],
    ["Café Crème", "cafe-creme"],
    ["  --Hello__World--  ", "hello-world"],
    ["Login", "login"],
    ["v2 Search", "v2-search"],
    ["!!!", ""],
  ])("%j -> %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it("caps at 64 characters without a trailing dash", () => {
    expect(slugify(`${"a".repeat(63)} b`)).toBe("a".repeat(63));
    expect(slugify("b".repeat(100))).toHaveLength(64);
  });

  it("produces slugs validateSlug accepts", () => {
    for (const name of ["Payments API (EU)", "Café Crème", `${"a".repeat(63)} b`, "X"]) {
      expect(validateSlug(slugify(name)).ok).toBe(true);
    }
  });
});

describe("validateSlug", () => {
  it.each([["a"], ["api"], ["a-b-9"], ["2fa"], ["x".repeat(64)]])("accepts %j", (slug) => {
    expect(validateSlug(slug)).toEqual({ ok: true, value: slug });
  });

  it.each([[""], ["-a"], ["a-"], ["A"], ["a_b"], ["a b"], ["ü"], ["x".repeat(65)]])("refuses %j", (slug) => {
    expect(validateSlug(slug)).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
  });

  it("explains the rule and suggests a fix", () => {
    const d = validateSlug("Payments API");
    expect(d.ok ? "" : d.message).toBe(
      'Slug "Payments API" is invalid: use 1-64 lowercase letters, digits and dashes, starting and ending with a letter or digit (e.g. "payments-api").',
    );
  });
});

describe("validateContactAttemptTime", () => {
  const created = new Date("2026-03-02T09:00:00Z");
  const now = new Date("2026-03-05T12:00:00Z");
  const plus = (ms: number) => new Date(now.getTime() + ms);

  it("accepts now, the creation time and anything between", () => {
    expect(validateContactAttemptTime(now, created, now)).toEqual({ ok: true, value: now });
    expect(validateContactAttemptTime(created, created, now).ok).toBe(true);
    expect(validateContactAttemptTime(new Date("2026-03-03T10:00:00Z"), created, now).ok).toBe(true);
  });

  it("tolerates up to one minute of clock skew", () => {
    expect(validateContactAttemptTime(plus(60_000), created, now).ok).toBe(true);
    const d = validateContactAttemptTime(plus(60_001), created, now);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    expect(d.ok ? "" : d.message).toContain("is in the future");
  });

  it("refuses times before the incident was opened", () => {
    const d = validateContactAttemptTime(new Date(created.getTime() - 1), created, now);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    expect(d.ok ? "" : d.message).toContain("before the incident was opened (2026-03-02T09:00:00.000Z)");
  });

  it("refuses an invalid date", () => {
    const d = validateContactAttemptTime(new Date("yesterday-ish"), created, now);
    expect(d).toMatchObject({ ok: false, code: ErrorCode.BAD_USER_INPUT });
    expect(d.ok ? "" : d.message).toContain("ISO 8601");
  });
});
