// The permission table as data (DESIGN "Who may do what"): one row per action, naming which roles
// may do it and how each grant is narrowed by the actor's relation to the incident. permissions.ts
// reads it (authorize) and words it (docs/permissions.md, the web's admin page).
import type { IncidentCommand } from "./lifecycle";
import { Role } from "./vocabulary";

export type Action =
  | IncidentCommand
  | "openIncident"
  | "publish"
  | "heartbeat"
  | "openFollowUp"
  | "viewIncidents"
  | "viewMetrics"
  | "createUser"
  | "manageApiKeys"
  | "createQueue"
  | "createService"
  | "updateService"
  | "setServiceStatus"
  | "assignRoomRole"
  | "lowerSeverity"
  | "createProblem"
  | "updateProblem"
  | "closeProblem"
  | "createCategory"
  | "redactTimelineEntry"
  | "manageSlaPolicies"
  | "setActionItemDone"
  | "manageSubscriptions"
  | "scheduleMaintenance"
  | "manageMaintenance";

/**
 * How a role's grant is narrowed by the actor's relation to the incident:
 * - ANY: no relation needed.
 * - OWNER: the actor opened (owns) the incident.
 * - ASSIGNEE: the incident is assigned to the actor.
 * - QUEUE: the incident sits in one of the actor's escalation queues.
 * - OWNER_UNASSIGNED: the actor owns it and nobody else is assigned (they started work themselves).
 */
export type Scope = "ANY" | "OWNER" | "ASSIGNEE" | "QUEUE" | "OWNER_UNASSIGNED";

export interface PermissionSpec {
  action: Action;
  description: string;
  /** Verb phrase for refusal messages: "Only ... may <verb>". */
  verb: string;
  /** Whether the action concerns one incident (and refusals name it). */
  onIncident: boolean;
  grants: Readonly<Partial<Record<Role, readonly Scope[]>>>;
}

const ANY: readonly Scope[] = ["ANY"];
// ADMIN is accountable for the whole system; INCIDENT_MANAGER for every incident.
const MANAGERS = { [Role.ADMIN]: ANY, [Role.INCIDENT_MANAGER]: ANY } as const;
const ADMIN_ONLY = { [Role.ADMIN]: ANY } as const;
// Whoever is actually working the incident: the responder who acknowledged it, or the help-desk
// agent who started work on it themselves (NEW -> IN_PROGRESS), who would otherwise be stranded.
const WORKERS = {
  ...MANAGERS,
  [Role.AGENT]: ["ASSIGNEE", "OWNER_UNASSIGNED"],
  [Role.RESPONDER]: ["ASSIGNEE"],
} as const;
const OWNER_AGENT = { ...MANAGERS, [Role.AGENT]: ["OWNER"] } as const;

export const PERMISSION_SPECS: readonly PermissionSpec[] = [
  {
    action: "viewIncidents",
    verb: "view incidents",
    onIncident: false,
    description: "See incidents, their timelines and war rooms",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    // Everyone who may see the incidents may see figures about them: the aggregates reveal nothing
    // a viewer could not count from the incident list (docs/reports.md, "Who may read").
    action: "viewMetrics",
    verb: "read incident metrics",
    onIncident: false,
    description: "Read incident metrics and the Reports page (MTTA, MTTR, SLA attainment, trends)",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    action: "openIncident",
    verb: "open incidents",
    onIncident: false,
    description: "Open a new incident (the opener becomes its owner)",
    grants: { ...MANAGERS, [Role.AGENT]: ANY },
  },
  {
    action: "heartbeat",
    verb: "show presence in war rooms",
    onIncident: false,
    description: "Show oneself present (and typing) in a war room; needs a WRITE credential",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    action: "openFollowUp",
    verb: "open follow-up incidents",
    onIncident: false,
    description: "Open a follow-up incident related to a closed or canceled one",
    grants: { ...MANAGERS, [Role.AGENT]: ANY },
  },
  {
    action: "update",
    verb: "edit",
    onIncident: true,
    description: "Edit title, description, impact, urgency, service",
    grants: OWNER_AGENT,
  },
  {
    action: "assign",
    verb: "assign",
    onIncident: true,
    description: "Assign (or reassign) to an escalation queue",
    grants: OWNER_AGENT,
  },
  {
    action: "startWork",
    verb: "start work on",
    onIncident: true,
    description: "Work a NEW incident without escalating it",
    grants: OWNER_AGENT,
  },
  {
    action: "acknowledge",
    verb: "acknowledge",
    onIncident: true,
    description: "Take an assigned incident from one's queue and become its assignee",
    grants: { ...MANAGERS, [Role.RESPONDER]: ["QUEUE"] },
  },
  {
    action: "hold",
    verb: "put on hold",
    onIncident: true,
    description: "Put an incident in progress on hold (reason and note)",
    grants: WORKERS,
  },
  {
    action: "resume",
    verb: "resume",
    onIncident: true,
    description: "Resume work on an incident on hold",
    grants: WORKERS,
  },
  {
    action: "resolve",
    verb: "resolve",
    onIncident: true,
    description: "Resolve: service restored by a fix or workaround (code and notes)",
    grants: WORKERS,
  },
  {
    action: "returnToHelpDesk",
    verb: "return to the help desk",
    onIncident: true,
    description: "Send an incident back to the help desk (documented reason)",
    grants: { ...MANAGERS, [Role.RESPONDER]: ["ASSIGNEE"] },
  },
  {
    action: "confirmResolution",
    verb: "record the customer's confirmation for",
    onIncident: true,
    description: "Record that the customer confirmed the resolution",
    grants: OWNER_AGENT,
  },
  {
    action: "close",
    verb: "close",
    onIncident: true,
    description:
      "Close a resolved incident (confirmation or contact attempts; review and problem for major ones)",
    grants: OWNER_AGENT,
  },
  {
    action: "reopen",
    verb: "reopen",
    onIncident: true,
    description: "Send a resolved incident back to work when the customer says it is not fixed",
    grants: OWNER_AGENT,
  },
  {
    action: "cancel",
    verb: "cancel",
    onIncident: true,
    description: "Cancel an incident opened by mistake (reason)",
    grants: OWNER_AGENT,
  },
  {
    action: "addNote",
    verb: "add notes to",
    onIncident: true,
    description: "Add an internal note to the timeline",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    action: "logContactAttempt",
    verb: "log contact attempts for",
    onIncident: true,
    description: "Log an attempt to reach the customer",
    grants: { ...MANAGERS, [Role.AGENT]: ["OWNER"], [Role.RESPONDER]: ["ASSIGNEE"] },
  },
  {
    action: "linkProblem",
    verb: "link a problem record to",
    onIncident: true,
    description: "Link the problem record investigating the root cause",
    grants: OWNER_AGENT,
  },
  {
    action: "completeReview",
    verb: "complete the post-incident review of",
    onIncident: true,
    description: "Mark the post-incident review as completed",
    grants: MANAGERS,
  },
  {
    action: "draftReview",
    verb: "write the post-incident review of",
    onIncident: true,
    description: "Draft the post-incident review and add its action items (completing it needs RESOLVED)",
    grants: MANAGERS,
  },
  {
    action: "lowerSeverity",
    verb: "lower the impact or urgency, once work has started, of",
    onIncident: true,
    description:
      "Lower impact or urgency after work started (with a documented reason; the peak priority stays)",
    grants: MANAGERS,
  },
  {
    // ONE permission for every way onto the status page (issue 9: an agent opening an incident
    // with public: true put its own title on the public banner). postPublicUpdate is this row.
    action: "publish",
    verb: "publish on the status page",
    onIncident: false,
    description:
      "Put an incident on the public status page or change what it says there, whatever the path: open it with `public: true`, make it public or private (`updateIncident`), rename it while public, post public updates (`postPublicUpdate`)",
    grants: MANAGERS,
  },
  {
    action: "assignRoomRole",
    verb: "assign war-room roles in",
    onIncident: true,
    description: "Give someone a role in an incident's war room",
    grants: MANAGERS,
  },
  {
    action: "setServiceStatus",
    verb: "set service status",
    onIncident: false,
    description: "Change a service's public status",
    grants: MANAGERS,
  },
  {
    action: "createQueue",
    verb: "create escalation queues",
    onIncident: false,
    description: "Create escalation queues and manage their members",
    grants: MANAGERS,
  },
  {
    action: "createService",
    verb: "create services",
    onIncident: false,
    description: "Add a service to the catalog",
    grants: ADMIN_ONLY,
  },
  {
    action: "updateService",
    verb: "change services",
    onIncident: false,
    description: "Edit a service in the catalog",
    grants: ADMIN_ONLY,
  },
  {
    action: "createUser",
    verb: "create users",
    onIncident: false,
    description: "Create users and set their roles",
    grants: ADMIN_ONLY,
  },
  {
    action: "manageApiKeys",
    verb: "manage API keys",
    onIncident: false,
    description: "Issue and revoke API keys",
    grants: ADMIN_ONLY,
  },
  {
    action: "createProblem",
    verb: "open problem records",
    onIncident: false,
    description: "Open a problem record (PRB-000001) to investigate a root cause",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    action: "updateProblem",
    verb: "edit problem records",
    onIncident: false,
    description: "Record a problem's root cause and workaround; mark it a known error or resolved",
    grants: { ...MANAGERS, [Role.AGENT]: ANY, [Role.RESPONDER]: ANY },
  },
  {
    action: "closeProblem",
    verb: "close problem records",
    onIncident: false,
    description: "Close a resolved problem record",
    grants: MANAGERS,
  },
  {
    action: "setActionItemDone",
    verb: "mark review action items done",
    onIncident: false,
    description: "Mark a post-incident review's action item done or not done (also after closing)",
    grants: MANAGERS,
  },
  {
    action: "manageSubscriptions",
    verb: "manage update subscribers and webhook endpoints",
    onIncident: false,
    description:
      "See and remove email subscribers, register webhook endpoints, read the delivery log and the local mail outbox, retry deliveries, resume paused endpoints",
    grants: ADMIN_ONLY,
  },
  {
    action: "createCategory",
    verb: "manage incident categories",
    onIncident: false,
    description: "Add categories and subcategories to the classification tree",
    grants: ADMIN_ONLY,
  },
  {
    action: "manageSlaPolicies",
    verb: "change SLA policies",
    onIncident: false,
    description: "Set the service-level targets, update cadence and auto-close of each priority",
    grants: ADMIN_ONLY,
  },
  {
    action: "redactTimelineEntry",
    verb: "redact timeline entries",
    onIncident: false,
    description: "Remove a pasted secret from a timeline entry (a tombstone with the reason stays)",
    grants: ADMIN_ONLY,
  },
  {
    action: "scheduleMaintenance",
    verb: "schedule maintenance",
    onIncident: false,
    description: "Schedule a maintenance window (announced on the status page and to subscribers)",
    grants: MANAGERS,
  },
  {
    action: "manageMaintenance",
    verb: "change maintenance windows",
    onIncident: false,
    description: "Edit, start, complete or cancel a maintenance window and post its public updates",
    grants: MANAGERS,
  },
];
