import type { StatusSummary } from "../status-page/queries";

/**
 * Data the server rendered the page with (server-side first paint). The server puts it in a
 * `<script type="application/json" id="beacon-preload">` block (data, never executed, so the
 * Content-Security-Policy needs no inline script); the browser reads it so its first render
 * matches the server's HTML, then consumes it once as the live query's snapshot; the subscription
 * resumes from its seq.
 */
export interface Preload {
  statusSummary?: StatusSummary;
}

export const PRELOAD_ELEMENT_ID = "beacon-preload";

let serverPreload: Preload | null = null;
/** undefined: not read from the document yet; null: the document carries none. */
let documentPreload: Preload | null | undefined;

/** Server-side rendering only: the data for the render in progress. */
export function setServerPreload(preload: Preload | null): void {
  serverPreload = preload;
}

function fromDocument(): Preload | null {
  if (documentPreload !== undefined) return documentPreload;
  const text =
    typeof document === "undefined" ? null : document.getElementById(PRELOAD_ELEMENT_ID)?.textContent;
  try {
    documentPreload = text ? (JSON.parse(text) as Preload) : null;
  } catch {
    documentPreload = null;
  }
  return documentPreload;
}

function source(): Preload | undefined {
  return serverPreload ?? fromDocument() ?? undefined;
}

/** Whether the page came with server-rendered data (then it is hydrated, not rendered afresh). */
export const hasPreload = (): boolean => fromDocument() !== null;

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
