import { useEffect, useState, useSyncExternalStore } from "react";
import { titleWithCount } from "../../../server/domain/attention";
import { type ConnectionState, getConnectionState, onConnectionState } from "../graphql-client";

// One ticking clock for every relative time on the page.
let now = Date.now();
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | undefined;

function subscribeClock(listener: () => void) {
  clockListeners.add(listener);
  if (!clockTimer) {
    clockTimer = setInterval(() => {
      now = Date.now();
      for (const l of clockListeners) l();
    }, 30_000);
  }
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = undefined;
    }
  };
}

/** The current time, refreshed every 30 s. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribeClock,
    () => now,
    // On the server every render needs the time of that request, not of the module's loading.
    () => (typeof window === "undefined" ? Date.now() : now),
  );
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionState, getConnectionState, () => "reconnecting" as const);
}

// How many things wait for the signed-in person (the war room's attention banner sets it): every
// page's title carries it, "(2) Incidents · Beacon war room".
let titleCount = 0;
const titleListeners = new Set<() => void>();

export function setTitleCount(count: number) {
  if (count === titleCount) return;
  titleCount = count;
  for (const l of titleListeners) l();
}

function subscribeTitle(listener: () => void) {
  titleListeners.add(listener);
  return () => titleListeners.delete(listener);
}

/** Sets document.title while mounted, with the attention count in front when there is one. */
export function useDocumentTitle(title: string) {
  const count = useSyncExternalStore(
    subscribeTitle,
    () => titleCount,
    () => 0,
  );
  useEffect(() => {
    document.title = titleWithCount(count, title);
  }, [title, count]);
}

/** Debounced value. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
