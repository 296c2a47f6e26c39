import type { Backoff } from "../kernel/backoff";
import type { Logger } from "../kernel/log";
import { PgListener, type PgListenerState } from "../kernel/pg-listener";

/**
 * Who is in which war room right now, and who is typing. Ephemeral by design: presence is not an
 * incident change, so it is neither documented nor versioned. Signals travel between instances as
 * PostgreSQL NOTIFY on their own channel; each instance keeps the live picture in memory and lets
 * entries expire when their heartbeats stop.
 */
export const PRESENCE_CHANNEL = "beacon_presence";
export const PRESENCE_TTL_MS = 30_000;
/** Typing that is not refreshed stops showing quickly. */
export const TYPING_TTL_MS = 6_000;

export interface PresenceEntry {
  userId: string;
  name: string;
  typing: boolean;
  lastSeenAt: Date;
  typingAt: Date | null;
}

interface Signal {
  incidentId: string;
  userId: string;
  name: string;
  typing: boolean;
  left: boolean;
  at: string;
}

type Listener = (entries: PresenceEntry[]) => void;

export class PresenceHub {
  private readonly rooms = new Map<string, Map<string, PresenceEntry>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly listener: PgListener;
  private sweeper: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly now: () => Date,
    /** Runs `SELECT pg_notify(...)` on any pooled connection. */
    private readonly notify: (channel: string, payload: string) => Promise<unknown>,
    reconnect: { backoff: Backoff; connectTimeoutMs: number; onConnectionLost?: (err: unknown) => void },
  ) {
    // Signals sent while the connection is away are lost, and need no catching up: people in a room
    // send a heartbeat every ~10 s, so the picture is whole again one heartbeat after a reconnect.
    this.listener = new PgListener({
      url,
      channels: [PRESENCE_CHANNEL],
      name: "presence",
      log,
      onNotification: (n) => {
        if (n.channel !== PRESENCE_CHANNEL || !n.payload) return;
        try {
          this.apply(JSON.parse(n.payload) as Signal);
        } catch (err) {
          this.log.warn({ err }, "ignoring a malformed presence signal");
        }
      },
      ...reconnect,
    });
  }

  /** The LISTEN connection (readiness: /readyz). */
  get listenerState(): PgListenerState {
    return this.listener.state;
  }

  async start(): Promise<void> {
    await this.listener.start();
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  /** Sends a signal to every instance (including this one, via its own LISTEN). */
  async signal(s: Omit<Signal, "at">): Promise<void> {
    await this.notify(PRESENCE_CHANNEL, JSON.stringify({ ...s, at: this.now().toISOString() }));
  }

  private apply(s: Signal): void {
    let room = this.rooms.get(s.incidentId);
    if (s.left) {
      if (!room?.delete(s.userId)) return;
    } else {
      if (!room) {
        room = new Map();
        this.rooms.set(s.incidentId, room);
      }
      const at = new Date(s.at);
      room.set(s.userId, {
        userId: s.userId,
        name: s.name,
        typing: s.typing,
        lastSeenAt: at,
        typingAt: s.typing ? at : null,
      });
    }
    this.emit(s.incidentId);
  }

  private sweep(): void {
    const now = this.now().getTime();
    for (const [incidentId, room] of this.rooms) {
      let changed = false;
      for (const [userId, e] of room) {
        if (now - e.lastSeenAt.getTime() > PRESENCE_TTL_MS) {
          room.delete(userId);
          changed = true;
        } else if (e.typing && e.typingAt && now - e.typingAt.getTime() > TYPING_TTL_MS) {
          e.typing = false;
          changed = true;
        }
      }
      if (room.size === 0) this.rooms.delete(incidentId);
      if (changed) this.emit(incidentId);
    }
  }

  list(incidentId: string): PresenceEntry[] {
    return [...(this.rooms.get(incidentId)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  private emit(incidentId: string): void {
    const entries = this.list(incidentId);
    for (const l of this.listeners.get(incidentId) ?? []) l(entries);
  }

  /** The room's presence now, then again on every change, until the iterator is returned. */
  watch(incidentId: string, onClose: () => void): AsyncIterableIterator<PresenceEntry[]> {
    let pending: PresenceEntry[] | null = this.list(incidentId);
    let wake: (() => void) | null = null;
    let closed = false;
    const listener: Listener = (entries) => {
      pending = entries; // coalesce: a slow reader only ever gets the latest picture
      wake?.();
    };
    let set = this.listeners.get(incidentId);
    if (!set) {
      set = new Set();
      this.listeners.set(incidentId, set);
    }
    set.add(listener);
    const close = () => {
      if (closed) return;
      closed = true;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(incidentId);
      wake?.();
      onClose();
    };
    const it: AsyncIterableIterator<PresenceEntry[]> = {
      next: async () => {
        while (!closed && !this.stopped) {
          if (pending) {
            const value = pending;
            pending = null;
            return { value, done: false };
          }
          await new Promise<void>((r) => {
            wake = r;
          });
          wake = null;
        }
        return { value: undefined, done: true };
      },
      return: async () => {
        close();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const set of this.listeners.values()) for (const l of set) l([]);
    await this.listener.stop();
  }
}
