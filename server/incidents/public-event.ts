import { PublicStatus, StatusEventKind } from "../domain/vocabulary";
import { canonicalJson } from "../history";
import type { PublicIncidentView } from "./public-projection";

/** Event kind for incident activity that does not touch the public projection. */
export const INCIDENT_ACTIVITY = "INCIDENT_ACTIVITY";

export type IncidentEventKind =
  | typeof INCIDENT_ACTIVITY
  | StatusEventKind.INCIDENT_PUBLISHED
  | StatusEventKind.INCIDENT_UPDATED
  | StatusEventKind.INCIDENT_RESOLVED;

export interface IncidentEventShape {
  kind: IncidentEventKind;
  /** On the public stream (statusChanged): only when what the public sees changed. */
  isPublic: boolean;
  /** The projection the public event carries (nothing else of the incident goes public). */
  incident: PublicIncidentView | null;
  /** Set when the incident left the status page (unpublished or canceled). */
  withdrawn: boolean;
}

/**
 * The event one command on an incident publishes, from the public projection before and after it
 * (null: the public does not see the incident). A pure rule: the same views give the same event.
 */
export function incidentEventOf(
  before: PublicIncidentView | null,
  after: PublicIncidentView | null,
): IncidentEventShape {
  if (after && !before) {
    return { kind: StatusEventKind.INCIDENT_PUBLISHED, isPublic: true, incident: after, withdrawn: false };
  }
  if (before && !after) {
    return { kind: StatusEventKind.INCIDENT_UPDATED, isPublic: true, incident: null, withdrawn: true };
  }
  if (after && before && canonicalJson(after) !== canonicalJson(before)) {
    const kind =
      after.status === PublicStatus.RESOLVED && before.status !== PublicStatus.RESOLVED
        ? StatusEventKind.INCIDENT_RESOLVED
        : StatusEventKind.INCIDENT_UPDATED;
    return { kind, isPublic: true, incident: after, withdrawn: false };
  }
  return { kind: INCIDENT_ACTIVITY, isPublic: false, incident: null, withdrawn: false };
}
