import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { ResultOf } from "../../graphql";
import { mutate, onConnectionState, query, subscribe } from "../../graphql-client";
import { Link } from "../../shared/router";
import { Time } from "../../shared/Time";
import { useLiveQuery } from "../../shared/useLiveQuery";
import { useSubmit } from "../form-state";
import {
  addNotification,
  BELL_SIZE,
  type BellState,
  markRead,
  readElsewhere,
  unreadWords,
} from "./bell-state";
import { NotificationSettings } from "./NotificationSettings";
import {
  MARK_NOTIFICATIONS_READ,
  NOTIFICATION_ADDED,
  NOTIFICATION_INBOX,
  NOTIFICATIONS_READ,
  type NotificationItem,
} from "./queries";

type State = BellState<NotificationItem>;

async function loadInbox(): Promise<{ snapshot: State; seq: string }> {
  const { notificationInbox: inbox } = await query(NOTIFICATION_INBOX, { first: BELL_SIZE });
  return { snapshot: { unreadCount: inbox.unreadCount, items: inbox.notifications }, seq: inbox.seq };
}

/**
 * The war room's bell: the unread count, live over graphql-ws (the inbox's seq, then
 * notificationAdded since it), announced politely to screen readers; a panel listing the newest
 * notifications with links to their rooms, "Mark all read", and the email settings.
 */
export function NotificationBell({ userId }: { userId: string }) {
  const live = useLiveQuery<State, NotificationItem, ResultOf<typeof NOTIFICATION_ADDED>>(
    `notifications:${userId}`,
    {
      load: loadInbox,
      subscription: NOTIFICATION_ADDED,
      eventOf: (data) => data.notificationAdded,
      seqOf: (n) => n.seq,
      apply: addNotification,
    },
  );
  // Read marks from the user's other tabs and devices. Idempotent, so no seq to resume from: after a
  // dropped connection the inbox is reloaded instead (marks made meanwhile were not seen).
  const liveRef = useRef(live);
  liveRef.current = live;
  useEffect(() => {
    if (!userId) return;
    const stop = subscribe(NOTIFICATIONS_READ, {}, (data) => {
      let known = true;
      liveRef.current.update((s) => {
        const next = readElsewhere(s, data.notificationsRead.ids);
        known = next !== null;
        return next ?? s;
      });
      if (!known) liveRef.current.resync();
    });
    let wasLive = true;
    const unlisten = onConnectionState((state) => {
      if (state === "live" && !wasLive) liveRef.current.resync();
      wasLive = state === "live";
    });
    return () => {
      stop();
      unlisten();
    };
  }, [userId]);
  const [open, setOpen] = useState(false);
  const [settings, setSettings] = useState(false);
  // The panel opens towards the side with room: leftwards from a bell near the right edge.
  const [alignLeft, setAlignLeft] = useState(false);
  // On a phone the panel spans the screen (styles.css), just under the bell.
  const [phoneTop, setPhoneTop] = useState<number | undefined>(undefined);
  const { busy, error, run } = useSubmit();
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const count = live.data?.unreadCount ?? 0;
  const items = live.data?.items ?? [];

  // Clicking elsewhere closes the panel (the settings dialog is outside it and keeps it open).
  useEffect(() => {
    if (!open || settings) return;
    const close = (event: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open, settings]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && open && !settings) {
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  };

  const markAll = () =>
    run(async () => {
      await mutate(MARK_NOTIFICATIONS_READ, {});
      live.update((s) => markRead(s, null));
    });
  const markOne = (id: string) => {
    live.update((s) => markRead(s, [id]));
    void mutate(MARK_NOTIFICATIONS_READ, { ids: [id] }).catch(() => live.resync());
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the bell closes its panel.
    <div className="bell" ref={wrapper} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="button button-small bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Notifications: ${unreadWords(count)}`}
        data-testid="bell"
        onClick={() => {
          const rect = button.current?.getBoundingClientRect();
          setAlignLeft(rect ? rect.right < Math.min(400, window.innerWidth * 0.6) : false);
          setPhoneTop(rect && window.innerWidth <= 600 ? Math.round(rect.bottom + 6) : undefined);
          setOpen((o) => !o);
        }}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" className="bell-icon">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {count > 0 && (
          <span className="bell-count" data-testid="bell-count" aria-hidden="true">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      <span className="sr-only" aria-live="polite" data-testid="bell-live">
        {live.data ? unreadWords(count) : ""}
      </span>
      {open && (
        <section
          id={panelId}
          className={alignLeft ? "bell-panel bell-panel-left" : "bell-panel"}
          style={phoneTop === undefined ? undefined : { top: phoneTop }}
          aria-label="Notifications"
          data-testid="bell-panel"
        >
          <div className="bell-panel-head">
            <h2 className="bell-title">Notifications</h2>
            <button
              type="button"
              className="button button-small"
              onClick={() => void markAll()}
              aria-disabled={busy || count === 0}
              disabled={count === 0}
              data-testid="bell-mark-all"
            >
              Mark all read
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error.message}
            </p>
          )}
          {live.error && !live.data && (
            <p className="form-error" role="alert">
              Could not load notifications: {live.error.message}
            </p>
          )}
          {items.length === 0 ? (
            <p className="muted small bell-empty">
              Nothing yet. You will be told here when an incident needs you.
            </p>
          ) : (
            <ul className="bell-list">
              {items.map((n) => (
                <li
                  key={n.id}
                  className={n.read ? "bell-item" : "bell-item bell-unread"}
                  data-testid={`bell-item-${n.id}`}
                >
                  {n.incident ? (
                    <Link
                      to={`/war-room/incidents/${encodeURIComponent(n.incident.id)}`}
                      onClick={() => {
                        if (!n.read) markOne(n.id);
                        setOpen(false);
                      }}
                    >
                      {n.title}
                    </Link>
                  ) : (
                    <span>{n.title}</span>
                  )}
                  {!n.read && <span className="sr-only"> (unread)</span>}
                  {n.body && <span className="small muted bell-body">{n.body}</span>}
                  <span className="small muted">
                    <Time iso={n.at} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          <div className="bell-panel-foot">
            <button
              type="button"
              className="button button-small"
              onClick={() => setSettings(true)}
              data-testid="bell-settings"
            >
              Email settings
            </button>
          </div>
        </section>
      )}
      {settings && <NotificationSettings onClose={() => setSettings(false)} />}
    </div>
  );
}
