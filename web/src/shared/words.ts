// Human words for the shared vocabulary. Status is always shown in words (plus icon and colour),
// never by colour alone.
import {
  ContactMethod,
  HoldReason,
  IncidentState,
  ProblemState,
  PublicStatus,
  ResolutionCode,
  ServiceStatus,
  StatusIndicator,
  TimelineKind,
} from "../../../server/domain/vocabulary";

export const SERVICE_STATUS_WORDS: Record<ServiceStatus, string> = {
  [ServiceStatus.OPERATIONAL]: "Operational",
  [ServiceStatus.DEGRADED_PERFORMANCE]: "Degraded performance",
  [ServiceStatus.PARTIAL_OUTAGE]: "Partial outage",
  [ServiceStatus.MAJOR_OUTAGE]: "Major outage",
  [ServiceStatus.UNDER_MAINTENANCE]: "Under maintenance",
};

/** CSS tone used for colour; always paired with words and an icon shape. */
export type Tone = "ok" | "minor" | "major" | "critical" | "maintenance" | "neutral";

export const SERVICE_STATUS_TONE: Record<ServiceStatus, Tone> = {
  [ServiceStatus.OPERATIONAL]: "ok",
  [ServiceStatus.DEGRADED_PERFORMANCE]: "minor",
  [ServiceStatus.PARTIAL_OUTAGE]: "major",
  [ServiceStatus.MAJOR_OUTAGE]: "critical",
  [ServiceStatus.UNDER_MAINTENANCE]: "maintenance",
};

/** Severity order used to pick the worst status. */
export const SERVICE_STATUS_SEVERITY: Record<ServiceStatus, number> = {
  [ServiceStatus.OPERATIONAL]: 0,
  [ServiceStatus.UNDER_MAINTENANCE]: 1,
  [ServiceStatus.DEGRADED_PERFORMANCE]: 2,
  [ServiceStatus.PARTIAL_OUTAGE]: 3,
  [ServiceStatus.MAJOR_OUTAGE]: 4,
};

export const INDICATOR_WORDS: Record<StatusIndicator, string> = {
  [StatusIndicator.NONE]: "Operational",
  [StatusIndicator.MINOR]: "Minor issues",
  [StatusIndicator.MAJOR]: "Major issues",
  [StatusIndicator.CRITICAL]: "Critical outage",
  [StatusIndicator.MAINTENANCE]: "Maintenance",
};

export const INDICATOR_TONE: Record<StatusIndicator, Tone> = {
  [StatusIndicator.NONE]: "ok",
  [StatusIndicator.MINOR]: "minor",
  [StatusIndicator.MAJOR]: "major",
  [StatusIndicator.CRITICAL]: "critical",
  [StatusIndicator.MAINTENANCE]: "maintenance",
};

export const IMPACT_WORDS: Record<StatusIndicator, string> = {
  [StatusIndicator.NONE]: "No impact",
  [StatusIndicator.MINOR]: "Minor impact",
  [StatusIndicator.MAJOR]: "Major impact",
  [StatusIndicator.CRITICAL]: "Critical impact",
  [StatusIndicator.MAINTENANCE]: "Maintenance",
};

export const PUBLIC_STATUS_WORDS: Record<PublicStatus, string> = {
  [PublicStatus.INVESTIGATING]: "Investigating",
  [PublicStatus.IDENTIFIED]: "Identified",
  [PublicStatus.MONITORING]: "Monitoring",
  [PublicStatus.RESOLVED]: "Resolved",
};

export const PUBLIC_STATUS_TONE: Record<PublicStatus, Tone> = {
  [PublicStatus.INVESTIGATING]: "major",
  [PublicStatus.IDENTIFIED]: "minor",
  [PublicStatus.MONITORING]: "maintenance",
  [PublicStatus.RESOLVED]: "ok",
};

export const STATE_WORDS: Record<IncidentState, string> = {
  [IncidentState.NEW]: "New",
  [IncidentState.ASSIGNED]: "Assigned",
  [IncidentState.IN_PROGRESS]: "In progress",
  [IncidentState.ON_HOLD]: "On hold",
  [IncidentState.RESOLVED]: "Resolved",
  [IncidentState.CLOSED]: "Closed",
  [IncidentState.CANCELED]: "Canceled",
};

export const PROBLEM_STATE_WORDS: Record<ProblemState, string> = {
  [ProblemState.OPEN]: "Open",
  [ProblemState.KNOWN_ERROR]: "Known error",
  [ProblemState.RESOLVED]: "Resolved",
  [ProblemState.CLOSED]: "Closed",
};

export const HOLD_REASON_WORDS: Record<HoldReason, string> = {
  [HoldReason.AWAITING_CALLER]: "Awaiting caller",
  [HoldReason.AWAITING_VENDOR]: "Awaiting vendor",
  [HoldReason.AWAITING_CHANGE]: "Awaiting change",
  [HoldReason.AWAITING_PROBLEM]: "Awaiting problem",
};

export const RESOLUTION_WORDS: Record<ResolutionCode, string> = {
  [ResolutionCode.PERMANENT_FIX]: "Permanent fix",
  [ResolutionCode.WORKAROUND]: "Workaround",
  [ResolutionCode.RESOLVED_BY_CHANGE]: "Resolved by change",
  [ResolutionCode.RESOLVED_BY_PROBLEM]: "Resolved by problem",
  [ResolutionCode.DUPLICATE]: "Duplicate",
  [ResolutionCode.NOT_AN_INCIDENT]: "Not an incident",
};

export const CONTACT_METHOD_WORDS: Record<ContactMethod, string> = {
  [ContactMethod.PHONE]: "Phone",
  [ContactMethod.EMAIL]: "Email",
  [ContactMethod.SMS]: "SMS",
  [ContactMethod.VOICEMAIL]: "Voicemail",
  [ContactMethod.PORTAL]: "Portal",
};

/** Turns an enum value into words when no table has it ("AWAITING_CALLER" -> "Awaiting caller"). */
export function humanize(value: string): string {
  const words = value.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const TIMELINE_KIND_WORDS: Record<TimelineKind, string> = {
  [TimelineKind.CREATED]: "Opened",
  [TimelineKind.NOTE]: "Note",
  [TimelineKind.STATE_CHANGE]: "State change",
  [TimelineKind.ASSIGNMENT]: "Assignment",
  [TimelineKind.CONTACT_ATTEMPT]: "Contact attempt",
  [TimelineKind.CUSTOMER_CONFIRMATION]: "Customer confirmation",
  [TimelineKind.PUBLIC_UPDATE]: "Public update",
  [TimelineKind.FIELD_CHANGE]: "Change",
  [TimelineKind.REDACTION]: "Redaction",
  [TimelineKind.SLA_WARNING]: "SLA warning",
  [TimelineKind.SLA_BREACH]: "SLA breach",
  [TimelineKind.ESCALATION]: "Escalation",
  [TimelineKind.PUBLIC_UPDATE_DUE]: "Public update due",
};
