import { useEffect, useState, useSyncExternalStore } from "react";
import { titleWithCount } from "../../../server/domain/attention";
import { type ConnectionState, getConnectionState, onConnectionState } from "../graphql-client";

// The page's one clock, at two paces: every 30 s for relative times ("5 minutes ago"), every second
// for countdowns (service-level clocks, time on hold). One timer per pace however many components
// read it, and none while nobody does; components of one pace re-render together.
function tickingClock(everyMs: number) {
  let now = Date.now();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (!timer) {
        now = Date.now();
        timer = setInterval(() => {
          now = Date.now();
          for (const l of listeners) l();
        }, everyMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    read: () => now,
  };
}

const clocks = { minute: tickingClock(30_000), second: tickingClock(1000) } as const;

/**
 * The current time: refreshed every 30 s ("minute", for relative times), or every second ("second",
 * for countdowns that show seconds).
 */
export function useNow(pace: keyof typeof clocks = "minute"): number {
  const clock = clocks[pace];
  return useSyncExternalStore(
    clock.subscribe,
    clock.read,
    // On the server every render needs the time of that request, not of the module's loading.
    () => (typeof window === "undefined" ? Date.now() : clock.read()),
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
