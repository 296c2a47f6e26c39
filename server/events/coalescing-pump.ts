export interface CoalescingPumpOptions {
  /** A failed run is reported here; the next request runs again. */
  onError: (err: unknown) => void;
  /** After each run that succeeded (e.g. to say an outage is over). */
  onSuccess?: () => void;
  /** Asked before every run, the queued one included: false once the owner has stopped. */
  active?: () => boolean;
  /**
   * At least this long between the starts of two runs (default 0): a request that comes sooner
   * waits for the rest of it, and every request made meanwhile shares that one run. For work that
   * is costly and whose result may lag a little (the public snapshot), so a burst of writes does
   * not pay one rebuild each.
   */
  spacingMs?: number;
}

/**
 * Runs `task` when asked, one run at a time. Asked while a run is under way, it runs once more right
 * after it, however often it was asked meanwhile: each request is followed by a whole run that began
 * after it, and bursts of requests (a NOTIFY per commit, a timer) cost one extra run, not one each.
 * The event hub, the outbox consumers and the public snapshot each drive their reading this way.
 */
export class CoalescingPump {
  private running: Promise<void> | null = null;
  private again = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** A run is due but waits out the spacing: requests meanwhile are served by it. */
  private waiting = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly options: CoalescingPumpOptions,
  ) {}

  request(): void {
    if (this.options.active && !this.options.active()) return;
    if (this.running) {
      if (!this.waiting) this.again = true;
      return;
    }
    const run = () => {
      this.waiting = false;
      this.lastStart = performance.now();
      return this.task().then(() => this.options.onSuccess?.());
    };
    const wait = this.lastStart + (this.options.spacingMs ?? 0) - performance.now();
    this.waiting = wait > 0;
    this.running = (
      wait > 0
        ? new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() =>
            // Stopped while waiting: no run.
            this.options.active && !this.options.active() ? undefined : run(),
          )
        : run()
    )
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.running = null;
        this.waiting = false;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Resolves once no run is under way or queued (waiting out the spacing included). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
