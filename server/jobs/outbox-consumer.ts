import type { DataSource, EntityManager } from "typeorm";
import { CoalescingPump, type EventHub, eventsAfter } from "../events";
import type { EventRecord } from "../events/event.entity";
import type { Logger } from "../kernel/log";
import { OutageLog } from "../kernel/unavailable";

const PAGE = 200;

/**
 * At least this long between the starts of two reads (CoalescingPump's spacing): a lone event is
 * read at once, a burst of writes (dozens a second) shares one transaction every 250 ms instead of
 * paying one each. Each read is five round trips besides the handler's own work, as many as the
 * command that wrote the event; nothing waits on it but the deliveries (mail, webhooks), for which
 * a quarter of a second is nothing, and a subscription never gets an event from before it was made
 * (`since_seq`), so how far the cursor lags changes nothing else.
 */
export const CONSUMER_SPACING_MS = 250;

/**
 * Reads the outbox by seq with its cursor in the database (`outbox_cursor`) and hands each page of
 * events to `handle` inside the transaction that advances the cursor. The cursor row is locked
 * (FOR UPDATE) for that transaction, so with any number of instances each event is handled once
 * per consumer: what `handle` writes (e.g. jobs enqueued through the job runner with the same
 * manager) commits together with the cursor or not at all. A crash before commit leaves the cursor
 * where it was, and the page is handled again.
 */
export class OutboxConsumer {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private readonly outage: OutageLog;
  private readonly pump = new CoalescingPump(() => this.readPages(), {
    onSuccess: () => this.outage.ok(),
    onError: (err) => this.outage.failed(err, "outbox consumer failed; will retry", { consumer: this.name }),
    active: () => !this.stopped,
    spacingMs: CONSUMER_SPACING_MS,
  });

  constructor(
    private readonly name: string,
    private readonly db: DataSource,
    private readonly hub: EventHub,
    log: Logger,
    /** Handles a page; true when it left work for `afterCommit` to wake (e.g. it enqueued jobs). */
    private readonly handle: (events: EventRecord[], m: EntityManager) => Promise<boolean>,
    /**
     * Called after a page committed whose handler said it left work (e.g. to wake this instance's job
     * workers): not after the pages that enqueued nothing, where the wake-up only made the workers
     * query for jobs that are not there.
     */
    private readonly afterCommit: () => void = () => {},
  ) {
    this.outage = new OutageLog(log, `outbox consumer ${name}`);
  }

  async start(): Promise<void> {
    this.stopped = false;
    // A new consumer starts at the current end of the outbox: it does not replay history.
    await this.db.query(
      "INSERT INTO outbox_cursor (name, seq) SELECT $1, value FROM counter WHERE name = 'event' ON CONFLICT (name) DO NOTHING",
      [this.name],
    );
    this.unlisten = this.hub.onDispatched(() => this.wake());
    // A lost wake-up (another instance wrote, our hub missed nothing but we were busy) is caught here.
    this.timer = setInterval(() => this.wake(), 2000);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    this.pump.request();
  }

  /** Resolves when everything committed before the call has been handled (tests). */
  async drain(): Promise<void> {
    this.wake();
    await this.pump.idle();
  }

  private async readPages(): Promise<void> {
    while (!this.stopped) {
      const { count, work } = await this.db.transaction(async (m) => {
        const [cursor]: { seq: string }[] = await m.query(
          "SELECT seq::text AS seq FROM outbox_cursor WHERE name = $1 FOR UPDATE",
          [this.name],
        );
        if (!cursor) throw new Error(`outbox cursor "${this.name}" is missing: start() creates it`);
        const events = await eventsAfter(m, cursor.seq, PAGE);
        const last = events.at(-1);
        if (!last) return { count: 0, work: false };
        const work = await this.handle(events, m);
        await m.query("UPDATE outbox_cursor SET seq = $2 WHERE name = $1", [this.name, last.seq]);
        return { count: events.length, work };
      });
      if (work) this.afterCommit();
      if (count < PAGE) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unlisten?.();
    await this.pump.idle();
  }
}
