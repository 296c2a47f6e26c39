import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlFrom } from "../support/from-address";
import { startTestBeacon, type TestBeacon } from "../support/harness";

// Each case signs in from its own loopback addresses (127.0.0.x). The anonymous HTTP limit is not
// what this file tests: it is lifted.
let t: TestBeacon;
beforeAll(async () => {
  t = await startTestBeacon({
    env: {
      BEACON_RATE_HTTP_PER_MINUTE: "100000",
      BEACON_LOGIN_MAX_FAILURES_PER_ADDRESS_AND_IP: "10",
      BEACON_LOGIN_MAX_FAILURES_PER_ADDRESS: "30",
      BEACON_LOGIN_MAX_FAILURES_PER_IP: "40",
    },
  });
});
afterAll(() => t?.stop());

const LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
const PASSWORD = "the-right-password-1";
let people = 0;

async function person(): Promise<string> {
  const email = `victim${++people}@test.local`;
  await t.admin.ok("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }", {
    i: { email, name: `Victim ${people}`, password: PASSWORD, role: "AGENT" },
  });
  return email;
}

type Outcome = "signed-in" | "incorrect" | "throttled";
/** Which limit throttled an attempt, told apart by its message (domain/login-throttle.ts). */
type Limit = "addressAndIp" | "ip" | "address";
const limitOf = (message: string): Limit =>
  message.includes("for this email from your network address")
    ? "addressAndIp"
    : message.includes("from your network address")
      ? "ip"
      : "address";

async function attempt(ip: string, email: string, password: string): Promise<[Outcome, Limit | null]> {
  const r = await graphqlFrom(ip, t.url, LOGIN, { e: email, p: password });
  if (r.body.data?.login) return ["signed-in", null];
  const e = r.body.errors?.[0];
  if (e?.extensions?.code === "UNAUTHENTICATED" && e.message === "Email or password is incorrect.") {
    expect(r.status).toBe(200);
    return ["incorrect", null];
  }
  expect(e?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
  expect(r.status).toBe(429);
  expect(r.headers["retry-after"]).toMatch(/^\d+$/);
  return ["throttled", limitOf(String(e?.message))];
}
const signIn = async (ip: string, email: string, password: string): Promise<Outcome> =>
  (await attempt(ip, email, password))[0];

const tally = (outcomes: Outcome[]) => ({
  incorrect: outcomes.filter((o) => o === "incorrect").length,
  throttled: outcomes.filter((o) => o === "throttled").length,
  signedIn: outcomes.filter((o) => o === "signed-in").length,
});

describe("sign-in throttling: atomic counts, backoff and never a lockout of the real user", () => {
  it("100 concurrent wrong passwords for one address from one IP get exactly 10 verifications", async () => {
    const email = await person();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt("127.0.0.2", email, `wrong-${i}`)),
    );
    // The (address, IP) count is taken atomically: exactly 10 attempts are under it, 90 over it.
    // The three counts are taken concurrently, so one of those 10 may meet this IP's or this
    // address's own limit first (40 and 30 here, both passed by 100 attempts) and be throttled by
    // that one instead: never more than 10 verifications, and every attempt accounted for.
    const byPair = results.filter(([, limit]) => limit === "addressAndIp").length;
    expect(byPair).toBe(90);
    const verified = results.filter(([o]) => o === "incorrect").length;
    expect(verified).toBeLessThanOrEqual(10);
    expect(verified + results.filter(([, limit]) => limit === "ip" || limit === "address").length).toBe(10);
    expect(results.some(([o]) => o === "signed-in")).toBe(false);

    // That IP backs off for this address, even with the right password...
    expect(await signIn("127.0.0.2", email, PASSWORD)).toBe("throttled");
    // ...while the real user, from an address that has not failed, signs in.
    expect(await signIn("127.0.0.3", email, PASSWORD)).toBe("signed-in");
  });

  it("unknown addresses are throttled the same way", async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 12; i++) outcomes.push(await signIn("127.0.0.4", "nobody@test.local", `guess-${i}`));
    expect(tally(outcomes)).toEqual({ incorrect: 10, throttled: 2, signedIn: 0 });
  });

  it("a guesser spread over many IPs: past the per-address limit only an IP that has not failed may try", async () => {
    const email = await person();
    // 30 failures from three addresses: the address's limit.
    for (const ip of ["127.0.0.10", "127.0.0.11", "127.0.0.12"]) {
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(ip, email, `x-${i}`)));
      expect(tally(outcomes).incorrect).toBe(10);
    }
    // A fresh address gets one verification in the window, then backs off for this address.
    expect(await signIn("127.0.0.13", email, "one-more-guess")).toBe("incorrect");
    expect(await signIn("127.0.0.13", email, PASSWORD)).toBe("throttled");
    // The real user, from an address that has not failed, still signs in.
    expect(await signIn("127.0.0.14", email, PASSWORD)).toBe("signed-in");
  });

  it("one IP guessing many addresses: exactly the per-IP number of verifications, concurrently", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn("127.0.0.20", `someone${i}@test.local`, "guess")),
    );
    expect(tally(outcomes)).toEqual({ incorrect: 40, throttled: 20, signedIn: 0 });
    // Others are not affected.
    const email = await person();
    expect(await signIn("127.0.0.21", email, PASSWORD)).toBe("signed-in");
  });

  it("a success gives its counts back: signing in repeatedly never throttles", async () => {
    const email = await person();
    for (let i = 0; i < 15; i++) expect(await signIn("127.0.0.30", email, PASSWORD)).toBe("signed-in");
  });
});
