import { useState } from "react";
import { mutate } from "../graphql-client";
import { Modal } from "../shared/Modal";
import { FormField } from "./FormField";
import { useSubmit } from "./form-state";
import { ModalForm } from "./ModalForm";
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
  const { busy, error, setError, run } = useSubmit();
  const [done, setDone] = useState(false);

  const submit = () => {
    if (next !== confirm) {
      setError({ message: PASSWORDS_DIFFER });
      return;
    }
    void run(async () => {
      await mutate(CHANGE_PASSWORD, {
        currentPassword: current,
        newPassword: next,
      });
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone(true);
    });
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
    <ModalForm
      title="Change password"
      testId="change-password-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="change-password-error"
      submitLabel="Change password"
    >
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
              if (error?.message === PASSWORDS_DIFFER) setError(null);
            }}
            autoComplete="new-password"
            aria-invalid={mismatch || undefined}
            {...control}
          />
        )}
      </FormField>
    </ModalForm>
  );
}
