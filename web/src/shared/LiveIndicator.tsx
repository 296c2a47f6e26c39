import { useConnectionState } from "./hooks";

const WORDS = { live: "Live", reconnecting: "Reconnecting…", offline: "Offline" } as const;
const TITLES = {
  live: "Updates arrive as they happen.",
  reconnecting: "The live connection dropped; reconnecting. Nothing will be missed.",
  offline: "No connection. This page will catch up as soon as the connection is back.",
} as const;

/** Subtle live-connection indicator; announces changes politely to screen readers. */
export function LiveIndicator() {
  const state = useConnectionState();
  return (
    <span
      className={`live-indicator live-${state}`}
      data-testid="live-indicator"
      data-state={state}
      role="status"
      title={TITLES[state]}
    >
      <span className="live-dot" aria-hidden="true" />
      {WORDS[state]}
    </span>
  );
}
