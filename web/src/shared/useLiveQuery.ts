import { useEffect, useRef, useState } from "react";
import type { GraphQLRequestError } from "../graphql-client";
import { type LiveQueryHandle, type LiveQueryOptions, liveQuery } from "../live-query";

export interface LiveResult<S> {
  data: S | undefined;
  error: GraphQLRequestError | null;
  /** Reload the snapshot and resume from it. */
  resync: () => void;
  /** Apply a local change (e.g. a mutation's answer) without breaking the live stream. */
  update: (change: (state: S) => S) => void;
}

/**
 * React binding for `liveQuery`. `key` identifies the query: when it changes, the old live query is
 * stopped and a new one started. Options are read from a ref so callers need not memoise them.
 */
export function useLiveQuery<S, E, D = unknown>(
  key: string,
  options: Omit<LiveQueryOptions<S, E, D>, "onState" | "onError"> & {
    /** A snapshot already in hand (server-rendered first paint): shown at once, no blank first render. */
    initial?: S;
  },
): LiveResult<S> {
  const [data, setData] = useState<S | undefined>(options.initial);
  const mountedKey = useRef<string | null>(null);
  const [error, setError] = useState<GraphQLRequestError | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const handleRef = useRef<LiveQueryHandle<S> | null>(null);

  useEffect(() => {
    // Blank only when switching to another query, never on mount (that would undo the first paint).
    if (mountedKey.current !== null && mountedKey.current !== key) setData(undefined);
    mountedKey.current = key;
    setError(null);
    const opts = optionsRef.current;
    const handle = liveQuery<S, E, D>({
      ...opts,
      load: () => optionsRef.current.load(),
      apply: (state, event) => optionsRef.current.apply(state, event),
      onState: (state) => {
        setData(state);
        setError(null);
      },
      onError: setError,
    });
    handleRef.current = handle;
    return () => handle.stop();
  }, [key]);

  return {
    data,
    error,
    resync: () => handleRef.current?.resync(),
    update: (change) => handleRef.current?.update(change),
  };
}
