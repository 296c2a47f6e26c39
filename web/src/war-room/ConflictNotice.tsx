import { useEffect, useState } from "react";
import { query } from "../graphql-client";
import type { Catalog } from "./catalog";
import { describeChanges } from "./change-words";
import type { ChangeRecord } from "./queries";
import { HISTORY_QUERY } from "./queries";

/** The change records after `after` (what someone else changed), loaded when a conflict is reported. */
export function useChangesSince(incidentId: string, after: number | null, version: number) {
  const [records, setRecords] = useState<ChangeRecord[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the version moves again
  useEffect(() => {
    if (after === null) {
      setRecords(null);
      return;
    }
    let current = true;
    query(HISTORY_QUERY, { id: incidentId })
      .then((data) => current && setRecords((data.incident?.history ?? []).filter((r) => r.version > after)))
      .catch(() => current && setRecords([]));
    return () => {
      current = false;
    };
  }, [incidentId, after, version]);
  return records;
}

/**
 * After a CONFLICT on an incident: it has been reloaded; says which versions, lists what someone else
 * changed meanwhile (in words), and the server's message. The form keeps the user's edits for a retry.
 */
export function ConflictNotice({
  incidentId,
  staleVersion,
  baseVersion,
  version,
  catalog,
  message,
}: {
  incidentId: string;
  /** The version the user had been looking at. */
  staleVersion: number | null;
  /** The version the retry acts on. */
  baseVersion: number;
  /** The incident's version now (reloads the list when it moves again). */
  version: number;
  catalog: Catalog;
  message: string;
}) {
  const changes = useChangesSince(incidentId, staleVersion, version);
  return (
    <div className="notice notice-warning" role="alert" data-testid="conflict-notice">
      <strong>Someone else changed this incident while you were looking at it.</strong> It has been reloaded
      (version {staleVersion} → {baseVersion}). Check what changed, then try again.
      {changes === null ? (
        <p className="small muted">Loading what changed…</p>
      ) : (
        <ul className="conflict-changes" data-testid="conflict-changes">
          {changes.map((r) => (
            <li key={r.version} data-testid={`conflict-change-v${r.version}`}>
              <strong>{r.description}</strong>{" "}
              <span className="small muted">
                — {r.authorName}, v{r.version}
              </span>
              {describeChanges(r, catalog).length > 0 && (
                <ul className="small">
                  {describeChanges(r, catalog).map((c) => (
                    <li key={c.field}>
                      {c.label}: {c.from} → <strong>{c.to}</strong>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="small muted">Server: {message}</div>
    </div>
  );
}
