// The review document's fields, in the order the panel shows them, and the form's values.
import type { ReviewDocument } from "../queries";

export type ReviewTextField =
  | "summary"
  | "timelineExcerpt"
  | "rootCause"
  | "wentWell"
  | "wentBadly"
  | "lessons"
  | "publicPostmortem";

export type ReviewValues = Record<ReviewTextField, string> & { noActionItems: boolean };

export const REVIEW_FIELDS: readonly { name: ReviewTextField; label: string; help?: string }[] = [
  { name: "summary", label: "Summary", help: "What happened and what it meant for customers." },
  {
    name: "timelineExcerpt",
    label: "Timeline",
    help: "Drafted from the incident's own timeline; trim it to what matters.",
  },
  { name: "rootCause", label: "Root cause" },
  { name: "wentWell", label: "What went well" },
  { name: "wentBadly", label: "What went badly" },
  { name: "lessons", label: "Lessons learned" },
  {
    name: "publicPostmortem",
    label: "Public postmortem",
    help: "Written for the public: shown on the status page's incident page once the review is completed (public incidents only). Leave empty to publish nothing.",
  },
];

/** The form's values from the saved draft; an empty excerpt starts from the timeline's suggestion. */
export function reviewValues(draft: ReviewDocument | null, suggestedExcerpt: string | null): ReviewValues {
  return {
    summary: draft?.summary ?? "",
    timelineExcerpt: draft?.timelineExcerpt || suggestedExcerpt || "",
    rootCause: draft?.rootCause ?? "",
    wentWell: draft?.wentWell ?? "",
    wentBadly: draft?.wentBadly ?? "",
    lessons: draft?.lessons ?? "",
    publicPostmortem: draft?.publicPostmortem ?? "",
    noActionItems: draft?.noActionItems ?? false,
  };
}

/** The document's text fields as sent: trimmed; an empty one clears the draft's. */
export function reviewText(values: ReviewValues): Record<ReviewTextField, string> {
  const out = {} as Record<ReviewTextField, string>;
  for (const f of REVIEW_FIELDS) out[f.name] = values[f.name].trim();
  return out;
}
