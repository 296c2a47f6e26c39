import { commandLabel, type IncidentCommand } from "./commands";
import type { ClosureRequirement } from "./queries";

/** The room's buttons that meet each requirement (ClosureRequirement.key). */
export const MEETS: Readonly<Record<string, readonly IncidentCommand[]>> = {
  RESOLVED: ["resolve"],
  CUSTOMER_CONFIRMATION_OR_ATTEMPTS: ["confirmResolution", "logContactAttempt"],
  REVIEW: ["completeReview"],
  PROBLEM: ["linkProblem"],
};

/** Why Close cannot work yet, in words; null when every requirement is met. */
export function closeBlockedBy(requirements: readonly ClosureRequirement[]): string | null {
  const open = requirements.filter((r) => !r.met);
  if (open.length === 0) return null;
  return `Close needs: ${open.map((r) => r.label.charAt(0).toLowerCase() + r.label.slice(1)).join("; ")}.`;
}

/**
 * Closing as a checklist: every requirement the server will check, met or not, with what was found
 * so far and the button that meets it. Ticks live as the room's incident changes.
 */
export function ClosureChecklist({
  requirements,
  allowed,
  onAction,
}: {
  requirements: readonly ClosureRequirement[];
  allowed: readonly IncidentCommand[];
  onAction: (command: IncidentCommand) => void;
}) {
  if (requirements.length === 0) return null;
  const done = requirements.filter((r) => r.met).length;
  return (
    <section className="panel" aria-labelledby="closure-title" data-testid="closure-checklist">
      <h2 id="closure-title" className="panel-title">
        Before closing ({done} of {requirements.length} done)
      </h2>
      <ul className="checklist">
        {requirements.map((r) => {
          const buttons = (MEETS[r.key] ?? []).filter((c) => allowed.includes(c));
          return (
            <li
              key={r.key}
              className="checklist-item"
              data-testid={`closure-${r.key}`}
              data-met={r.met ? "true" : "false"}
            >
              <span className="checklist-mark" aria-hidden="true">
                {r.met ? "✓" : "○"}
              </span>
              <span>
                <span className="sr-only">{r.met ? "Done: " : "To do: "}</span>
                {r.label}
              </span>
              {r.detail && <span className="checklist-detail">{r.detail}</span>}
              {!r.met && buttons.length > 0 && (
                <span className="checklist-actions">
                  {buttons.map((c) => (
                    <button
                      key={c}
                      type="button"
                      className="button button-small"
                      data-testid={`closure-action-${c}`}
                      onClick={() => onAction(c)}
                    >
                      {commandLabel(c)}
                    </button>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
