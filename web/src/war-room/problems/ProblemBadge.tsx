import { ProblemState } from "../../../../server/domain/vocabulary";
import { StatusLabel } from "../../shared/StatusIcon";
import { PROBLEM_STATE_WORDS, type Tone } from "../../shared/words";

const TONE: Record<ProblemState, Tone> = {
  [ProblemState.OPEN]: "major",
  [ProblemState.KNOWN_ERROR]: "minor",
  [ProblemState.RESOLVED]: "ok",
  [ProblemState.CLOSED]: "neutral",
};

export function ProblemStateBadge({ state }: { state: ProblemState }) {
  return (
    <span className="badge" data-testid="problem-state" data-state={state}>
      <StatusLabel tone={TONE[state]}>{PROBLEM_STATE_WORDS[state]}</StatusLabel>
    </span>
  );
}
