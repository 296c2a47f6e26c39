export interface CoalescingPumpOptions {
  /** A failed run is reported here; the next request runs again. */
  onError: (err: unknown) => void;
  /** After each run that succeeded (e.g. to say an outage is over). */
  onSuccess?: () => void;
  /** Asked before every run, the queued one included: false once the owner has stopped. */
  active?: () => boolean;
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

  constructor(
    private readonly task: () => Promise<void>,
    private readonly options: CoalescingPumpOptions,
  ) {}

  request(): void {
    if (this.options.active && !this.options.active()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.task()
      .then(() => this.options.onSuccess?.())
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Resolves once no run is under way or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
