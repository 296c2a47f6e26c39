import { Impact, Priority, StatusIndicator, Urgency } from "./vocabulary";

// Spelled out cell by cell rather than computed from a score, so the table reads exactly like the
// ITIL matrix in DESIGN "Rules" and a reviewer can check it at a glance.
const MATRIX: Readonly<Record<Impact, Readonly<Record<Urgency, Priority>>>> = {
  [Impact.HIGH]: { [Urgency.HIGH]: Priority.P1, [Urgency.MEDIUM]: Priority.P2, [Urgency.LOW]: Priority.P3 },
  [Impact.MEDIUM]: { [Urgency.HIGH]: Priority.P2, [Urgency.MEDIUM]: Priority.P3, [Urgency.LOW]: Priority.P4 },
  [Impact.LOW]: { [Urgency.HIGH]: Priority.P3, [Urgency.MEDIUM]: Priority.P4, [Urgency.LOW]: Priority.P4 },
};

/** Priority is always derived from impact x urgency, never set directly (DESIGN "Rules"). */
export function priorityOf(impact: Impact, urgency: Urgency): Priority {
  const priority = MATRIX[impact]?.[urgency];
  // Values arrive from GraphQL enums and database columns; a bad one is a programming error.
  if (priority === undefined) throw new RangeError(`Unknown impact/urgency: ${impact}/${urgency}`);
  return priority;
}

/** A major incident gets the heavier process: review, problem record, never auto-closed. */
export function isMajor(p: Priority): boolean {
  return p === Priority.P1;
}

const PUBLIC_IMPACT: Readonly<Record<Priority, StatusIndicator>> = {
  [Priority.P1]: StatusIndicator.CRITICAL,
  [Priority.P2]: StatusIndicator.MAJOR,
  [Priority.P3]: StatusIndicator.MINOR,
  [Priority.P4]: StatusIndicator.MINOR,
};

/** The default impact shown on the public status page; internal priority itself is never public. */
export function publicImpactOf(p: Priority): StatusIndicator {
  return PUBLIC_IMPACT[p];
}

// P1 is the highest. Used to keep the peak: closure requirements follow the highest priority an
// incident ever had, so lowering impact after the fact cannot skip the review or the problem.
const RANK: Readonly<Record<Priority, number>> = {
  [Priority.P1]: 1,
  [Priority.P2]: 2,
  [Priority.P3]: 3,
  [Priority.P4]: 4,
};

/** The higher (more urgent) of two priorities. */
export function higherPriority(a: Priority, b: Priority): Priority {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Whether `next` is lower (less urgent) than `current`. */
export function isLowerPriority(next: Priority, current: Priority): boolean {
  return RANK[next] > RANK[current];
}
