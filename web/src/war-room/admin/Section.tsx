import type { ReactNode } from "react";

/** One section of the Admin page: a card with a titled head and its "add" button (if it has one). */
export function Section({
  id,
  title,
  actionLabel,
  onAction,
  children,
}: {
  id: string;
  title: string;
  actionLabel?: string;
  onAction?: () => void;
  children: ReactNode;
}) {
  return (
    <section className="card admin-section" aria-labelledby={`${id}-title`} data-testid={`admin-${id}`}>
      <div className="admin-section-head">
        <h2 id={`${id}-title`} className="admin-section-title">
          {title}
        </h2>
        {actionLabel && onAction && (
          <button type="button" className="button button-primary" onClick={onAction}>
            {actionLabel}
          </button>
        )}
      </div>
      {children}
    </section>
  );
}

/** A section's list while it is not there: the server's refusal, or "Loading …" until it arrives. */
export function LoadState({ error, loaded, what }: { error: string | null; loaded: boolean; what: string }) {
  if (error)
    return (
      <p className="notice notice-error" role="alert">
        {error}
      </p>
    );
  if (!loaded) return <p className="muted">Loading {what}…</p>;
  return null;
}

/** The last column of an admin table: its row buttons, named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="sr-only">Actions</span>
    </th>
  );
}
