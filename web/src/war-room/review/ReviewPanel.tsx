import { type ReactNode, useEffect, useState } from "react";
import { IncidentState } from "../../../../server/domain/vocabulary";
import { mutate, query, toRequestError } from "../../graphql-client";
import { Time } from "../../shared/Time";
import { ConflictNotice } from "../ConflictNotice";
import type { Catalog } from "../catalog";
import { type Actor, allowedCommands, mayDo } from "../commands";
import { FormField } from "../FormField";
import { useEditedValues, useSubmit } from "../form-state";
import { FormError } from "../ModalForm";
import type { ActionItem, Incident } from "../queries";
import { COMPLETE_REVIEW, DRAFT_REVIEW, SUGGESTED_EXCERPT } from "../queries";
import { ActionItems } from "./ActionItems";
import {
  REVIEW_FIELDS,
  type ReviewTextField,
  type ReviewValues,
  reviewText,
  reviewValues,
} from "./review-values";

/**
 * The post-incident review as a document: drafted while the incident is worked (incident managers
 * and admins), completed once it is RESOLVED, with action items or an explicit "No action items".
 * Drafts and completion send the version the user was looking at; a CONFLICT reloads the incident
 * and keeps the user's edits for the retry, as every form of the room does.
 */
export function ReviewPanel({
  incident,
  actor,
  catalog,
  onIncident,
  onActionItem,
  onConflict,
}: {
  incident: Incident;
  actor: Actor;
  catalog: Catalog;
  onIncident: (incident: Incident) => void;
  onActionItem: (item: ActionItem) => void;
  onConflict: () => void;
}) {
  const commands = allowedCommands(incident, actor);
  const canDraft = commands.includes("draftReview");
  const items = (
    <ActionItems
      incident={incident}
      users={catalog.users}
      canAdd={canDraft}
      canTick={mayDo(actor, "setActionItemDone")}
      onChanged={onActionItem}
    />
  );

  if (incident.review) {
    const r = incident.review;
    return (
      <div className="review" data-testid="review-completed">
        <p className="notice notice-ok" role="status">
          <strong>Review completed</strong> by {r.authorName} <Time iso={r.completedAt} />.
          {r.publicPostmortem && incident.public && " Its postmortem is on the public status page."}
        </p>
        <ReviewDocumentView document={r} />
        {items}
      </div>
    );
  }
  if (!canDraft) {
    return (
      <div className="review" data-testid="review-readonly">
        <p className="muted">
          {incident.state === IncidentState.CLOSED || incident.state === IncidentState.CANCELED
            ? "This incident finished without a completed review."
            : "Incident managers and admins write the post-incident review; this is the draft so far."}
        </p>
        {incident.reviewDraft ? <ReviewDocumentView document={incident.reviewDraft} /> : <p>No draft yet.</p>}
        {items}
      </div>
    );
  }
  return (
    <ReviewEditor
      incident={incident}
      catalog={catalog}
      canComplete={commands.includes("completeReview")}
      onIncident={onIncident}
      onConflict={onConflict}
    >
      {items}
    </ReviewEditor>
  );
}

function ReviewDocumentView({ document }: { document: Partial<Record<ReviewTextField, string | null>> }) {
  return (
    <dl className="review-document">
      {REVIEW_FIELDS.map((f) =>
        document[f.name] ? (
          <div key={f.name} data-testid={`review-${f.name}`}>
            <dt>{f.label}</dt>
            <dd>{document[f.name]}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

function ReviewEditor({
  incident,
  catalog,
  canComplete,
  onIncident,
  onConflict,
  children,
}: {
  incident: Incident;
  catalog: Catalog;
  canComplete: boolean;
  onIncident: (incident: Incident) => void;
  onConflict: () => void;
  children: ReactNode;
}) {
  const [suggested, setSuggested] = useState<string | null>(null);
  const fresh = (i: Incident) => reviewValues(i.reviewDraft, suggested);
  const { values, edit, rebase, reset, dirty } = useEditedValues<ReviewValues>(() => fresh(incident));
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState<string | null>(null);
  // The version this form acts on; it follows the live incident while the user has not edited anything.
  const [baseVersion, setBaseVersion] = useState(incident.version);
  const [staleVersion, setStaleVersion] = useState<number | null>(null);

  // A draft without an excerpt starts from what the incident's own timeline says happened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once per incident
  useEffect(() => {
    if (incident.reviewDraft?.timelineExcerpt) return;
    let current = true;
    query(SUGGESTED_EXCERPT, { id: incident.id })
      .then((d) => current && setSuggested(d.incident?.suggestedTimelineExcerpt ?? ""))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [incident.id]);

  // Someone else's change (or the suggestion arriving) refreshes every field the user did not edit.
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the incident's version and the suggestion
  useEffect(() => {
    if (!dirty) setBaseVersion(incident.version);
    if (!dirty || incident.version === baseVersion) rebase(fresh(incident));
  }, [incident.version, suggested]);

  const noItems = incident.actionItems.length === 0;

  const send = (task: () => Promise<Incident>, done: string) =>
    run(async () => {
      setSaved(null);
      try {
        const next = await task();
        onIncident(next);
        reset(reviewValues(next.reviewDraft, suggested));
        setBaseVersion(next.version);
        setStaleVersion(null);
        setSaved(done);
      } catch (e) {
        const refusal = toRequestError(e);
        if (refusal.code === "CONFLICT") {
          const current = Number(refusal.extensions.currentVersion);
          setStaleVersion(baseVersion);
          setBaseVersion(Number.isInteger(current) ? current : incident.version);
          onConflict();
        }
        throw refusal;
      }
    });

  const saveDraft = () =>
    send(async () => {
      const { draftReview } = await mutate(DRAFT_REVIEW, {
        id: incident.id,
        expectedVersion: baseVersion,
        input: { ...reviewText(values), noActionItems: values.noActionItems },
      });
      return draftReview;
    }, "Draft saved.");

  const complete = () =>
    send(async () => {
      const { completeReview } = await mutate(COMPLETE_REVIEW, {
        id: incident.id,
        expectedVersion: baseVersion,
        ...reviewText(values),
        noActionItems: noItems ? values.noActionItems : null,
      });
      return completeReview;
    }, "Review completed.");

  const draftAgain = () =>
    void query(SUGGESTED_EXCERPT, { id: incident.id })
      .then((d) => edit("timelineExcerpt", d.incident?.suggestedTimelineExcerpt ?? ""))
      .catch(() => {});

  return (
    <form
      className="form review"
      data-testid="review-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void saveDraft();
      }}
    >
      <p className="muted">
        Write the review while it is fresh; save drafts as you go.{" "}
        {canComplete
          ? "Complete it when the document is ready."
          : "It can be completed once the incident is resolved."}
      </p>
      {REVIEW_FIELDS.map((f) => (
        <FormField
          key={f.name}
          label={f.label}
          help={
            f.help && (
              <>
                {f.help}
                {f.name === "timelineExcerpt" && (
                  <>
                    {" "}
                    <button type="button" className="link-button" onClick={draftAgain}>
                      Draft again from the timeline
                    </button>
                  </>
                )}
              </>
            )
          }
        >
          {(control) => (
            <textarea
              {...control}
              rows={f.name === "timelineExcerpt" ? 6 : 3}
              value={values[f.name]}
              onChange={(e) => edit(f.name, e.target.value)}
            />
          )}
        </FormField>
      ))}
      {children}
      {noItems && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={values.noActionItems}
            onChange={(e) => edit("noActionItems", e.target.checked)}
          />
          No action items
        </label>
      )}
      {error?.code === "CONFLICT" ? (
        <ConflictNotice
          incidentId={incident.id}
          staleVersion={staleVersion}
          baseVersion={baseVersion}
          version={incident.version}
          catalog={catalog}
          message={error.message}
        />
      ) : (
        <FormError error={error?.message} testId="review-error" />
      )}
      {saved && !error && (
        <p className="small muted" role="status" data-testid="review-saved">
          {saved}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" aria-disabled={busy || undefined} data-testid="review-save">
          Save draft
        </button>
        {canComplete && (
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy || undefined}
            data-testid="review-complete"
            onClick={() => void complete()}
          >
            Complete review
          </button>
        )}
      </div>
    </form>
  );
}
