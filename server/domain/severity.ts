import { higherPriority, isMajor, priorityOf } from "./priority";
import {
  allow,
  type Decision,
  ErrorCode,
  Impact,
  IncidentState,
  type Priority,
  refuse,
  Urgency,
} from "./vocabulary";

// Higher number = more severe. Impact and urgency are compared separately: lowering either one is
// what the rule is about, even when the derived priority happens to stay the same.
const IMPACT_LEVEL: Readonly<Record<Impact, number>> = {
  [Impact.HIGH]: 3,
  [Impact.MEDIUM]: 2,
  [Impact.LOW]: 1,
};
const URGENCY_LEVEL: Readonly<Record<Urgency, number>> = {
  [Urgency.HIGH]: 3,
  [Urgency.MEDIUM]: 2,
  [Urgency.LOW]: 1,
};

/** States in which work has visibly started (for incidents recorded before workStarted was kept). */
export const WORK_STATES: readonly IncidentState[] = [
  IncidentState.IN_PROGRESS,
  IncidentState.ON_HOLD,
  IncidentState.RESOLVED,
];

export interface SeverityFacts {
  state: IncidentState;
  /** Work started at some point (acknowledged or started), even if it was returned since. */
  workStarted: boolean;
  impact: Impact;
  urgency: Urgency;
  peakPriority: Priority;
  major: boolean;
}

export interface SeverityChange {
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  peakPriority: Priority;
  major: boolean;
  /** Impact or urgency went down. */
  lowered: boolean;
}

/**
 * Decides a change of impact/urgency. Priority is derived; the peak only ever rises and `major`
 * stays once set. Before work starts anyone allowed to edit may correct a misjudged severity; after
 * that, lowering needs an incident manager or admin and a documented reason, because it is the one
 * edit that could quietly shed a major incident's review and problem obligations.
 */
export function decideSeverityChange(
  facts: SeverityFacts,
  next: { impact?: Impact | null; urgency?: Urgency | null },
  /** authorize(actor, "lowerSeverity") from the permission table (incident managers and admins). */
  mayLower: boolean,
  reason: string | null | undefined,
  incidentRef = "This incident",
): Decision<SeverityChange> {
  const impact = next.impact ?? facts.impact;
  const urgency = next.urgency ?? facts.urgency;
  const lowered =
    IMPACT_LEVEL[impact] < IMPACT_LEVEL[facts.impact] ||
    URGENCY_LEVEL[urgency] < URGENCY_LEVEL[facts.urgency];
  const started = facts.workStarted || WORK_STATES.includes(facts.state);
  if (lowered && started) {
    if (!mayLower) {
      return refuse(
        ErrorCode.FORBIDDEN,
        `Only an incident manager or an admin may lower the impact or urgency of ${incidentRef} once work has ` +
          "started; ask an incident manager if it was overrated.",
      );
    }
    if ((reason ?? "").trim() === "") {
      return refuse(
        ErrorCode.BAD_USER_INPUT,
        `Lowering the impact or urgency of ${incidentRef} after work started needs a reason: ` +
          "say why it was overrated in input.reason.",
      );
    }
  }
  const priority = priorityOf(impact, urgency);
  const peakPriority = higherPriority(facts.peakPriority, priority);
  return allow({
    impact,
    urgency,
    priority,
    peakPriority,
    major: facts.major || isMajor(peakPriority),
    lowered,
  });
}
