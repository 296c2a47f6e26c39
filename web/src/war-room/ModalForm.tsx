import type { ReactNode } from "react";
import { Modal } from "../shared/Modal";

/** A form's error line, announced when it appears; nothing when there is no error. */
export function FormError({ error, testId }: { error: string | null | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

/**
 * A form in a `Modal`: the fields, the error line, then "Back" (closes) and the submit button
 * (aria-disabled while busy, so it stays focusable; a submit while busy is ignored).
 */
export function ModalForm({
  title,
  testId,
  onClose,
  onSubmit,
  busy,
  error,
  errorTestId,
  submitLabel,
  danger = false,
  children,
}: {
  title: string;
  testId: string;
  onClose: () => void;
  onSubmit: () => void | Promise<void>;
  busy: boolean;
  /** The error line's text (null: none). */
  error: string | null | undefined;
  errorTestId: string;
  submitLabel: ReactNode;
  /** A destructive submit (red) rather than the primary one. */
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) void onSubmit();
        }}
      >
        {children}
        <FormError error={error} testId={errorTestId} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Back
          </button>
          <button
            type="submit"
            className={`button ${danger ? "button-danger" : "button-primary"}`}
            aria-disabled={busy || undefined}
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
