/**
 * Slows down password guessing: after MAX_FAILURES failed sign-ins for one email within WINDOW_MS,
 * further attempts for that email are refused until the window has passed. Pure bookkeeping over
 * an injected clock; the auth service keeps one per server instance.
 */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until the next attempt is allowed; 0 when it is allowed now. */
  retryAfter(key: string, now: Date): number {
    const recent = this.recent(key, now.getTime());
    if (recent.length < this.max) return 0;
    return recent[recent.length - this.max]! + this.windowMs - now.getTime();
  }

  fail(key: string, now: Date): void {
    this.failures.set(key, [...this.recent(key, now.getTime()), now.getTime()]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
