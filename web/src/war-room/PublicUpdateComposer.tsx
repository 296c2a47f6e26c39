import { type FormEvent, useState } from "react";
import { PublicStatus } from "../../../server/domain/vocabulary";
import { mutate } from "../graphql-client";
import { PublicUpdateItem } from "../shared/PublicUpdateItem";
import { PUBLIC_STATUS_WORDS } from "../shared/words";
import { useSubmit } from "./form-state";
import { FormError } from "./ModalForm";
import type { Incident, PublicUpdate } from "./queries";
import { POST_PUBLIC_UPDATE } from "./queries";

/**
 * Drafts a message for the status page. The preview is rendered by the very component the status
 * page uses, so what you see is what customers will see.
 */
export function PublicUpdateComposer({
  incident,
  onPosted,
}: {
  incident: Incident;
  onPosted?: (u: PublicUpdate) => void;
}) {
  const [status, setStatus] = useState<PublicStatus>(incident.publicStatus ?? PublicStatus.INVESTIGATING);
  const [message, setMessage] = useState("");
  const [posted, setPosted] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPosted(null);
    void run(async () => {
      const { postPublicUpdate } = await mutate(POST_PUBLIC_UPDATE, {
        incidentId: incident.id,
        status,
        message: message.trim(),
      });
      setMessage("");
      setPosted("Posted to the status page.");
      onPosted?.(postPublicUpdate);
    });
  };

  return (
    <section className="panel" aria-labelledby="public-update-title" data-testid="public-update-composer">
      <h2 id="public-update-title" className="panel-title">
        Public update
      </h2>
      {!incident.public && (
        <p className="notice notice-warning small">This incident is not shown on the status page yet.</p>
      )}
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Public status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as PublicStatus)}>
            {Object.values(PublicStatus).map((s) => (
              <option key={s} value={s}>
                {PUBLIC_STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Message for customers</span>
          <textarea rows={4} required value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <figure className="preview" data-testid="public-update-preview">
          <figcaption className="preview-label small muted">Preview, as shown on the status page</figcaption>
          <ol className="public-updates">
            <PublicUpdateItem
              update={{
                id: "draft",
                status,
                message: message.trim() || "Your message will appear here.",
                at: new Date().toISOString(),
              }}
            />
          </ol>
        </figure>
        <FormError error={error?.message} />
        {posted && (
          <p className="notice notice-ok small" role="status">
            {posted}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || !message.trim()}>
          Post public update
        </button>
      </form>
    </section>
  );
}
