import type { StatusSummary } from "../status-page/queries";

/**
 * Data the server rendered the page with (server-side first paint). The browser reads it from
 * `window.__BEACON_PRELOAD__` so its first render matches the server's HTML, then consumes it once
 * as the live query's snapshot; the subscription resumes from its seq.
 */
export interface Preload {
  statusSummary?: StatusSummary;
}

declare global {
  interface Window {
    __BEACON_PRELOAD__?: Preload;
  }
}

let serverPreload: Preload | null = null;

/** Server-side rendering only: the data for the render in progress. */
export function setServerPreload(preload: Preload | null): void {
  serverPreload = preload;
}

function source(): Preload | undefined {
  if (serverPreload) return serverPreload;
  return typeof window === "undefined" ? undefined : window.__BEACON_PRELOAD__;
}

export function peekPreloaded<K extends keyof Preload>(key: K): Preload[K] | undefined {
  return source()?.[key];
}

/** Returns the preloaded value and forgets it: later loads (resync, navigation) go to the server. */
export function takePreloaded<K extends keyof Preload>(key: K): Preload[K] | undefined {
  const from = source();
  const value = from?.[key];
  if (from && !serverPreload) delete from[key];
  return value;
}
