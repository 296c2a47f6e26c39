// Change records in words: "Assignee: — → Rui Responder", not "assigneeId: null → 9ef0…".

import { absoluteTime } from "../shared/time";
import {
  HOLD_REASON_WORDS,
  humanize,
  PROBLEM_STATE_WORDS,
  PUBLIC_STATUS_WORDS,
  RESOLUTION_WORDS,
  SERVICE_STATUS_WORDS,
  STATE_WORDS,
} from "../shared/words";
import type { Catalog } from "./catalog";
import type { ChangeRecord } from "./queries";
import { REVIEW_FIELDS } from "./review/review-values";

type Names = Pick<Catalog, "services" | "queues" | "users" | "categories" | "problems">;

const FIELD_WORDS: Record<string, string> = {
  state: "State",
  title: "Title",
  description: "Description",
  impact: "Impact",
  urgency: "Urgency",
  priority: "Priority",
  public: "On the status page",
  publicStatus: "Public status",
  serviceIds: "Services",
  queueId: "Queue",
  assigneeId: "Assignee",
  ownerId: "Owner",
  holdReason: "Hold reason",
  resolutionCode: "Resolution",
  resolutionNotes: "Resolution notes",
  resolvedAt: "Resolved at",
  closedAt: "Closed at",
  customerConfirmedAt: "Customer confirmed at",
  problemReference: "Problem",
  roomRoles: "Room roles",
  serviceImpacts: "On the status page, services",
  publicTitle: "Public title",
  relatedToId: "Follows up",
  peakPriority: "Peak priority",
  major: "Major incident",
  categoryId: "Category",
  problemId: "Problem record",
  requester: "Requester",
  rootCause: "Root cause",
  workaround: "Workaround",
  review: "Review",
  reviewDraft: "Review draft",
};

const ENUM_WORDS: Record<string, Record<string, string>> = {
  state: STATE_WORDS,
  holdReason: HOLD_REASON_WORDS,
  resolutionCode: RESOLUTION_WORDS,
  publicStatus: PUBLIC_STATUS_WORDS,
  status: SERVICE_STATUS_WORDS,
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** "assigneeId" -> "Assignee", "someNewField" -> "Some new field". */
export function fieldLabel(field: string): string {
  return FIELD_WORDS[field] ?? humanize(field.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
}

function userName(id: string, names: Names): string | undefined {
  return (
    names.users.find((u) => u.id === id)?.name ??
    names.queues.flatMap((q) => q.members).find((m) => m.id === id)?.name
  );
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** One value of one field, in words; ids become names when the catalog knows them. */
export function fieldValue(field: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) {
    if (value.length === 0) return "—";
    const single = field.endsWith("Ids") ? `${field.slice(0, -3)}Id` : field;
    return value.map((v) => fieldValue(single, v, names)).join(", ");
  }
  if (typeof value === "object") {
    if (field === "requester") {
      const r = value as { name?: unknown; organization?: unknown };
      return [r.name, r.organization].filter((v) => typeof v === "string" && v).join(", ") || "—";
    }
    if (field === "roomRoles") {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v != null);
      if (entries.length === 0) return "—";
      return entries.map(([role, id]) => `${humanize(role)}: ${fieldValue("userId", id, names)}`).join(", ");
    }
    if (field === "serviceImpacts") {
      const entries = Object.entries(value as Record<string, string>);
      if (entries.length === 0) return "—";
      return entries
        .map(
          ([id, status]) => `${fieldValue("serviceId", id, names)}: ${fieldValue("status", status, names)}`,
        )
        .join(", ");
    }
    if (field === "review" || field === "reviewDraft")
      return reviewSections(value as Record<string, unknown>);
    // Anything else structured: "Key: value" pairs in words, never raw JSON.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v != null && v !== "");
    if (entries.length === 0) return "—";
    return entries.map(([k, v]) => `${fieldLabel(k)}: ${fieldValue(k, v, names)}`).join("; ");
  }
  const text = String(value);
  if (ENUM_WORDS[field]?.[text]) return ENUM_WORDS[field][text];
  if (field === "serviceId") return names.services.find((s) => s.id === text)?.name ?? shortId(text);
  if (field === "queueId") return names.queues.find((q) => q.id === text)?.name ?? shortId(text);
  if (field === "categoryId") {
    const all = (names.categories ?? []).flatMap((c) => [c, ...c.children]);
    return all.find((c) => c.id === text)?.path ?? shortId(text);
  }
  if (field === "problemId") return names.problems?.find((p) => p.id === text)?.number ?? shortId(text);
  // A problem's states (OPEN, KNOWN_ERROR) that an incident does not have.
  const problemState = (PROBLEM_STATE_WORDS as Record<string, string>)[text];
  if (field === "state" && problemState) return problemState;
  if (/(^|[a-z])(assignee|owner|user)Id$/i.test(field) || field === "userId")
    return userName(text, names) ?? shortId(text);
  if (field === "impact" || field === "urgency") return humanize(text);
  if (ISO_TIME.test(text) && !Number.isNaN(Date.parse(text))) return absoluteTime(text);
  return text;
}

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

/** A record's field changes, in words, in the order the server wrote them. */
export function describeChanges(record: Pick<ChangeRecord, "changes">, names: Names): FieldChange[] {
  // `changes` is JSON: { field: { from, to } } as the server's change records write it.
  const changes = (record.changes ?? {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  return Object.entries(changes).map(([field, change]) => ({
    field,
    label: fieldLabel(field),
    from: fieldValue(field, change?.from, names),
    to: fieldValue(field, change?.to, names),
  }));
}

/** A review document as its sections ("Summary: …" on lines of their own), as the review tab shows it. */
function reviewSections(review: Record<string, unknown>): string {
  const lines = REVIEW_FIELDS.flatMap((f) => {
    const text = review[f.name];
    return typeof text === "string" && text.trim() ? [`${f.label}: ${text.trim()}`] : [];
  });
  if (review.noActionItems === true) lines.push("Action items: none needed");
  if (typeof review.completedAt === "string") lines.push(`Completed: ${absoluteTime(review.completedAt)}`);
  return lines.length > 0 ? lines.join("\n") : "—";
}

const CODE_WORDS: Record<string, string> = {
  ...HOLD_REASON_WORDS,
  ...RESOLUTION_WORDS,
  ...PUBLIC_STATUS_WORDS,
  ...SERVICE_STATUS_WORDS,
  ...STATE_WORDS,
};

/**
 * A record's sentence with the vocabulary's codes in words: the server wrote "Put on hold
 * (AWAITING_VENDOR)" into records that are hash-chained and cannot be rewritten.
 */
export function describeSentence(description: string): string {
  return description.replace(/\b[A-Z][A-Z]+(?:_[A-Z]+)*\b/g, (code) => {
    const words = CODE_WORDS[code];
    if (!words) return code;
    // Mid-sentence, a lower-case first letter reads better ("Resolved with workaround").
    return words.charAt(0).toLowerCase() + words.slice(1);
  });
}
