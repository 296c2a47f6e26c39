import { useCallback, useEffect, useRef, useState } from "react";
import { mutate, subscribe } from "../graphql-client";
import type { PresenceEntry } from "./queries";
import { HEARTBEAT, ROOM_PRESENCE } from "./queries";

const HEARTBEAT_MS = 10_000;

/**
 * Presence in one room: a heartbeat every 10 s while the room is open, and another whenever typing
 * starts or stops; the roster arrives over `roomPresence`.
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
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    const unsubscribe = subscribe(
      ROOM_PRESENCE,
      { incidentId },
      {
        next: (data) => setRoster(data.roomPresence),
        error: () => {},
      },
    );
    const onVisible = () => document.visibilityState === "visible" && beat();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
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
