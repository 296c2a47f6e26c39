import { useState } from "react";
import { mutate } from "../graphql-client";
import { useSubmit } from "./form-state";
import { ModalForm } from "./ModalForm";
import type { TimelineEntry } from "./queries";
import { REDACT_TIMELINE_ENTRY } from "./queries";

/**
 * Admins remove a secret pasted into a timeline entry. The text goes for good (and the public update
 * it posted, if any); a tombstone saying who, when and why stays, so the reason is required.
 */
export function RedactDialog({
  entry,
  onClose,
  onRedacted,
}: {
  entry: TimelineEntry;
  onClose: () => void;
  onRedacted: (entry: TimelineEntry) => void;
}) {
  const [reason, setReason] = useState("");
  const { busy, error, setError, run } = useSubmit();

  const submit = () => {
    if (!reason.trim()) {
      setError({ message: "Say why the text is removed: the reason stays on the timeline." });
      return;
    }
    return run(async () => {
      const { redactTimelineEntry } = await mutate(REDACT_TIMELINE_ENTRY, {
        id: entry.id,
        reason: reason.trim(),
      });
      onRedacted(redactTimelineEntry);
    });
  };

  return (
    <ModalForm
      title="Redact timeline entry"
      testId="redact-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="redact-error"
      submitLabel="Remove the text"
      danger
    >
      <p className="muted">
        The text of this entry is removed for good, also from the public update it posted. A record of who
        removed it, when and why stays on the timeline, and the timeline's chain still verifies.
      </p>
      <blockquote className="redact-preview">{entry.body}</blockquote>
      <label className="field">
        <span className="field-label">Reason</span>
        <textarea
          rows={3}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. A database password was pasted by mistake"
        />
      </label>
    </ModalForm>
  );
}
