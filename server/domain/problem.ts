import { allow, type Decision, ErrorCode, ProblemState, refuse } from "./vocabulary";

const { OPEN, KNOWN_ERROR, RESOLVED, CLOSED } = ProblemState;

export const problemNumber = (seqNumber: number) => `PRB-${String(seqNumber).padStart(6, "0")}`;

/**
 * OPEN -> KNOWN_ERROR -> RESOLVED -> CLOSED (ITIL problem management). A problem may be resolved
 * straight from OPEN when the fix came before a workaround was needed; a fix that did not hold
 * sends a RESOLVED problem back to KNOWN_ERROR. CLOSED is final.
 */
export const PROBLEM_TRANSITIONS: Readonly<Record<ProblemState, readonly ProblemState[]>> = {
  [OPEN]: [KNOWN_ERROR, RESOLVED],
  [KNOWN_ERROR]: [RESOLVED],
  [RESOLVED]: [CLOSED, KNOWN_ERROR],
  [CLOSED]: [],
};

export interface ProblemFacts {
  state: ProblemState;
  rootCause: string | null;
  workaround: string | null;
}

const blank = (s: string | null | undefined) => (s ?? "").trim() === "";

/**
 * Whether a problem may move to `to` given what it records after the edit: a known error is one
 * whose root cause is known and a workaround documented; resolving needs the root cause.
 */
export function decideProblemTransition(
  facts: ProblemFacts,
  to: ProblemState,
  ref = "This problem",
): Decision<ProblemState> {
  if (facts.state === to) return allow(to);
  if (facts.state === CLOSED) {
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `${ref} is closed and never changes; open a new problem record instead.`,
    );
  }
  if (!PROBLEM_TRANSITIONS[facts.state].includes(to)) {
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `${ref} is ${facts.state}; from there it can become ${PROBLEM_TRANSITIONS[facts.state].join(" or ")}, not ${to}.`,
    );
  }
  if (to === KNOWN_ERROR && (blank(facts.rootCause) || blank(facts.workaround))) {
    return refuse(
      ErrorCode.REQUIREMENT_NOT_MET,
      `A known error needs its root cause and a workaround; give ${[
        blank(facts.rootCause) ? "rootCause" : null,
        blank(facts.workaround) ? "workaround" : null,
      ]
        .filter(Boolean)
        .join(" and ")} in the same call.`,
    );
  }
  if (to === RESOLVED && blank(facts.rootCause)) {
    return refuse(
      ErrorCode.REQUIREMENT_NOT_MET,
      "Resolving a problem needs its root cause; give rootCause in the same call.",
    );
  }
  return allow(to);
}

/** Incidents can be linked to a problem until it is closed. */
export function canLinkIncidents(state: ProblemState): boolean {
  return state !== CLOSED;
}

/** A known error shown to whoever opens an incident on an affected service. */
export function isOpenKnownError(state: ProblemState): boolean {
  return state === KNOWN_ERROR;
}
