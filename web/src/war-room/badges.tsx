import { IncidentState, Priority } from "../../../server/domain/vocabulary";
import { StatusLabel } from "../shared/StatusIcon";
import { STATE_WORDS, type Tone } from "../shared/words";

const STATE_TONE: Record<IncidentState, Tone> = {
  [IncidentState.NEW]: "major",
  [IncidentState.ASSIGNED]: "minor",
  [IncidentState.IN_PROGRESS]: "maintenance",
  [IncidentState.ON_HOLD]: "neutral",
  [IncidentState.RESOLVED]: "ok",
  [IncidentState.CLOSED]: "neutral",
  [IncidentState.CANCELED]: "neutral",
};

const PRIORITY_TONE: Record<Priority, Tone> = {
  [Priority.P1]: "critical",
  [Priority.P2]: "major",
  [Priority.P3]: "minor",
  [Priority.P4]: "neutral",
};

export function StateBadge({ state }: { state: IncidentState }) {
  return (
    <span className="badge" data-testid="incident-state" data-state={state}>
      <StatusLabel tone={STATE_TONE[state]}>{STATE_WORDS[state]}</StatusLabel>
    </span>
  );
}

export function PriorityBadge({ priority, major }: { priority: Priority; major: boolean }) {
  return (
    <span className="priority" data-testid="incident-priority">
      <span className={`tag tone-${PRIORITY_TONE[priority]}`}>{priority}</span>
      {major && (
        <span className="tag tag-major" data-testid="major-flag">
          Major incident
        </span>
      )}
    </span>
  );
}
