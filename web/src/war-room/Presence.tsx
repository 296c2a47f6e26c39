import type { PresenceEntry } from "./queries";

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join("");
}

/** Who is in the room, and who is typing. */
export function Presence({ roster, selfId }: { roster: PresenceEntry[]; selfId: string }) {
  const typing = roster.filter((p) => p.typing && p.userId !== selfId);
  return (
    <section className="panel" aria-labelledby="presence-title">
      <h2 id="presence-title" className="panel-title">
        In the room <span className="count">{roster.length}</span>
      </h2>
      <ul className="presence" data-testid="presence">
        {roster.length === 0 && <li className="muted small">Only you, as far as we know.</li>}
        {roster.map((p) => (
          <li
            key={p.userId}
            className="presence-entry"
            data-testid={`presence-${p.userId}`}
            data-typing={p.typing}
          >
            <span className="avatar" aria-hidden="true">
              {initials(p.name)}
            </span>
            <span>
              {p.name}
              {p.userId === selfId && <span className="muted"> (you)</span>}
            </span>
            {p.typing && <span className="typing">typing…</span>}
          </li>
        ))}
      </ul>
      <p className="typing-line small muted" aria-live="polite" data-testid="typing-indicator">
        {typing.length === 0
          ? "\u00a0"
          : `${typing.map((p) => p.name).join(", ")} ${typing.length === 1 ? "is" : "are"} typing…`}
      </p>
    </section>
  );
}
