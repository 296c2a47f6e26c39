/**
 * Sign-in throttling: backoff, never a lockout of the real user (docs/security.md, "Sign-in
 * throttling"). Three counts are taken atomically BEFORE a password is verified (the caller counts in
 * PostgreSQL, server/rate-limit/), so no number of concurrent guesses gets more verifications than
 * the limits allow:
 *
 * - per (email, IP), 15 minutes: the guesser at one address backs off; nobody else is affected.
 * - per IP, one hour: one address guessing many emails backs off.
 * - per email, one hour: a guesser spread over many addresses. Past it, the email is not locked:
 *   an attempt is still verified when it is the FIRST one from its IP in the window (an address that
 *   has not failed recently, like the real user's), so a correct password from a clean address
 *   signs in, while each address of a botnet gets one guess an hour.
 *
 * A success gives its counts back (it was not a failure) and clears the (email, IP) count.
 */
export interface LoginLimits {
  perAddressAndIp: number;
  perAddress: number;
  perIp: number;
}

export const ADDRESS_AND_IP_WINDOW_SECONDS = 15 * 60;
export const ADDRESS_WINDOW_SECONDS = 60 * 60;
export const IP_WINDOW_SECONDS = 60 * 60;

/** One atomically taken count: uses in the window, this attempt included, and when the window ends. */
export interface AttemptCount {
  consumed: number;
  msBeforeNext: number;
}

export interface LoginCounts {
  addressAndIp: AttemptCount;
  address: AttemptCount;
  ip: AttemptCount;
}

export type LoginVerdict =
  | { verify: true }
  | { verify: false; limit: "addressAndIp" | "ip" | "address"; retryAfterMs: number; message: string };

const minutes = (ms: number) => `${Math.max(1, Math.ceil(ms / 60_000))} minute(s)`;

/** Whether this attempt's password may be verified, from its counts. Pure. */
export function decideLoginAttempt(limits: LoginLimits, counts: LoginCounts): LoginVerdict {
  if (counts.addressAndIp.consumed > limits.perAddressAndIp) {
    return {
      verify: false,
      limit: "addressAndIp",
      retryAfterMs: counts.addressAndIp.msBeforeNext,
      message: `Too many failed sign-ins for this email from your network address. Try again in ${minutes(counts.addressAndIp.msBeforeNext)}, or ask an admin to reset the password.`,
    };
  }
  if (counts.ip.consumed > limits.perIp) {
    return {
      verify: false,
      limit: "ip",
      retryAfterMs: counts.ip.msBeforeNext,
      message: `Too many failed sign-ins from your network address. Try again in ${minutes(counts.ip.msBeforeNext)}.`,
    };
  }
  const firstFromThisIp = counts.ip.consumed === 1 && counts.addressAndIp.consumed === 1;
  if (counts.address.consumed > limits.perAddress && !firstFromThisIp) {
    return {
      verify: false,
      limit: "address",
      retryAfterMs: counts.address.msBeforeNext,
      message: `Too many failed sign-ins for this email. Try again in ${minutes(counts.address.msBeforeNext)}, or ask an admin to reset the password.`,
    };
  }
  return { verify: true };
}
