// Which of the allowed commands the room puts first, which go into "More", and which stand apart
// because they cannot be undone. The allowed list comes from the shared lifecycle table
// (server/domain/lifecycle.ts via commands.ts); this only orders it for people.
import type { IncidentState } from "../../../server/domain/vocabulary";
import { COMPOSER_COMMANDS, type IncidentCommand } from "./commands";

export interface StagedActions {
  /** The next steps for this stage, as primary buttons. */
  primary: IncidentCommand[];
  /** Everything else the state allows, behind a "More" menu. */
  more: IncidentCommand[];
  /** Irreversible commands, shown apart and confirmed before they run. */
  destructive: IncidentCommand[];
}

/** The step(s) a responder normally takes next in each state, in button order. */
const NEXT_STEPS: Record<IncidentState, readonly IncidentCommand[]> = {
  NEW: ["assign", "startWork"],
  ASSIGNED: ["acknowledge"],
  IN_PROGRESS: ["resolve", "postPublicUpdate", "hold"],
  ON_HOLD: ["resume"],
  // The closure checklist's items, then Close.
  RESOLVED: ["confirmResolution", "logContactAttempt", "completeReview", "linkProblem", "close"],
  CLOSED: [],
  CANCELED: [],
};

export const DESTRUCTIVE: ReadonlySet<IncidentCommand> = new Set(["cancel"]);

/**
 * Splits `allowed` (already filtered by lifecycle and permissions, in lifecycle order) into the
 * stage's primary actions, the "More" menu and the destructive ones. Commands with a composer of
 * their own (notes, the review draft) are left out; "Post public update" stays, as it leads to its
 * composer.
 */
export function actionsByStage(state: IncidentState, allowed: readonly IncidentCommand[]): StagedActions {
  const offered = allowed.filter((c) => !COMPOSER_COMMANDS.has(c) || c === "postPublicUpdate");
  const next = NEXT_STEPS[state] ?? [];
  const primary = next.filter((c) => offered.includes(c));
  const destructive = offered.filter((c) => DESTRUCTIVE.has(c));
  const more = offered.filter((c) => !primary.includes(c) && !DESTRUCTIVE.has(c) && c !== "postPublicUpdate");
  return { primary, more, destructive };
}
