import { useEffect, useState, useSyncExternalStore } from "react";
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

/** Sets document.title while mounted. */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title;
  }, [title]);
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
