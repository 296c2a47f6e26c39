// The one way a war-room form submits, and the one way it keeps the user's edits after a conflict.
import { useState } from "react";
import { toRequestError } from "../graphql-client";

/** Why a submission failed: the server's message verbatim and its code, or a check made here (no code). */
export interface SubmitError {
  message: string;
  code?: string;
}

/**
 * Busy and error state for a form that sends a request: `run` ignores a submit while one is under
 * way, clears the last error, and keeps the refusal (message and code) when the task throws.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SubmitError | null>(null);
  const run = async (task: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      const refusal = toRequestError(e);
      setError({ message: refusal.message, code: refusal.code });
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/**
 * After a conflict: the fields the user edited keep the user's values, every other field takes the
 * reloaded record's value, so a retry does not quietly put back what someone else just changed.
 */
export function keepEdits<V extends object>(mine: V, fresh: V, touched: ReadonlySet<keyof V>): V {
  const next = { ...mine };
  for (const key of Object.keys(fresh) as (keyof V)[]) if (!touched.has(key)) next[key] = fresh[key];
  return next;
}

/**
 * A form's values and which of them the user edited: `edit` records an edit, `rebase(fresh)` takes a
 * reloaded record's values for the fields the user did not touch (see `keepEdits`), `reset(saved)`
 * starts over from a saved record (nothing edited). `dirty` says whether the user edited anything.
 */
export function useEditedValues<V extends object>(initial: V | (() => V)) {
  const [values, setValues] = useState<V>(initial);
  const [touched, setTouched] = useState<ReadonlySet<keyof V>>(() => new Set());
  const edit = <K extends keyof V>(key: K, value: V[K]) => {
    setTouched((old) => new Set(old).add(key));
    setValues((old) => ({ ...old, [key]: value }));
  };
  const rebase = (fresh: V) => setValues((old) => keepEdits(old, fresh, touched));
  const reset = (saved: V) => {
    setTouched(new Set());
    setValues(saved);
  };
  return { values, edit, rebase, reset, dirty: touched.size > 0 };
}
