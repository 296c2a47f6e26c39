import type { IncidentState } from "../../../server/domain/vocabulary";
import {
  type Actor,
  allowedCommands,
  COMPOSER_COMMANDS,
  commandLabel,
  type IncidentCommand,
} from "./commands";
import type { IncidentSummary } from "./queries";

const PRIMARY: ReadonlySet<IncidentCommand> = new Set([
  "acknowledge",
  "startWork",
  "resolve",
  "resume",
  "close",
]);

/** Lifecycle action buttons: only what the state allows (and, when known, what this user may do). */
export function ActionBar({
  incident,
  actor,
  onAction,
  blocked = {},
}: {
  incident: Pick<IncidentSummary, "state"> & Partial<IncidentSummary>;
  actor?: Actor | null;
  onAction: (command: IncidentCommand) => void;
  /** Commands that cannot work yet, with the reason shown under the bar (e.g. Close before the checklist). */
  blocked?: Partial<Record<IncidentCommand, string>>;
}) {
  const commands = allowedCommands(incident, actor ?? null).filter((c) => !COMPOSER_COMMANDS.has(c));
  if (commands.length === 0) {
    return (
      <p className="muted small" data-testid="actions-none">
        {terminalHint(incident.state)}
      </p>
    );
  }
  const reasons = commands.flatMap((c) => (blocked[c] ? [[c, blocked[c]] as const] : []));
  return (
    <div>
      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form group */}
      <div className="action-bar" role="group" aria-label="Incident actions" data-testid="actions">
        {commands.map((command) => (
          <button
            key={command}
            type="button"
            className={`button${PRIMARY.has(command) ? " button-primary" : ""}${command === "cancel" ? " button-danger" : ""}`}
            data-testid={`action-${command}`}
            disabled={blocked[command] !== undefined}
            aria-describedby={blocked[command] !== undefined ? `action-reason-${command}` : undefined}
            onClick={() => onAction(command)}
          >
            {commandLabel(command)}
          </button>
        ))}
      </div>
      {reasons.map(([command, reason]) => (
        <p
          key={command}
          id={`action-reason-${command}`}
          className="action-reason"
          data-testid={`action-reason-${command}`}
        >
          {reason}
        </p>
      ))}
    </div>
  );
}

function terminalHint(state: IncidentState): string {
  if (state === "CLOSED" || state === "CANCELED")
    return "This incident is finished and can never be reopened.";
  return "No actions available to you right now.";
}
