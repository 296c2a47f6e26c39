import { useCallback, useEffect, useState } from "react";
import { PROBLEM_TRANSITIONS } from "../../../../server/domain/problem";
import { ProblemState } from "../../../../server/domain/vocabulary";
import { mutate, query, toRequestError } from "../../graphql-client";
import { useDocumentTitle } from "../../shared/hooks";
import { Link } from "../../shared/router";
import { Time } from "../../shared/Time";
import { PriorityBadge, StateBadge } from "../badges";
import { type Catalog, refreshCatalog } from "../catalog";
import { type Actor, mayDo } from "../commands";
import { FormField } from "../FormField";
import { useEditedValues, useSubmit } from "../form-state";
import { ChangeHistory } from "../HistoryView";
import { FormError } from "../ModalForm";
import {
  PROBLEM_HISTORY_QUERY,
  PROBLEM_QUERY,
  type Problem,
  UPDATE_PROBLEM,
  VERIFY_PROBLEM_HISTORY,
} from "../problem-queries";
import { ProblemStateBadge } from "./ProblemBadge";

/** The button that moves a problem from `from` to `to`, in words. */
function transitionLabel(from: ProblemState, to: ProblemState): string {
  if (to === ProblemState.KNOWN_ERROR)
    return from === ProblemState.RESOLVED ? "Back to known error" : "Mark as known error";
  if (to === ProblemState.RESOLVED) return "Resolve";
  if (to === ProblemState.CLOSED) return "Close";
  return to;
}

interface Findings {
  rootCause: string;
  workaround: string;
}
const findingsOf = (p: Problem): Findings => ({
  rootCause: p.rootCause ?? "",
  workaround: p.workaround ?? "",
});

/**
 * One problem record: number, title, description, state with the moves its rules allow, root cause
 * and workaround (one versioned change each save), the incidents linked to it, and its history.
 */
export function ProblemPage({ id, actor, catalog }: { id: string; actor: Actor; catalog: Catalog }) {
  const [problem, setProblem] = useState<Problem | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  useDocumentTitle(problem ? `${problem.number} ${problem.title} · Problems` : "Problem · Beacon war room");

  const load = useCallback(
    () =>
      query(PROBLEM_QUERY, { id })
        .then((d) => {
          setProblem(d.problem);
          setLoadError(null);
          return d.problem;
        })
        .catch((e) => {
          setLoadError(toRequestError(e).message);
          return null;
        }),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (problem === undefined) {
    return loadError ? (
      <p className="notice notice-error" role="alert">
        {loadError}
      </p>
    ) : (
      <div className="card skeleton" style={{ height: 320 }} aria-busy="true" />
    );
  }
  if (problem === null) {
    return (
      <div className="card empty">
        <h1 className="page-title">Problem not found</h1>
        <p>
          There is no problem record with this number. <Link to="/war-room/problems">Back to problems</Link>
        </p>
      </div>
    );
  }
  return (
    <ProblemView
      key={problem.id}
      problem={problem}
      actor={actor}
      catalog={catalog}
      onChanged={(p) => {
        setProblem(p);
        refreshCatalog();
      }}
      reload={load}
    />
  );
}

function ProblemView({
  problem,
  actor,
  catalog,
  onChanged,
  reload,
}: {
  problem: Problem;
  actor: Actor;
  catalog: Catalog;
  onChanged: (problem: Problem) => void;
  reload: () => Promise<Problem | null>;
}) {
  const { values, edit, rebase, reset } = useEditedValues<Findings>(() => findingsOf(problem));
  const { busy, error, run } = useSubmit();
  // After a conflict: the version the user had seen, and the one the retry acts on.
  const [conflict, setConflict] = useState<{ from: number; to: number } | null>(null);
  const [baseVersion, setBaseVersion] = useState(problem.version);
  const [saved, setSaved] = useState<string | null>(null);
  const canEdit = problem.state !== ProblemState.CLOSED && mayDo(actor, "updateProblem");
  const moves = PROBLEM_TRANSITIONS[problem.state].filter(
    (to) => to !== ProblemState.CLOSED || mayDo(actor, "closeProblem"),
  );

  const save = (state: ProblemState | null, done: string) =>
    run(async () => {
      setSaved(null);
      try {
        const { updateProblem } = await mutate(UPDATE_PROBLEM, {
          id: problem.id,
          expectedVersion: baseVersion,
          state,
          rootCause: values.rootCause.trim() || null,
          workaround: values.workaround.trim() || null,
        });
        onChanged(updateProblem);
        reset(findingsOf(updateProblem));
        setBaseVersion(updateProblem.version);
        setConflict(null);
        setSaved(done);
      } catch (e) {
        const refusal = toRequestError(e);
        if (refusal.code === "CONFLICT") {
          const fresh = await reload();
          if (fresh) {
            setConflict({ from: baseVersion, to: fresh.version });
            setBaseVersion(fresh.version);
            // What the user typed stays; what they did not touch shows the reloaded record.
            rebase(findingsOf(fresh));
          }
        }
        throw refusal;
      }
    });

  return (
    <div className="problem" data-testid="problem-page">
      <p className="breadcrumb">
        <Link to="/war-room/problems">Problems</Link> <span aria-hidden="true">›</span> {problem.number}
      </p>
      <header className="room-header card">
        <div className="room-title-row">
          <span className="incident-number" data-testid="problem-number">
            {problem.number}
          </span>
          <ProblemStateBadge state={problem.state} />
        </div>
        <h1 className="room-title" data-testid="problem-title">
          {problem.title}
        </h1>
        <dl className="facts">
          <div>
            <dt>Opened</dt>
            <dd>
              <Time iso={problem.createdAt} />
            </dd>
          </div>
          <div>
            <dt>Incidents</dt>
            <dd data-testid="problem-incident-count">{problem.incidents.length}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd data-testid="problem-version">{problem.version}</dd>
          </div>
        </dl>
        <p className="room-description">{problem.description}</p>
      </header>

      <div className="room-grid">
        <section className="room-main card problem-main" aria-labelledby="problem-findings-title">
          <h2 id="problem-findings-title" className="section-title">
            Root cause and workaround
          </h2>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (canEdit) void save(null, "Saved.");
            }}
          >
            <FormField label="Root cause" help="A known error and a resolved problem need it.">
              {(control) => (
                <textarea
                  {...control}
                  rows={3}
                  value={values.rootCause}
                  readOnly={!canEdit}
                  onChange={(e) => edit("rootCause", e.target.value)}
                />
              )}
            </FormField>
            <FormField
              label="Workaround"
              help="A known error shows this workaround to whoever works an incident on the same services."
            >
              {(control) => (
                <textarea
                  {...control}
                  rows={3}
                  value={values.workaround}
                  readOnly={!canEdit}
                  onChange={(e) => edit("workaround", e.target.value)}
                />
              )}
            </FormField>
            {conflict && error?.code === "CONFLICT" && (
              <div className="notice notice-warning" role="alert" data-testid="conflict-notice">
                <strong>Someone else changed this problem while you were looking at it.</strong> It has been
                reloaded (version {conflict.from} → {conflict.to}); your edits are kept. Check, then try
                again.
                <div className="small muted">Server: {error.message}</div>
              </div>
            )}
            {error?.code !== "CONFLICT" && <FormError error={error?.message} testId="problem-error" />}
            {saved && !error && (
              <p className="small muted" role="status" data-testid="problem-saved">
                {saved}
              </p>
            )}
            {canEdit && (
              <div className="form-actions form-actions-start">
                <button type="submit" className="button" aria-disabled={busy || undefined}>
                  Save
                </button>
                {moves.map((to) => (
                  <button
                    key={to}
                    type="button"
                    className={`button${to === ProblemState.RESOLVED ? " button-primary" : ""}`}
                    aria-disabled={busy || undefined}
                    data-testid={`problem-to-${to}`}
                    onClick={() => void save(to, `${transitionLabel(problem.state, to)}: done.`)}
                  >
                    {transitionLabel(problem.state, to)}
                  </button>
                ))}
              </div>
            )}
            {problem.state === ProblemState.CLOSED && (
              <p className="muted small">This problem record is closed and never changes again.</p>
            )}
          </form>

          <h2 className="section-title">History</h2>
          <ChangeHistory
            reloadKey={`${problem.id}:${problem.version}`}
            catalog={catalog}
            testId="problem-history"
            load={async () =>
              (await query(PROBLEM_HISTORY_QUERY, { id: problem.id })).problem?.history ?? null
            }
            verify={async () =>
              (await query(VERIFY_PROBLEM_HISTORY, { id: problem.id })).verifyProblemHistory
            }
          />
        </section>

        <aside className="room-side" aria-labelledby="problem-incidents-title">
          <section className="panel">
            <h2 id="problem-incidents-title" className="section-title">
              Linked incidents
            </h2>
            {problem.incidents.length === 0 ? (
              <p className="muted small">None yet. Link an incident from its room (“Link problem”).</p>
            ) : (
              <ul className="problem-incidents" data-testid="problem-incidents">
                {problem.incidents.map((i) => (
                  <li key={i.id} data-testid={`problem-incident-${i.number}`}>
                    <span className="incident-number">{i.number}</span>{" "}
                    <Link to={`/war-room/incidents/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                    <div className="problem-incident-tags">
                      <StateBadge state={i.state} />
                      <PriorityBadge priority={i.priority} major={i.major} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
