import { type FormEvent, useState } from "react";
import { mutate, toRequestError } from "../graphql-client";
import { Modal } from "../shared/Modal";
import { FormField } from "./FormField";
import { CHANGE_PASSWORD } from "./queries";

export const PASSWORDS_DIFFER = "The new password and its confirmation differ; type the same password twice.";

/**
 * Change your own password: current, new and the new one again. The confirmation is checked here;
 * everything else (is the current one right, is the new one long enough) is the server's to say,
 * and its refusal is shown as it is. This session stays signed in; the others are signed out.
 */
export function ChangePasswordForm({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (next !== confirm) {
      setError(PASSWORDS_DIFFER);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await mutate<{ changePassword: boolean }>(CHANGE_PASSWORD, {
        currentPassword: current,
        newPassword: next,
      });
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone(true);
    } catch (e) {
      setError(toRequestError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Modal title="Password changed" onClose={onClose} testId="change-password-dialog">
        <div className="form">
          <p className="notice notice-ok" role="status" data-testid="change-password-done">
            Your password is changed. Use the new one the next time you sign in. Any other browser or device
            signed in as you has been signed out; this one stays signed in.
          </p>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  const mismatch = confirm !== "" && next !== confirm;
  return (
    <Modal title="Change password" onClose={onClose} testId="change-password-dialog">
      <form className="form" onSubmit={submit}>
        <FormField label="Current password">
          {(control) => (
            <input
              type="password"
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              autoComplete="current-password"
              {...control}
            />
          )}
        </FormField>
        <FormField
          label="New password"
          help="At least 8 characters. Your other sessions are signed out when it changes."
        >
          {(control) => (
            <input
              type="password"
              required
              value={next}
              onChange={(e) => setNext(e.target.value)}
              autoComplete="new-password"
              {...control}
            />
          )}
        </FormField>
        <FormField label="Confirm new password">
          {(control) => (
            <input
              type="password"
              required
              value={confirm}
              onChange={(e) => {
                setConfirm(e.target.value);
                if (error === PASSWORDS_DIFFER) setError(null);
              }}
              autoComplete="new-password"
              aria-invalid={mismatch || undefined}
              {...control}
            />
          )}
        </FormField>
        {error && (
          <p className="form-error" role="alert" data-testid="change-password-error">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            Change password
          </button>
        </div>
      </form>
    </Modal>
  );
}
