import { type BusinessCalendar, businessDaysBetween } from "./business-days";
import {
  allow,
  type ContactMethod,
  type Decision,
  ErrorCode,
  IncidentState,
  Priority,
  refuse,
} from "./vocabulary";

const STATE_WORDS: Readonly<Record<IncidentState, string>> = {
  [IncidentState.NEW]: "new",
  [IncidentState.ASSIGNED]: "assigned",
  [IncidentState.IN_PROGRESS]: "in progress",
  [IncidentState.ON_HOLD]: "on hold",
  [IncidentState.RESOLVED]: "resolved",
  [IncidentState.CLOSED]: "closed",
  [IncidentState.CANCELED]: "canceled",
};

// ITIL: a resolved incident is closed only once the customer agrees it is fixed, or after a
// documented, reasonable effort to reach them has failed.
export const MIN_ATTEMPTS = 3;
export const MIN_METHODS = 2;
export const MIN_BUSINESS_DAYS = 5;

export interface ClosureFacts {
  /** The current priority. */
  priority: Priority;
  /**
   * The highest priority the incident ever had: the review and problem requirements follow it, so
   * lowering impact after the fact does not shed them. Absent: the current priority.
   */
  peakPriority?: Priority;
  customerConfirmed: boolean;
  contactAttempts: readonly { method: ContactMethod; reached: boolean; at: Date }[];
  reviewCompleted: boolean;
  problemReference: string | null;
}

export type ClosureBasis = "CUSTOMER_CONFIRMATION" | "CONTACT_ATTEMPTS";

/** Keys of the closure checklist (ClosureRequirement.key in the API). */
export type ClosureRequirementKey = "RESOLVED" | "CUSTOMER_CONFIRMATION_OR_ATTEMPTS" | "REVIEW" | "PROBLEM";

/**
 * One item of the closure checklist, in the war room's words: `label` says what is needed, `todo`
 * what to do next (naming the room's buttons, never API names), `detail` what was found so far.
 */
export interface ClosureRequirement {
  key: ClosureRequirementKey;
  label: string;
  met: boolean;
  detail: string | null;
  /** The sentence a refusal uses for it while unmet. */
  todo: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the contact attempts since the resolution add up to (only unsuccessful ones count). */
export function contactEvidence(facts: ClosureFacts, cal: BusinessCalendar) {
  // An attempt that reached the customer is not evidence they are unreachable; what they said
  // belongs in a confirmation (or a reopen).
  const failed = facts.contactAttempts.filter((a) => !a.reached);
  const methods = new Set(failed.map((a) => a.method)).size;
  const times = failed.map((a) => a.at.getTime());
  const span =
    failed.length < 2
      ? 0
      : businessDaysBetween(new Date(Math.min(...times)), new Date(Math.max(...times)), cal);
  const sufficient = failed.length >= MIN_ATTEMPTS && methods >= MIN_METHODS && span >= MIN_BUSINESS_DAYS;
  return {
    attempts: failed.length,
    methods,
    businessDays: span,
    reached: facts.contactAttempts.length - failed.length,
    sufficient,
  };
}

/**
 * The closure checklist: every requirement closing has for this incident, met or not, in the
 * order a responder works through them. `state` adds the first item (the incident is resolved);
 * without it only the documentation requirements are listed. The review and problem items follow
 * the PEAK priority, so lowering impact after the fact does not shed them.
 */
export function closureRequirements(
  facts: ClosureFacts,
  cal: BusinessCalendar,
  state?: IncidentState,
): ClosureRequirement[] {
  const out: ClosureRequirement[] = [];
  if (state !== undefined) {
    const resolved = state === IncidentState.RESOLVED || state === IncidentState.CLOSED;
    out.push({
      key: "RESOLVED",
      label: "The incident is resolved (service restored)",
      met: resolved,
      detail: resolved ? null : `it is ${STATE_WORDS[state]} now`,
      todo: 'Resolve the incident first ("Resolve")',
    });
  }
  const contact = contactEvidence(facts, cal);
  const contactMet = facts.customerConfirmed || contact.sufficient;
  const counted =
    `${contact.attempts} of ${MIN_ATTEMPTS} attempts, ${contact.methods} of ${MIN_METHODS} methods, ` +
    `${contact.businessDays} of ${MIN_BUSINESS_DAYS} business days`;
  const reachedNote =
    contact.reached > 0
      ? `; ${plural(contact.reached, "attempt")} that reached the customer ${contact.reached === 1 ? "does" : "do"} not count: ` +
        'record what they said with "Confirm resolution", or reopen the incident'
      : "";
  out.push({
    key: "CUSTOMER_CONFIRMATION_OR_ATTEMPTS",
    label:
      `The customer confirmed the fix, or could not be reached after ${MIN_ATTEMPTS} attempts ` +
      `by ${MIN_METHODS} methods over ${MIN_BUSINESS_DAYS} business days`,
    met: contactMet,
    detail: facts.customerConfirmed ? "the customer confirmed" : counted + reachedNote,
    todo:
      'Record the customer\'s confirmation ("Confirm resolution"), or keep trying to reach them ' +
      `("Log contact attempt": ${MIN_ATTEMPTS} unsuccessful attempts by ${MIN_METHODS} methods over ` +
      `${MIN_BUSINESS_DAYS} business days)`,
  });
  const peak = facts.peakPriority ?? facts.priority;
  const lowered =
    peak === facts.priority ? "" : ` (it was ${peak} before it was lowered to ${facts.priority})`;
  if (peak === Priority.P1 || peak === Priority.P2) {
    out.push({
      key: "REVIEW",
      label: "A post-incident review is completed (P1 and P2 incidents)",
      met: facts.reviewCompleted,
      detail: facts.reviewCompleted ? null : `needed because this is a ${peak} incident${lowered}`,
      todo: 'Complete the post-incident review ("Complete review")',
    });
  }
  if (peak === Priority.P1) {
    const linked = (facts.problemReference ?? "").trim() !== "";
    out.push({
      key: "PROBLEM",
      label: "A problem record is linked for the root cause (P1 incidents)",
      met: linked,
      detail: linked ? facts.problemReference!.trim() : `needed because this is a P1 incident${lowered}`,
      todo: 'Link a problem record ("Link problem")',
    });
  }
  return out;
}

/**
 * Whether a RESOLVED incident may be closed (the state check itself is lifecycle's job). Every
 * unmet requirement is reported at once, in the war room's words, so nobody has to discover them
 * one refusal at a time.
 */
export function evaluateClosure(
  facts: ClosureFacts,
  cal: BusinessCalendar,
): Decision<{ basis: ClosureBasis }> {
  const unmet = closureRequirements(facts, cal).filter((r) => !r.met);
  if (unmet.length === 0) {
    return allow({ basis: facts.customerConfirmed ? "CUSTOMER_CONFIRMATION" : "CONTACT_ATTEMPTS" });
  }
  const steps = unmet.map((r) => `${r.todo}${r.detail ? ` — ${r.detail}` : ""}.`);
  return refuse(ErrorCode.REQUIREMENT_NOT_MET, `Not ready to close yet. ${steps.join(" ")}`);
}
