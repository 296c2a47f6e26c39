import { type BusinessCalendar, businessDaysBetween } from "./business-days";
import { allow, ContactMethod, type Decision, ErrorCode, Priority, refuse } from "./vocabulary";

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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Whether a RESOLVED incident may be closed (the state check itself is lifecycle's job). Every
 * unmet requirement is reported at once so nobody has to discover them one refusal at a time.
 */
export function evaluateClosure(
  facts: ClosureFacts,
  cal: BusinessCalendar,
): Decision<{ basis: ClosureBasis }> {
  // An attempt that reached the customer is not evidence they are unreachable; what they said
  // belongs in confirmResolution (or a reopen).
  const failed = facts.contactAttempts.filter((a) => !a.reached);
  const methods = new Set(failed.map((a) => a.method)).size;
  const times = failed.map((a) => a.at.getTime());
  const span =
    failed.length < 2
      ? 0
      : businessDaysBetween(new Date(Math.min(...times)), new Date(Math.max(...times)), cal);
  const attemptsSuffice =
    failed.length >= MIN_ATTEMPTS && methods >= MIN_METHODS && span >= MIN_BUSINESS_DAYS;
  const contactOk = facts.customerConfirmed || attemptsSuffice;

  const peak = facts.peakPriority ?? facts.priority;
  const needsReview = peak === Priority.P1 || peak === Priority.P2;
  const needsProblem = peak === Priority.P1;
  const reviewMissing = needsReview && !facts.reviewCompleted;
  const problemMissing = needsProblem && (facts.problemReference ?? "").trim() === "";

  if (contactOk && !reviewMissing && !problemMissing) {
    return allow({ basis: facts.customerConfirmed ? "CUSTOMER_CONFIRMATION" : "CONTACT_ATTEMPTS" });
  }

  const sentences: string[] = [];
  if (!contactOk) {
    const reached = facts.contactAttempts.length - failed.length;
    sentences.push(
      "Closing needs the customer's confirmation (confirmResolution) or " +
        `${MIN_ATTEMPTS} unsuccessful contact attempts (logContactAttempt) by ${MIN_METHODS} methods ` +
        `over ${MIN_BUSINESS_DAYS} business days; found ${plural(failed.length, "attempt")} ` +
        `by ${plural(methods, "method")} over ${plural(span, "business day")}` +
        (reached > 0
          ? ` (${plural(reached, "attempt")} that reached the customer ${reached === 1 ? "does" : "do"} not count: ` +
            "record their confirmation or reopen the incident)."
          : "."),
    );
  }
  const missing: string[] = [];
  if (reviewMissing) missing.push("a completed post-incident review (completeReview)");
  if (problemMissing) {
    missing.push(
      "a linked problem record (linkIncidentToProblem, or linkProblem with an external reference)",
    );
  }
  if (missing.length > 0) {
    const found =
      missing.length === 2
        ? "neither is there yet"
        : reviewMissing
          ? "the review is not completed yet"
          : "none is linked yet";
    const was =
      peak === facts.priority ? "" : ` (this one was ${peak} before it was lowered to ${facts.priority})`;
    sentences.push(
      `${peak} incidents${was} ${contactOk ? "" : "also "}need ${missing.join(" and ")} before closing; ${found}.`,
    );
  }
  return refuse(ErrorCode.REQUIREMENT_NOT_MET, sentences.join(" "));
}
