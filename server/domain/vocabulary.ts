// The shared vocabulary of Beacon. These string enums are used by the domain rules, the entities,
// the GraphQL schema (registered with type-graphql) and the web client alike.

export enum ServiceStatus {
  OPERATIONAL = "OPERATIONAL",
  DEGRADED_PERFORMANCE = "DEGRADED_PERFORMANCE",
  PARTIAL_OUTAGE = "PARTIAL_OUTAGE",
  MAJOR_OUTAGE = "MAJOR_OUTAGE",
  UNDER_MAINTENANCE = "UNDER_MAINTENANCE",
}

export enum StatusIndicator {
  NONE = "NONE",
  MINOR = "MINOR",
  MAJOR = "MAJOR",
  CRITICAL = "CRITICAL",
  MAINTENANCE = "MAINTENANCE",
}

export enum Impact {
  HIGH = "HIGH",
  MEDIUM = "MEDIUM",
  LOW = "LOW",
}

export enum Urgency {
  HIGH = "HIGH",
  MEDIUM = "MEDIUM",
  LOW = "LOW",
}

export enum Priority {
  P1 = "P1",
  P2 = "P2",
  P3 = "P3",
  P4 = "P4",
}

export enum IncidentState {
  NEW = "NEW",
  ASSIGNED = "ASSIGNED",
  IN_PROGRESS = "IN_PROGRESS",
  ON_HOLD = "ON_HOLD",
  RESOLVED = "RESOLVED",
  CLOSED = "CLOSED",
  CANCELED = "CANCELED",
}

export enum PublicStatus {
  INVESTIGATING = "INVESTIGATING",
  IDENTIFIED = "IDENTIFIED",
  MONITORING = "MONITORING",
  RESOLVED = "RESOLVED",
}

export enum HoldReason {
  AWAITING_CALLER = "AWAITING_CALLER",
  AWAITING_VENDOR = "AWAITING_VENDOR",
  AWAITING_CHANGE = "AWAITING_CHANGE",
  AWAITING_PROBLEM = "AWAITING_PROBLEM",
}

export enum ResolutionCode {
  PERMANENT_FIX = "PERMANENT_FIX",
  WORKAROUND = "WORKAROUND",
  RESOLVED_BY_CHANGE = "RESOLVED_BY_CHANGE",
  RESOLVED_BY_PROBLEM = "RESOLVED_BY_PROBLEM",
  DUPLICATE = "DUPLICATE",
  NOT_AN_INCIDENT = "NOT_AN_INCIDENT",
}

export enum ContactMethod {
  PHONE = "PHONE",
  EMAIL = "EMAIL",
  SMS = "SMS",
  VOICEMAIL = "VOICEMAIL",
  PORTAL = "PORTAL",
}

export enum Role {
  ADMIN = "ADMIN",
  INCIDENT_MANAGER = "INCIDENT_MANAGER",
  AGENT = "AGENT",
  RESPONDER = "RESPONDER",
}

export enum TimelineKind {
  CREATED = "CREATED",
  NOTE = "NOTE",
  STATE_CHANGE = "STATE_CHANGE",
  ASSIGNMENT = "ASSIGNMENT",
  CONTACT_ATTEMPT = "CONTACT_ATTEMPT",
  CUSTOMER_CONFIRMATION = "CUSTOMER_CONFIRMATION",
  PUBLIC_UPDATE = "PUBLIC_UPDATE",
  FIELD_CHANGE = "FIELD_CHANGE",
  /** The tombstone of a redaction: which entry lost its text, who did it and why. */
  REDACTION = "REDACTION",
  /** A service-level clock reached its warning share of the target (by the system). */
  SLA_WARNING = "SLA_WARNING",
  /** A service-level clock reached its target (by the system). */
  SLA_BREACH = "SLA_BREACH",
  /** Nobody acknowledged in time: escalated to the queue's manager, then the incident managers. */
  ESCALATION = "ESCALATION",
  /** The update cadence passed without a public update: who must post one was reminded (by the system). */
  PUBLIC_UPDATE_DUE = "PUBLIC_UPDATE_DUE",
}

/** A problem record: the investigation of an incident's root cause (ITIL problem management). */
export enum ProblemState {
  OPEN = "OPEN",
  KNOWN_ERROR = "KNOWN_ERROR",
  RESOLVED = "RESOLVED",
  CLOSED = "CLOSED",
}

export enum StatusEventKind {
  SERVICE_STATUS_CHANGED = "SERVICE_STATUS_CHANGED",
  INCIDENT_PUBLISHED = "INCIDENT_PUBLISHED",
  INCIDENT_UPDATED = "INCIDENT_UPDATED",
  INCIDENT_RESOLVED = "INCIDENT_RESOLVED",
  SERVICE_CHANGED = "SERVICE_CHANGED",
  MAINTENANCE_SCHEDULED = "MAINTENANCE_SCHEDULED",
  MAINTENANCE_UPDATED = "MAINTENANCE_UPDATED",
  MAINTENANCE_STARTED = "MAINTENANCE_STARTED",
  MAINTENANCE_COMPLETED = "MAINTENANCE_COMPLETED",
  MAINTENANCE_CANCELED = "MAINTENANCE_CANCELED",
  /** A reminder before a window starts (BEACON_MAINTENANCE_REMINDERS), for subscribers. */
  MAINTENANCE_REMINDER = "MAINTENANCE_REMINDER",
}

/** Scopes an API key can carry. A key acts as the user who owns it, narrowed to its scopes. */
export enum ApiScope {
  READ = "READ",
  WRITE = "WRITE",
}

/** Error codes carried in `extensions.code`. */
export enum ErrorCode {
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  INVALID_TRANSITION = "INVALID_TRANSITION",
  REQUIREMENT_NOT_MET = "REQUIREMENT_NOT_MET",
  INCIDENT_CLOSED = "INCIDENT_CLOSED",
  /** Too many requests from this address or for this target; the message says when to try again. */
  RATE_LIMITED = "RATE_LIMITED",
  /** The database is not answering: nothing was saved; try again shortly. */
  SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE",
  /** A subscription's `since` is older than the replay window: reload the snapshot, resume from its seq. */
  SNAPSHOT_REQUIRED = "SNAPSHOT_REQUIRED",
}

/** How a metrics report (incidentMetrics) groups its rows (docs/reports.md). */
export enum MetricsGroup {
  PRIORITY = "PRIORITY",
  SERVICE = "SERVICE",
  CATEGORY = "CATEGORY",
  QUEUE = "QUEUE",
  /** Calendar days in the business time zone (BEACON_TIME_ZONE). */
  DAY = "DAY",
}

/** The order of the incident list (incidents(orderBy)); docs/service-levels.md for DUE_SOONEST. */
export enum IncidentOrder {
  /** Most recently opened first. */
  NEWEST = "NEWEST",
  /**
   * Soonest next SLA due time first (overdue ones before everything); incidents with no clock
   * running (on hold, resolved, closed, canceled) last, newest first among them.
   */
  DUE_SOONEST = "DUE_SOONEST",
}

/** A rule's answer: either the value, or a refusal with a code and a message that says what to do. */
export type Decision<T = true> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export const allow = <T>(value: T): Decision<T> => ({ ok: true, value });
export const refuse = <T = never>(code: ErrorCode, message: string): Decision<T> => ({
  ok: false,
  code,
  message,
});

/** Roles people take in an incident's war room (documented on the timeline when assigned). */
export enum RoomRole {
  INCIDENT_COMMANDER = "INCIDENT_COMMANDER",
  COMMUNICATIONS_LEAD = "COMMUNICATIONS_LEAD",
  SCRIBE = "SCRIBE",
}

export const ROOM_ROLE_LABELS: Readonly<Record<RoomRole, string>> = {
  [RoomRole.INCIDENT_COMMANDER]: "Incident Commander",
  [RoomRole.COMMUNICATIONS_LEAD]: "Communications Lead",
  [RoomRole.SCRIBE]: "Scribe",
};
