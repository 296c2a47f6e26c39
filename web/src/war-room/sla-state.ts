// How a service-level clock reads in the war room (docs/service-levels.md): pure, so the list, the
// room and the tests agree. The server sends the clock as of the read; the countdown runs on `now`.
import { ownsPublicUpdate, publicUpdateOwner } from "../../../server/domain/sla";
import { type Role, RoomRole } from "../../../server/domain/vocabulary";
import type { Tone } from "../shared/words";

export interface SlaClockData {
  dueAt: string | null;
  targetSeconds: number;
  elapsedSeconds: number;
  paused: boolean;
  pausedForSeconds: number;
  /** When the hold going on now began: time on hold counts up from it, live. */
  pausedSince: string | null;
  warned: boolean;
  breached: boolean;
  metAt: string | null;
}

export type SlaPhase = "met" | "paused" | "running" | "warned" | "breached";

export interface SlaClockView {
  phase: SlaPhase;
  tone: Tone;
  /** "due in 12 min", "breached 3 min ago", "met", "paused (on hold 1 h 5 min)". */
  text: string;
  /** Milliseconds until due (negative once past); null when met or paused. */
  remainingMs: number | null;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function spanWords(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The share of the target left at which a running clock turns amber (the server's default 75 %). */
export const WARN_SHARE_LEFT = 0.25;

export function slaClockView(c: SlaClockData, now: number): SlaClockView {
  if (c.metAt) {
    return {
      phase: "met",
      tone: c.breached ? "major" : "ok",
      text: c.breached ? "met late" : "met",
      remainingMs: null,
    };
  }
  if (c.paused || !c.dueAt) {
    // Wall-clock time since the hold began, ticking with `now` (pausedForSeconds is as of the read,
    // and in business time for business-hours clocks: it would stand still overnight).
    const onHoldMs = c.pausedSince ? now - Date.parse(c.pausedSince) : c.pausedForSeconds * 1000;
    return {
      phase: "paused",
      tone: "neutral",
      text: onHoldMs >= 1000 ? `paused (on hold ${spanWords(onHoldMs)})` : "paused",
      remainingMs: null,
    };
  }
  const remainingMs = Date.parse(c.dueAt) - now;
  if (remainingMs <= 0 || c.breached) {
    return {
      phase: "breached",
      tone: "critical",
      text: `breached ${spanWords(-remainingMs)} ago`,
      remainingMs,
    };
  }
  const warned = c.warned || remainingMs <= c.targetSeconds * 1000 * WARN_SHARE_LEFT;
  return {
    phase: warned ? "warned" : "running",
    tone: warned ? "minor" : "ok",
    text: `due in ${spanWords(remainingMs)}`,
    remainingMs,
  };
}

/** "next public update due in 12 min" / "public update overdue by 3 min"; null when none is due. */
export function cadenceView(
  nextDueIso: string | null,
  now: number,
): { overdue: boolean; text: string } | null {
  if (!nextDueIso) return null;
  const ms = Date.parse(nextDueIso) - now;
  return ms <= 0
    ? { overdue: true, text: `public update overdue by ${spanWords(-ms)}` }
    : { overdue: false, text: `next public update due in ${spanWords(ms)}` };
}

export interface CadenceNoteView {
  overdue: boolean;
  /** The viewer is who posts the next public update (and is reminded when it is overdue). */
  mine: boolean;
  tone: Tone;
  text: string;
}

/**
 * The room's update-cadence line for one viewer (docs/service-levels.md): whoever is to post the
 * next public update (domain/sla publicUpdateOwner) sees the countdown; everyone else sees nothing
 * until it is overdue, then that it is, and whose it is. null: nothing to show.
 */
export function cadenceNoteView(
  nextDueIso: string | null,
  now: number,
  viewer: { mine: boolean; ownerName: string },
): CadenceNoteView | null {
  const v = cadenceView(nextDueIso, now);
  if (!v) return null;
  if (viewer.mine) {
    return {
      overdue: v.overdue,
      mine: true,
      tone: v.overdue ? "critical" : "maintenance",
      text: `${v.text} (yours)`,
    };
  }
  if (!v.overdue) return null;
  return { overdue: true, mine: false, tone: "critical", text: `${v.text} (${viewer.ownerName})` };
}

interface Person {
  id: string;
  name: string;
}

/**
 * Who posts an incident's next public update, as the room sees it: the same rule the reminder
 * follows (the communications lead, else the assignee, else the incident managers), and whether
 * that is the viewer. `ownerName` is short (it goes on the clocks' line); `ownerTitle` says it all.
 */
export function cadenceOwner(
  incident: { roomRoles: readonly { role: string; user: Person | null }[]; assignee: Person | null },
  viewer: { id: string; role: Role },
): { mine: boolean; ownerName: string; ownerTitle: string } {
  const lead = incident.roomRoles.find((r) => r.role === RoomRole.COMMUNICATIONS_LEAD)?.user ?? null;
  const owner = publicUpdateOwner(lead?.id, incident.assignee?.id);
  const mine = ownsPublicUpdate(owner, viewer);
  if (owner.kind === "INCIDENT_MANAGERS") {
    return {
      mine,
      ownerName: "incident managers",
      ownerTitle: "The incident managers post the public updates (no communications lead or assignee)",
    };
  }
  const [name, role] =
    owner.kind === "COMMUNICATIONS_LEAD"
      ? [lead?.name ?? "?", "communications lead"]
      : [incident.assignee?.name ?? "?", "assignee"];
  return { mine, ownerName: name, ownerTitle: `${name} (${role}) posts the public updates` };
}

/** Clocks that are met (test fixtures, and incidents whose clocks are not of interest). */
export const SETTLED_CLOCK: SlaClockData = {
  dueAt: null,
  targetSeconds: 900,
  elapsedSeconds: 60,
  paused: false,
  pausedForSeconds: 0,
  pausedSince: null,
  warned: false,
  breached: false,
  metAt: "2026-01-01T00:00:00Z",
};
export const SETTLED_SLA = {
  acknowledge: SETTLED_CLOCK,
  resolve: SETTLED_CLOCK,
  nextDueAt: null,
  nextPublicUpdateDueAt: null,
  escalationLevel: 0,
};
