import { allow, type Decision, ErrorCode, IncidentState, refuse } from "./vocabulary";

export type IncidentCommand =
  | "update"
  | "assign"
  | "acknowledge"
  | "startWork"
  | "returnToHelpDesk"
  | "hold"
  | "resume"
  | "resolve"
  | "reopen"
  | "confirmResolution"
  | "close"
  | "cancel"
  | "addNote"
  | "logContactAttempt"
  | "postPublicUpdate"
  | "linkProblem"
  | "draftReview"
  | "completeReview";

/** In the order the war room lays out its buttons: lifecycle first, then documentation. */
export const COMMANDS: readonly IncidentCommand[] = [
  "assign",
  "acknowledge",
  "startWork",
  "hold",
  "resume",
  "resolve",
  "confirmResolution",
  "close",
  "reopen",
  "returnToHelpDesk",
  "cancel",
  "update",
  "addNote",
  "logContactAttempt",
  "postPublicUpdate",
  "linkProblem",
  "draftReview",
  "completeReview",
];

export interface Transition {
  /** States in which the command is allowed. */
  from: readonly IncidentState[];
  /** The state afterwards; `null` when the command only documents or edits and leaves the state alone. */
  to: IncidentState | null;
  /** Button label in the war room. */
  label: string;
}

const { NEW, ASSIGNED, IN_PROGRESS, ON_HOLD, RESOLVED, CLOSED, CANCELED } = IncidentState;

// RESOLVED is not terminal: the customer may still say it is not fixed, and closing needs
// documentation (contact attempts, review, problem link) recorded while it sits there.
const OPEN: readonly IncidentState[] = [NEW, ASSIGNED, IN_PROGRESS, ON_HOLD, RESOLVED];

/**
 * The lifecycle from DESIGN "Rules". The server decides with it and the war room imports it to
 * choose which buttons to show, so the two can never disagree.
 */
export const TRANSITIONS: Readonly<Record<IncidentCommand, Transition>> = {
  // Assigning an ASSIGNED or IN_PROGRESS incident is a reassignment to another queue.
  assign: { from: [NEW, ASSIGNED, IN_PROGRESS], to: ASSIGNED, label: "Assign" },
  acknowledge: { from: [ASSIGNED], to: IN_PROGRESS, label: "Acknowledge" },
  // The owner works it without escalating to a queue.
  startWork: { from: [NEW], to: IN_PROGRESS, label: "Start work" },
  hold: { from: [IN_PROGRESS], to: ON_HOLD, label: "Put on hold" },
  resume: { from: [ON_HOLD], to: IN_PROGRESS, label: "Resume" },
  resolve: { from: [IN_PROGRESS], to: RESOLVED, label: "Resolve" },
  // Records the customer's confirmation on the timeline; closing is a separate, deliberate step.
  confirmResolution: { from: [RESOLVED], to: null, label: "Confirm resolution" },
  close: { from: [RESOLVED], to: CLOSED, label: "Close" },
  // The customer says it is not fixed.
  reopen: { from: [RESOLVED], to: IN_PROGRESS, label: "Reopen" },
  returnToHelpDesk: { from: [ASSIGNED, IN_PROGRESS], to: NEW, label: "Return to help desk" },
  // Once work has started the outcome is a resolution (e.g. DUPLICATE, NOT_AN_INCIDENT), not a cancel.
  cancel: { from: [NEW, ASSIGNED], to: CANCELED, label: "Cancel" },
  update: { from: OPEN, to: null, label: "Edit" },
  addNote: { from: OPEN, to: null, label: "Add note" },
  logContactAttempt: { from: OPEN, to: null, label: "Log contact attempt" },
  postPublicUpdate: { from: OPEN, to: null, label: "Post public update" },
  linkProblem: { from: OPEN, to: null, label: "Link problem" },
  // The review document (and its action items) can be drafted while the incident is worked, but it
  // is completed only once the service is restored: a review of an unresolved incident reviews
  // nothing.
  draftReview: { from: OPEN, to: null, label: "Draft review" },
  completeReview: { from: [RESOLVED], to: null, label: "Complete review" },
};

const STATE_WORDS: Readonly<Record<IncidentState, string>> = {
  [NEW]: "new",
  [ASSIGNED]: "assigned to a queue",
  [IN_PROGRESS]: "in progress",
  [ON_HOLD]: "on hold",
  [RESOLVED]: "resolved",
  [CLOSED]: "closed",
  [CANCELED]: "canceled",
};

export function isTerminal(state: IncidentState): boolean {
  return state === CLOSED || state === CANCELED;
}

/** Still needs someone's attention: counts towards the status page and the open-work lists. */
export function isActive(state: IncidentState): boolean {
  return state !== RESOLVED && state !== CLOSED && state !== CANCELED;
}

export function availableCommands(state: IncidentState): IncidentCommand[] {
  return COMMANDS.filter((command) => TRANSITIONS[command].from.includes(state));
}

/**
 * Whether `command` may run in `state` and which state follows. `incidentRef` (e.g. "INC0042")
 * only makes refusal messages concrete.
 */
export function decideCommand(
  state: IncidentState,
  command: IncidentCommand,
  incidentRef?: string,
): Decision<{ to: IncidentState | null }> {
  const transition = TRANSITIONS[command];
  if (transition === undefined) {
    return refuse(ErrorCode.BAD_USER_INPUT, `Unknown incident command "${command}".`);
  }
  if (isTerminal(state)) {
    const word = state === CLOSED ? "closed" : "canceled";
    return refuse(
      ErrorCode.INCIDENT_CLOSED,
      `${incidentRef ?? "This incident"} is ${word} and can never be reopened or changed; ` +
        "open a follow-up incident with openFollowUpIncident instead.",
    );
  }
  if (transition.from.includes(state)) return allow({ to: transition.to });
  if (command === "close") {
    // Closing is where people guess most; say it in the war room's words (its buttons), not the API's.
    const path = shortestPath(state, transition.from) ?? [];
    const steps = path.map((c) => `"${TRANSITIONS[c].label}"`).join(", then ");
    return refuse(
      ErrorCode.INVALID_TRANSITION,
      `${incidentRef ?? "This incident"} cannot be closed yet: it is ${STATE_WORDS[state]}, and an incident is ` +
        `closed only after it is resolved. ${steps ? `${steps}, ` : ""}then work through the closure checklist.`,
    );
  }
  return refuse(
    ErrorCode.INVALID_TRANSITION,
    `Cannot ${command} an incident that is ${state}; ${command} is allowed from ${orList(transition.from)}. ` +
      hint(state, command),
  );
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function hint(state: IncidentState, command: IncidentCommand): string {
  const transition = TRANSITIONS[command];
  if (transition.to === state) return `It is already ${state}.`;
  // Hand-written where the shortest path would be bad advice ("return it to the help desk so you
  // can cancel it").
  if (command === "cancel") {
    return state === RESOLVED
      ? "It is already resolved: close it instead."
      : "Work has already started: resolve it instead (resolution code DUPLICATE or NOT_AN_INCIDENT if it was never a real incident).";
  }
  // Several commands lead to IN_PROGRESS, each from its own state; point at the one that applies.
  const sameTarget = COMMANDS.find(
    (c) =>
      transition.to !== null && TRANSITIONS[c].to === transition.to && TRANSITIONS[c].from.includes(state),
  );
  if (sameTarget !== undefined) return `Use ${sameTarget} instead.`;
  const path = shortestPath(state, transition.from);
  if (path === null || path.length === 0) return "";
  const steps = path.map((c, i) => (i === 0 ? TRANSITIONS[c].label : TRANSITIONS[c].label.toLowerCase()));
  return `${steps.join(", then ")} first.`;
}

// Breadth-first over state-changing commands; never routes through a terminal state.
function shortestPath(start: IncidentState, targets: readonly IncidentState[]): IncidentCommand[] | null {
  const seen = new Set<IncidentState>([start]);
  let frontier: { state: IncidentState; path: IncidentCommand[] }[] = [{ state: start, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { state, path } of frontier) {
      for (const command of COMMANDS) {
        const { from, to } = TRANSITIONS[command];
        if (to === null || to === state || isTerminal(to) || !from.includes(state) || seen.has(to)) continue;
        const extended = [...path, command];
        if (targets.includes(to)) return extended;
        seen.add(to);
        next.push({ state: to, path: extended });
      }
    }
    frontier = next;
  }
  return null;
}
