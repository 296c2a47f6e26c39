// The bell's state, as pure functions of (state, event): unit-tested without a browser.

/** What the bell needs of a notification. */
export interface BellItem {
  id: string;
  read: boolean;
  seq: string;
}

export interface BellState<T extends BellItem> {
  unreadCount: number;
  items: T[];
}

/** How many the panel keeps (the inbox loads this many too). */
export const BELL_SIZE = 20;

/** A new notification arrived live: on top, counted if unread; one already shown changes nothing. */
export function addNotification<T extends BellItem>(state: BellState<T>, n: T): BellState<T> {
  if (state.items.some((i) => i.id === n.id)) return state;
  return {
    unreadCount: state.unreadCount + (n.read ? 0 : 1),
    items: [n, ...state.items].slice(0, BELL_SIZE),
  };
}

/** Marked read here (ids) or all (null): the count drops by those that were unread. */
export function markRead<T extends BellItem>(
  state: BellState<T>,
  ids: readonly string[] | null,
): BellState<T> {
  if (ids === null)
    return { unreadCount: 0, items: state.items.map((i) => (i.read ? i : { ...i, read: true })) };
  const wanted = new Set(ids);
  let dropped = 0;
  const items = state.items.map((i) => {
    if (!wanted.has(i.id) || i.read) return i;
    dropped++;
    return { ...i, read: true };
  });
  return { unreadCount: Math.max(0, state.unreadCount - dropped), items };
}

/**
 * Read marks made in any of the user's sessions (another tab, another device, or this tab's own,
 * echoed back). Null when some are not among the items shown: whether they were unread is not
 * known here, so the caller reloads the inbox for the right count.
 */
export function readElsewhere<T extends BellItem>(
  state: BellState<T>,
  ids: readonly string[],
): BellState<T> | null {
  const shown = new Set(state.items.map((i) => i.id));
  return ids.every((id) => shown.has(id)) ? markRead(state, ids) : null;
}

/** The words for the bell's button and the live region. */
export function unreadWords(count: number): string {
  return count === 0
    ? "No unread notifications"
    : count === 1
      ? "1 unread notification"
      : `${count} unread notifications`;
}
