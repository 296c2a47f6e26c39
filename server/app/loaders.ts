import { In } from "typeorm";
import { User } from "../auth/user.entity";
import { Queue } from "../queues/queue.entity";
import { Service } from "../services/service.entity";
import type { BeaconContext } from "./context";

/**
 * Collects the keys asked for while one GraphQL result is being resolved and fetches them in one
 * query, so a list of 50 incidents costs a handful of queries instead of 4 per row. Per request:
 * nothing is cached across requests, so nobody ever sees stale data from another one.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, { resolve: (v: V) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: V,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current wave of resolvers has asked (same trick as DataLoader).
        Promise.resolve().then(() => process.nextTick(() => void this.dispatch()));
      }
    });
  }

  private async dispatch(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    try {
      const found = await this.fetch([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key) ?? this.missing);
    } catch (e) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
    }
  }
}

export interface Loaders {
  user: BatchLoader<string, User | null>;
  queue: BatchLoader<string, Queue | null>;
  /** Services of an incident, in display order. */
  incidentServices: BatchLoader<string, Service[]>;
}

const byContext = new WeakMap<BeaconContext, Loaders>();

export function loadersOf(ctx: BeaconContext): Loaders {
  let loaders = byContext.get(ctx);
  if (loaders) return loaders;
  const m = ctx.beacon.db.manager;
  loaders = {
    user: new BatchLoader(async (ids) => {
      const rows = await m.find(User, { where: { id: In(ids) } });
      return new Map(rows.map((u) => [u.id, u]));
    }, null),
    queue: new BatchLoader(async (ids) => {
      const rows = await m.find(Queue, { where: { id: In(ids) } });
      return new Map(rows.map((q) => [q.id, q]));
    }, null),
    incidentServices: new BatchLoader(async (incidentIds) => {
      const links: { incident_id: string; service_id: string }[] = await m.query(
        "SELECT incident_id, service_id FROM incident_service WHERE incident_id = ANY($1)",
        [incidentIds],
      );
      const services = links.length
        ? await m.find(Service, {
            where: { id: In([...new Set(links.map((l) => l.service_id))]) },
            order: { position: "ASC", name: "ASC" },
          })
        : [];
      const result = new Map<string, Service[]>();
      for (const id of incidentIds) {
        const mine = new Set(links.filter((l) => l.incident_id === id).map((l) => l.service_id));
        result.set(
          id,
          services.filter((s) => mine.has(s.id)),
        );
      }
      return result;
    }, []),
  };
  byContext.set(ctx, loaders);
  return loaders;
}
