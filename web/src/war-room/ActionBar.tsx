import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { IncidentState } from "../../../server/domain/vocabulary";
import { actionsByStage } from "./actions-by-stage";
import { type Actor, allowedCommands, commandLabel, type IncidentCommand } from "./commands";
import type { IncidentSummary } from "./queries";

/**
 * Lifecycle actions by stage: the next steps as primary buttons, the rest behind "More", and the
 * irreversible ones (Cancel) apart; their dialog is the confirmation. Only what the state allows
 * and, when known, what this user may do.
 */
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
  const { primary, more, destructive } = actionsByStage(
    incident.state as IncidentState,
    allowedCommands(incident, actor ?? null),
  );
  if (primary.length + more.length + destructive.length === 0) {
    return (
      <p className="muted small" data-testid="actions-none">
        {terminalHint(incident.state)}
      </p>
    );
  }
  const shown = [...primary, ...more];
  const reasons = shown.flatMap((c) => (blocked[c] ? [[c, blocked[c]] as const] : []));
  return (
    <div className="action-bar-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form group */}
      <div className="action-bar" role="group" aria-label="Incident actions" data-testid="actions">
        {primary.map((command, i) => (
          <button
            key={command}
            type="button"
            className={`button${i === 0 ? " button-primary" : ""}`}
            data-testid={`action-${command}`}
            disabled={blocked[command] !== undefined}
            aria-describedby={blocked[command] !== undefined ? `action-reason-${command}` : undefined}
            onClick={() => onAction(command)}
          >
            {commandLabel(command)}
          </button>
        ))}
        {more.length > 0 && <MoreMenu commands={more} blocked={blocked} onAction={onAction} />}
        {destructive.length > 0 && (
          <span className="action-bar-apart">
            {destructive.map((command) => (
              <button
                key={command}
                type="button"
                className="button button-danger"
                data-testid={`action-${command}`}
                onClick={() => onAction(command)}
              >
                {commandLabel(command)}…
              </button>
            ))}
          </span>
        )}
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

/**
 * The WAI-ARIA menu button pattern: Enter/Space/ArrowDown open it on the first item, arrows and
 * Home/End move, Escape closes it and returns focus to the button, Tab or a click outside closes it.
 * The items stay in the DOM (hidden) while closed so what the room offers is always inspectable.
 */
function MoreMenu({
  commands,
  blocked,
  onAction,
}: {
  commands: IncidentCommand[];
  blocked: Partial<Record<IncidentCommand, string>>;
  onAction: (command: IncidentCommand) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () =>
    Array.from(list.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);
  const focusItem = (index: number) => {
    const all = items();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]?.focus();
  };
  const show = (at: "first" | "last") => {
    setOpen(true);
    requestAnimationFrame(() => focusItem(at === "first" ? 0 : -1));
  };
  const hide = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!list.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      show(e.key === "ArrowDown" ? "first" : "last");
    }
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const move: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 };
    if (e.key in move) {
      e.preventDefault();
      focusItem(move[e.key] ?? 0);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      hide(true);
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <span className="menu">
      <button
        ref={button}
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="actions-more"
        onClick={() => (open ? hide(false) : show("first"))}
        onKeyDown={onButtonKey}
      >
        More <span aria-hidden="true">▾</span>
      </button>
      <div
        ref={list}
        id={menuId}
        role="menu"
        aria-label="More actions"
        className="menu-list"
        hidden={!open}
        data-testid="actions-more-menu"
        onKeyDown={onMenuKey}
      >
        {commands.map((command) => (
          <button
            key={command}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-item"
            data-testid={`action-${command}`}
            aria-disabled={blocked[command] !== undefined || undefined}
            aria-describedby={blocked[command] !== undefined ? `action-reason-${command}` : undefined}
            onClick={() => {
              if (blocked[command] !== undefined) return;
              // The dialog gives focus back to what had it: the menu button, not a hidden item.
              hide(true);
              onAction(command);
            }}
          >
            {commandLabel(command)}
          </button>
        ))}
      </div>
    </span>
  );
}

function terminalHint(state: IncidentState): string {
  if (state === "CLOSED" || state === "CANCELED")
    return "This incident is finished and can never be reopened.";
  return "No actions available to you right now.";
}
