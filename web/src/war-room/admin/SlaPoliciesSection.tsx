import { useState } from "react";
import { mutate } from "../../graphql-client";
import { SET_SLA_POLICY, type SlaPolicyRow } from "../admin-queries";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { LoadState, Section } from "./Section";

const minutesWords = (m: number, business: boolean) => {
  const unit = business ? " business" : "";
  if (m % 60 === 0) return `${m / 60}${unit} h`;
  return `${m}${unit} min`;
};

/**
 * Service-level policies per priority (admins; docs/service-levels.md). A change is documented and
 * applies to incidents opened afterwards.
 */
export function SlaPoliciesSection({
  policies,
  error,
  onChanged,
}: {
  policies: SlaPolicyRow[] | null;
  error: string | null;
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<SlaPolicyRow | null>(null);
  const [done, setDone] = useState("");
  return (
    <Section id="sla-policies" title="Service levels">
      <p className="small muted">
        Targets per priority. Changes apply to incidents opened afterwards; open incidents keep theirs.
      </p>
      <p className="small muted" role="status" data-testid="sla-policies-status">
        {done}
      </p>
      <LoadState error={error} loaded={policies !== null} what="service-level policies" />
      {policies && (
        <table className="admin-table" data-testid="sla-policies">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Acknowledge</th>
              <th scope="col">Resolve</th>
              <th scope="col">Public update every</th>
              <th scope="col">Closes by rule</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {policies.map((p) => (
              <tr key={p.priority} data-testid={`sla-policy-${p.priority}`}>
                <th scope="row">{p.priority}</th>
                <td>{minutesWords(p.acknowledgeMinutes, p.businessHours)}</td>
                <td>{minutesWords(p.resolveMinutes, p.businessHours)}</td>
                <td>{p.publicUpdateEveryMinutes ? `${p.publicUpdateEveryMinutes} min` : "—"}</td>
                <td>{p.autoClose ? "Yes" : "No"}</td>
                <td>
                  <button type="button" className="button" onClick={() => setEditing(p)}>
                    Edit {p.priority}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <EditPolicyForm
          policy={editing}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null);
            setDone(`Saved the ${p.priority} policy; it applies to incidents opened from now on.`);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function EditPolicyForm({
  policy,
  onClose,
  onSaved,
}: {
  policy: SlaPolicyRow;
  onClose: () => void;
  onSaved: (p: SlaPolicyRow) => void;
}) {
  const [ack, setAck] = useState(String(policy.acknowledgeMinutes));
  const [resolve, setResolve] = useState(String(policy.resolveMinutes));
  const [business, setBusiness] = useState(policy.businessHours);
  const [cadence, setCadence] = useState(
    policy.publicUpdateEveryMinutes ? String(policy.publicUpdateEveryMinutes) : "",
  );
  const [autoClose, setAutoClose] = useState(policy.autoClose);
  const major = policy.priority === "P1" || policy.priority === "P2";
  const { busy, error, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const { setSlaPolicy } = await mutate(SET_SLA_POLICY, {
        input: {
          priority: policy.priority,
          acknowledgeMinutes: Number(ack),
          resolveMinutes: Number(resolve),
          businessHours: business,
          publicUpdateEveryMinutes: cadence.trim() === "" ? null : Number(cadence),
          autoClose: major ? false : autoClose,
        },
      });
      onSaved(setSlaPolicy);
    });
  return (
    <ModalForm
      title={`${policy.priority} service levels`}
      testId="sla-policy-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="sla-policy-error"
      submitLabel="Save policy"
    >
      <label className="field">
        <span className="field-label">Acknowledge within (minutes)</span>
        <input
          type="number"
          min={1}
          required
          value={ack}
          onChange={(e) => setAck(e.target.value)}
          data-testid="sla-ack"
        />
      </label>
      <label className="field">
        <span className="field-label">Resolve within (minutes)</span>
        <input
          type="number"
          min={1}
          required
          value={resolve}
          onChange={(e) => setResolve(e.target.value)}
          data-testid="sla-resolve"
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={business} onChange={(e) => setBusiness(e.target.checked)} />
        Count business hours only (otherwise 24x7)
      </label>
      <label className="field">
        <span className="field-label">Public update every (minutes; empty: none)</span>
        <input type="number" min={1} value={cadence} onChange={(e) => setCadence(e.target.value)} />
      </label>
      {!major && (
        <label className="checkbox">
          <input type="checkbox" checked={autoClose} onChange={(e) => setAutoClose(e.target.checked)} />
          Close resolved incidents by rule once the closure requirements are met
        </label>
      )}
    </ModalForm>
  );
}
