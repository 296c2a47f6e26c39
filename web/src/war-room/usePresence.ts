import { useCallback, useEffect, useRef, useState } from "react";
import { mutate, subscribe } from "../graphql-client";
import type { PresenceEntry } from "./queries";
import { HEARTBEAT, ROOM_PRESENCE } from "./queries";

const HEARTBEAT_MS = 10_000;
/** Without a key press, click or pointer move for this long, the person is no longer shown present. */
export const PRESENCE_IDLE_MS = 15 * 60_000;
const ACTIVITY_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;

/**
 * Presence in one room: a heartbeat every 10 s while the room is open and the person active, and
 * another whenever typing starts or stops; the roster arrives over `roomPresence`. An unattended
 * room sends nothing, so it neither shows someone who is away nor keeps their session from
 * reaching its idle timeout (docs/security.md).
 */
export function usePresence(incidentId: string) {
  const [roster, setRoster] = useState<PresenceEntry[]>([]);
  const typing = useRef(false);

  const beat = useCallback(() => {
    mutate(HEARTBEAT, { incidentId, typing: typing.current }).catch(() => {
      // presence is best effort
    });
  }, [incidentId]);

  useEffect(() => {
    typing.current = false;
    let lastActivity = Date.now();
    const active = () => {
      lastActivity = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, active, { passive: true });
    beat();
    const timer = setInterval(() => {
      if (Date.now() - lastActivity < PRESENCE_IDLE_MS) beat();
    }, HEARTBEAT_MS);
    const unsubscribe = subscribe(
      ROOM_PRESENCE,
      { incidentId },
      {
        next: (data) => setRoster(data.roomPresence),
        error: () => {},
      },
    );
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      active();
      beat();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, active);
      unsubscribe();
      document.removeEventListener("visibilitychange", onVisible);
      setRoster([]);
    };
  }, [incidentId, beat]);

  const setTyping = useCallback(
    (value: boolean) => {
      if (typing.current === value) return;
      typing.current = value;
      beat();
    },
    [beat],
  );

  return { roster, setTyping };
}
