/**
 * When a sign-in session stops being good. A session ends when it is revoked (sign-out, password
 * change, deactivation), when its absolute lifetime is over, or when nobody used it for the idle
 * time (docs/security.md, "Sessions").
 *
 * "Used" is recorded coarsely: the stored last-use time is moved forward at most once per
 * TOUCH_EVERY_MS, so a busy session costs one UPDATE a minute rather than one per request. An idle
 * session can therefore end up to that much earlier than the exact idle time after its last request.
 */
export const TOUCH_EVERY_MS = 60_000;

export interface SessionTimes {
  expiresAt: Date;
  lastUsedAt: Date;
  revokedAt: Date | null;
}

export type SessionVerdict = "active" | "revoked" | "expired" | "idle";

export function sessionVerdict(session: SessionTimes, now: Date, idleMs: number): SessionVerdict {
  if (session.revokedAt) return "revoked";
  if (session.expiresAt.getTime() <= now.getTime()) return "expired";
  if (now.getTime() - session.lastUsedAt.getTime() >= idleMs) return "idle";
  return "active";
}

/** Whether this use should move the stored last-use time forward. */
export const needsTouch = (lastUsedAt: Date, now: Date): boolean =>
  now.getTime() - lastUsedAt.getTime() >= TOUCH_EVERY_MS;

const duration = (ms: number): string => {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 !== 0) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = minutes / 60;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
};

/** What a caller holding a session that is no longer active is told (always: sign in again). */
export function sessionEndedMessage(verdict: Exclude<SessionVerdict, "active">, idleMs: number): string {
  switch (verdict) {
    case "idle":
      return `You were signed out after ${duration(idleMs)} without activity; sign in again with login(email, password).`;
    case "revoked":
      return "Your session has ended (signed out, or the password or account changed); sign in again with login(email, password).";
    case "expired":
      return "Your session has expired; sign in again with login(email, password).";
  }
}
