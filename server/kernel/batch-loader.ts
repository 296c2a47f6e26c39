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

const byContext = new WeakMap<BeaconContext, Map<string, BatchLoader<unknown, unknown>>>();

/**
 * The request's loader named `name`, made by `create` on first use. Each feature declares its own
 * loaders (e.g. `userLoader` in auth/) with this, so the kernel knows no feature's entities.
 */
export function requestLoader<K, V>(
  ctx: BeaconContext,
  name: string,
  create: () => BatchLoader<K, V>,
): BatchLoader<K, V> {
  let loaders = byContext.get(ctx);
  if (!loaders) {
    loaders = new Map();
    byContext.set(ctx, loaders);
  }
  let loader = loaders.get(name) as BatchLoader<K, V> | undefined;
  if (!loader) {
    loader = create();
    loaders.set(name, loader as BatchLoader<unknown, unknown>);
  }
  return loader;
}
