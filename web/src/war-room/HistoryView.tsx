import { useEffect, useState } from "react";
import { query, toRequestError } from "../graphql-client";
import { Time } from "../shared/Time";
import type { Catalog } from "./catalog";
import { describeChanges, describeSentence } from "./change-words";
import { useSubmit } from "./form-state";
import type { ChangeRecord, HistoryVerification } from "./queries";
import { HISTORY_QUERY, VERIFY_HISTORY } from "./queries";

/**
 * An append-only change history (oldest first) and a check of its hash chain, for any subject
 * (an incident's room, a service's history dialog). `reloadKey` reloads it, e.g. the version.
 */
export function ChangeHistory({
  load,
  verify: runVerify,
  reloadKey,
  catalog,
  testId = "history",
  recordTestIdPrefix = "history-v",
}: {
  load: () => Promise<ChangeRecord[] | null>;
  verify: () => Promise<HistoryVerification>;
  reloadKey: string;
  catalog: Catalog;
  testId?: string;
  recordTestIdPrefix?: string;
}) {
  const [records, setRecords] = useState<ChangeRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verified, setVerified] = useState<HistoryVerification | null>(null);
  const { busy: verifying, error: verifyError, run } = useSubmit();
  // A check that could not run shows as a failed check, with the server's message.
  const verification: HistoryVerification | null = verifyError
    ? { ok: false, checked: 0, firstBrokenVersion: null, message: verifyError.message }
    : verified;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reloadKey` says when to reload; `load` is read fresh
  useEffect(() => {
    let current = true;
    load()
      .then((loaded) => {
        if (!current) return;
        if (loaded) setRecords(loaded);
        else setError("It was not found; it may have been removed.");
      })
      .catch((e) => current && setError(toRequestError(e).message));
    return () => {
      current = false;
    };
  }, [reloadKey]);

  const verify = () =>
    run(async () => {
      setVerified(null);
      setVerified(await runVerify());
    });

  return (
    <div className="history" data-testid={testId}>
      <div className="history-head">
        <button type="button" className="button" onClick={verify} aria-disabled={verifying || undefined}>
          Verify history chain
        </button>
        {verification && (
          <p
            className={`notice ${verification.ok ? "notice-ok" : "notice-error"}`}
            role="status"
            data-testid="history-verification"
            data-ok={verification.ok}
          >
            <strong>{verification.ok ? "Intact." : "Broken."}</strong> {verification.message}
            {verification.checked > 0 && ` (${verification.checked} records checked)`}
            {verification.firstBrokenVersion != null &&
              ` First broken version: ${verification.firstBrokenVersion}.`}
          </p>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!records && !error && <p className="muted">Loading history…</p>}
      {records && (
        <ol className="history-list">
          {records.map((r) => (
            <li key={r.version} className="history-record" data-testid={`${recordTestIdPrefix}${r.version}`}>
              <div className="history-meta">
                <span className="history-version">v{r.version}</span>
                <strong>{describeSentence(r.description)}</strong>
              </div>
              <div className="small muted">
                {r.authorName} · <Time iso={r.at} /> · <code title={r.hash}>#{r.hash.slice(0, 10)}</code>
              </div>
              <FieldChanges record={r} catalog={catalog} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** An incident's history, reloaded whenever its version moves. */
export function HistoryView({
  incidentId,
  version,
  catalog,
}: {
  incidentId: string;
  version: number;
  catalog: Catalog;
}) {
  return (
    <ChangeHistory
      reloadKey={`${incidentId}:${version}`}
      catalog={catalog}
      load={async () => (await query(HISTORY_QUERY, { id: incidentId })).incident?.history ?? null}
      verify={async () => (await query(VERIFY_HISTORY, { id: incidentId })).verifyIncidentHistory}
    />
  );
}

/** A record's field changes as a small table, in words (names, not ids). */
export function FieldChanges({ record, catalog }: { record: ChangeRecord; catalog: Catalog }) {
  const changes = describeChanges(record, catalog);
  if (changes.length === 0) return null;
  return (
    <table className="changes">
      <caption className="sr-only">Field changes in version {record.version}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field} data-field={c.field}>
            <th scope="row">{c.label}</th>
            <td>{c.from}</td>
            <td>{c.to}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
