// Shapes of the GraphQL objects the web app selects (see /work/shared/api-contract.graphql).
import type {
  ApiScope,
  ContactMethod,
  HoldReason,
  Impact,
  IncidentState,
  Priority,
  PublicStatus,
  ResolutionCode,
  Role,
  ServiceStatus,
  StatusEventKind,
  StatusIndicator,
  TimelineKind,
  Urgency,
} from "../../../server/domain/vocabulary";

export interface UptimeDay {
  date: string;
  /** False for days before the service existed. */
  hasData: boolean;
  uptimePercent: number;
  worstStatus: ServiceStatus;
  incidents: string[];
}

export interface Service {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  group: string | null;
  status: ServiceStatus;
  updatedAt: string;
  uptime?: UptimeDay[];
}

export interface PublicUpdate {
  id: string;
  status: PublicStatus;
  message: string;
  at: string;
}

export interface PublicIncident {
  id: string;
  title: string;
  status: PublicStatus;
  impact: StatusIndicator;
  services: Pick<Service, "id" | "slug" | "name">[];
  updates: PublicUpdate[];
  startedAt: string;
  resolvedAt: string | null;
}

export interface StatusSummary {
  seq: string;
  indicator: StatusIndicator;
  description: string;
  services: Service[];
  activeIncidents: PublicIncident[];
  updatedAt: string;
}

export interface StatusEvent {
  seq: string;
  kind: StatusEventKind;
  at: string;
  service: Service | null;
  incident: PublicIncident | null;
  /** Set when an incident was unpublished or canceled: remove it from the page. */
  withdrawnIncidentId?: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** A user as the Admin page lists them: inactive people are listed too. */
export interface Person extends User {
  /** Inactive users cannot sign in; their API keys stop working. */
  active: boolean;
}

export interface Queue {
  id: string;
  name: string;
  members: Pick<User, "id" | "name">[];
}

export type RoomRole = "INCIDENT_COMMANDER" | "COMMUNICATIONS_LEAD" | "SCRIBE";

export interface RoomRoleAssignment {
  role: RoomRole;
  user: Pick<User, "id" | "name">;
}

export interface TimelineEntry {
  id: string;
  seq: string;
  kind: TimelineKind;
  authorName: string;
  body: string | null;
  at: string;
  data: Record<string, unknown> | null;
}

export interface ChangeRecord {
  version: number;
  authorName: string;
  description: string;
  at: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  hash: string;
}

export interface HistoryVerification {
  ok: boolean;
  checked: number;
  firstBrokenVersion: number | null;
  message: string;
}

/** The incident as the war room list shows it. */
export interface IncidentSummary {
  id: string;
  number: string;
  title: string;
  priority: Priority;
  major: boolean;
  state: IncidentState;
  version: number;
  public: boolean;
  services: Pick<Service, "id" | "name" | "slug">[];
  owner: Pick<User, "id" | "name">;
  queue: Pick<Queue, "id" | "name"> | null;
  assignee: Pick<User, "id" | "name"> | null;
  createdAt: string;
  updatedAt: string;
}

/** The incident as the room shows it. */
export interface Incident extends IncidentSummary {
  description: string;
  impact: Impact;
  urgency: Urgency;
  publicStatus: PublicStatus | null;
  holdReason: HoldReason | null;
  resolutionCode: ResolutionCode | null;
  resolutionNotes: string | null;
  relatedTo: Pick<IncidentSummary, "id" | "number" | "title"> | null;
  roomRoles: RoomRoleAssignment[];
  resolvedAt: string | null;
  closedAt: string | null;
}

export interface IncidentEvent<I = Incident> {
  seq: string;
  at: string;
  incident: I;
  entry: TimelineEntry | null;
}

export interface PresenceEntry {
  userId: string;
  name: string;
  typing: boolean;
  lastSeenAt: string;
}

export type { ContactMethod };

/** A service as the war room's Services page shows and edits it. */
export interface CatalogService extends Service {
  position: number;
  /** Change-history version; pass it back as updateService's expectedVersion. */
  version: number;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The user the key acts as. */
  user: Pick<User, "id" | "name"> | null;
}

export type { ApiScope, Role };
