import { useEffect, useState } from "react";
import { ProblemState } from "../../../../server/domain/vocabulary";
import { mutate, query, toRequestError } from "../../graphql-client";
import { useDocumentTitle } from "../../shared/hooks";
import { Link, navigate } from "../../shared/router";
import { Time } from "../../shared/Time";
import { PROBLEM_STATE_WORDS } from "../../shared/words";
import { refreshCatalog } from "../catalog";
import { type Actor, mayDo } from "../commands";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { CREATE_PROBLEM, PROBLEMS_QUERY, type Problem, type ProblemRow } from "../problem-queries";
import { ProblemStateBadge } from "./ProblemBadge";

type StateFilter = "NOT_CLOSED" | "ALL" | ProblemState;

const STATES_OF: Record<StateFilter, ProblemState[] | null> = {
  NOT_CLOSED: [ProblemState.OPEN, ProblemState.KNOWN_ERROR, ProblemState.RESOLVED],
  ALL: null,
  [ProblemState.OPEN]: [ProblemState.OPEN],
  [ProblemState.KNOWN_ERROR]: [ProblemState.KNOWN_ERROR],
  [ProblemState.RESOLVED]: [ProblemState.RESOLVED],
  [ProblemState.CLOSED]: [ProblemState.CLOSED],
};

export const problemPath = (id: string) => `/war-room/problems/${encodeURIComponent(id)}`;

/** Problem records (root cause investigations), newest first, with a state filter and "New problem". */
export function ProblemsPage({ actor }: { actor: Actor }) {
  useDocumentTitle("Problems · Beacon war room");
  const [filter, setFilter] = useState<StateFilter>("NOT_CLOSED");
  const [problems, setProblems] = useState<ProblemRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    let current = true;
    setProblems(null);
    query(PROBLEMS_QUERY, { states: STATES_OF[filter], first: 200 })
      .then((d) => {
        if (!current) return;
        setProblems(d.problems);
        setError(null);
      })
      .catch((e) => current && setError(toRequestError(e).message));
    return () => {
      current = false;
    };
  }, [filter]);

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Problems</h1>
        {mayDo(actor, "createProblem") && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New problem
          </button>
        )}
      </div>
      <p className="muted small">
        A problem record investigates the root cause behind one or more incidents. Once the root cause and a
        workaround are known it is a known error, shown to whoever works an incident on the same services.
      </p>
      <form className="filters card" aria-label="Filter problems" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field-label">State</span>
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as StateFilter)}
            data-testid="problem-filter-state"
          >
            <option value="NOT_CLOSED">Not closed</option>
            <option value="ALL">All</option>
            {Object.values(ProblemState).map((s) => (
              <option key={s} value={s}>
                {PROBLEM_STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!problems && !error && <div className="card skeleton" style={{ height: 200 }} aria-busy="true" />}
      {problems && problems.length === 0 && (
        <p className="card empty">No problem records match this filter.</p>
      )}
      {problems && problems.length > 0 && (
        <div className="card">
          <table className="admin-table" data-testid="problem-table">
            <caption className="sr-only">Problem records, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Title</th>
                <th scope="col">State</th>
                <th scope="col">Incidents</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p) => (
                <tr key={p.id} data-testid={`problem-row-${p.number}`}>
                  <td className="incident-number">{p.number}</td>
                  <th scope="row">
                    <Link to={problemPath(p.id)}>{p.title}</Link>
                  </th>
                  <td>
                    <ProblemStateBadge state={p.state} />
                  </td>
                  <td>{p.incidents.length}</td>
                  <td>
                    <Time iso={p.updatedAt} relativeOnly />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <CreateProblemForm
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            refreshCatalog();
            navigate(problemPath(p.id));
          }}
        />
      )}
    </>
  );
}

export function CreateProblemForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (problem: Problem) => void;
}) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const { createProblem } = await mutate(CREATE_PROBLEM, {
        title: title.trim(),
        description: description.trim(),
      });
      onCreated(createProblem);
    });
  return (
    <ModalForm
      title="New problem record"
      testId="create-problem-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="create-problem-error"
      submitLabel="Create problem"
    >
      <label className="field">
        <span className="field-label">Title</span>
        <input
          type="text"
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea
          required
          rows={4}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          placeholder="What is known so far: symptoms, affected services, the incidents it explains"
        />
      </label>
    </ModalForm>
  );
}
