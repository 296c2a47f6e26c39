import {
  ADDRESS_AND_IP_WINDOW_SECONDS,
  ADDRESS_WINDOW_SECONDS,
  decideLoginAttempt,
  IP_WINDOW_SECONDS,
} from "../domain/login-throttle";
import type { Beacon } from "../kernel/context";
import { type LimitSpec, rateLimited } from "../rate-limit";

// The counts behind decideLoginAttempt (domain/login-throttle.ts), in PostgreSQL: shared by every
// instance, and each taken by one atomic upsert before the password is verified.
function specs(beacon: Beacon) {
  const l = beacon.config.limits;
  return {
    addressAndIp: {
      name: "login-address-ip",
      points: l.loginPerAddressAndIp,
      durationSeconds: ADDRESS_AND_IP_WINDOW_SECONDS,
    },
    address: { name: "login-address", points: l.loginPerAddress, durationSeconds: ADDRESS_WINDOW_SECONDS },
    ip: { name: "login-ip", points: l.loginPerIp, durationSeconds: IP_WINDOW_SECONDS },
  } satisfies Record<string, LimitSpec>;
}

/**
 * Counts a sign-in attempt for `email` (normalized) from `ip`, and throws RATE_LIMITED when its
 * password must not be verified. Returns what to call when the password was right.
 */
export async function admitSignIn(
  beacon: Beacon,
  email: string,
  ip: string,
): Promise<{ succeeded(): Promise<void> }> {
  const s = specs(beacon);
  const limits = beacon.rateLimits;
  const pair = JSON.stringify([email, ip]);
  const [addressAndIp, address, byIp] = await Promise.all([
    limits.count(s.addressAndIp, pair),
    limits.count(s.address, email),
    limits.count(s.ip, ip),
  ]);
  const verdict = decideLoginAttempt(
    { perAddressAndIp: s.addressAndIp.points, perAddress: s.address.points, perIp: s.ip.points },
    { addressAndIp, address, ip: byIp },
  );
  if (!verdict.verify) throw rateLimited(verdict.message, verdict.retryAfterMs);
  return {
    async succeeded() {
      await Promise.all([
        limits.reset(s.addressAndIp, pair),
        limits.reward(s.address, email),
        limits.reward(s.ip, ip),
      ]);
    },
  };
}

/** An admin set a new password: the email's own count starts again (per-address counts expire). */
export async function forgetSignInFailures(beacon: Beacon, email: string): Promise<void> {
  await beacon.rateLimits.reset(specs(beacon).address, email);
}
