import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../server/auth/password-policy";

describe("passwordProblem", () => {
  it.each(["password", "12345678", "qwertyuiop", "password-123", "iloveyou123", "aaaaaaaaaaaa"])(
    "refuses %j as too easy to guess, saying what to do",
    (weak) => {
      expect(passwordProblem(weak)).toMatch(/too easy to guess.*three or four unrelated words work well\.$/);
    },
  );

  it("refuses short and overlong passwords with their limits", () => {
    expect(passwordProblem("x7#q")).toMatch(/at least 8 characters/);
    expect(passwordProblem("k9-".repeat(90))).toMatch(/at most 256 characters/);
  });

  it("refuses passwords made of the person's own name or email", () => {
    const me = ["martha.kowalski@example.com", "Martha Kowalski"];
    expect(passwordProblem("martha.kowalski", me)).toMatch(/based on your name or email/);
    expect(passwordProblem("MarthaKowalski2026", me)).toMatch(/based on your name or email/);
    // Containing a name is fine when the rest is a password by itself.
    expect(passwordProblem("martha-copper-lantern-orbit", me)).toBeNull();
  });

  it.each(["velvet-harbor-compass", "copper lantern orbit", "admin-password-1", "Tr0ub4dor&3x"])(
    "accepts %j",
    (fine) => {
      expect(passwordProblem(fine, ["someone@example.com", "Some One"])).toBeNull();
    },
  );
});
