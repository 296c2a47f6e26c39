import { type Action, PERMISSION_SPECS, type PermissionSpec, type Scope } from "./permission-table";
import { allow, type Decision, ErrorCode, Role, refuse } from "./vocabulary";

export type { Action, PermissionSpec, Scope } from "./permission-table";

export interface Actor {
  id: string;
  role: Role;
  queueIds: readonly string[];
}

export interface IncidentAccess {
  ownerId: string;
  queueId: string | null;
  assigneeId: string | null;
  /** Human reference such as "INC0042"; only used to make refusal messages concrete. */
  reference?: string;
}

export interface PermissionRow extends PermissionSpec {
  /** Human summary of `grants`, for docs and the web. */
  who: string;
}

const ROLE_ORDER: readonly Role[] = [Role.ADMIN, Role.INCIDENT_MANAGER, Role.AGENT, Role.RESPONDER];

function grantPhrase(role: Role, scope: Scope): string {
  switch (scope) {
    case "ANY":
      return {
        ADMIN: "an admin",
        INCIDENT_MANAGER: "an incident manager",
        AGENT: "any agent",
        RESPONDER: "any responder",
      }[role];
    case "OWNER":
      return "its owning agent";
    case "OWNER_UNASSIGNED":
      return "its owning agent while nobody is assigned";
    case "ASSIGNEE":
      return `its assigned ${role === Role.AGENT ? "agent" : "responder"}`;
    case "QUEUE":
      return "a responder in its queue";
  }
}

function whoList(grants: PermissionSpec["grants"]): string[] {
  const phrases = ROLE_ORDER.flatMap((role) => (grants[role] ?? []).map((scope) => grantPhrase(role, scope)));
  // An agent and a responder as assignee both read as "its assignee".
  if (phrases.includes("its assigned agent") && phrases.includes("its assigned responder")) {
    return phrases
      .filter((p) => p !== "its assigned responder")
      .map((p) => (p === "its assigned agent" ? "its assignee" : p));
  }
  return phrases;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** The RACI table from DESIGN "Who may do what" as data: `authorize` reads it, docs and the web render it. */
export const PERMISSION_TABLE: readonly PermissionRow[] = PERMISSION_SPECS.map((spec) => ({
  ...spec,
  who: orList(whoList(spec.grants)),
}));

const BY_ACTION = new Map<Action, PermissionRow>(PERMISSION_TABLE.map((row) => [row.action, row]));

/** Actions that are another row under their own name: a lifecycle command whose permission is shared. */
export const PERMISSION_OF: Readonly<Partial<Record<Action, Action>>> = { postPublicUpdate: "publish" };

function satisfies(actor: Actor, scope: Scope, incident: IncidentAccess | undefined): boolean {
  if (scope === "ANY") return true;
  if (incident === undefined) return false;
  switch (scope) {
    case "OWNER":
      return incident.ownerId === actor.id;
    case "ASSIGNEE":
      return incident.assigneeId !== null && incident.assigneeId === actor.id;
    case "QUEUE":
      return incident.queueId !== null && actor.queueIds.includes(incident.queueId);
    case "OWNER_UNASSIGNED":
      return (
        incident.ownerId === actor.id && (incident.assigneeId === null || incident.assigneeId === actor.id)
      );
  }
}

/**
 * Whether `actor` may perform `action` (on `incident`, for incident actions). This answers "who",
 * not "when": the lifecycle still decides whether the incident's state allows it.
 */
export function authorize(actor: Actor, action: Action, incident?: IncidentAccess): Decision {
  const row = BY_ACTION.get(PERMISSION_OF[action] ?? action);
  if (row === undefined) return refuse(ErrorCode.FORBIDDEN, `Unknown action "${action}".`);
  const scopes = row.grants[actor.role] ?? [];
  if (scopes.some((scope) => satisfies(actor, scope, incident))) return allow(true as const);
  const target = row.onIncident ? ` ${incident?.reference ?? "this incident"}` : "";
  const askWhom = row.grants[Role.INCIDENT_MANAGER] ? "an incident manager" : "an admin";
  return refuse(
    ErrorCode.FORBIDDEN,
    `Only ${row.who} may ${row.verb}${target}; ask ${askWhom} if it needs doing.`,
  );
}

/** The permission table as Markdown; docs/permissions.md is this output and a test keeps them equal. */
export function renderPermissionTable(): string {
  const lines = ["| action | what | who may |", "| --- | --- | --- |"];
  for (const row of PERMISSION_TABLE) lines.push(`| \`${row.action}\` | ${row.description} | ${row.who} |`);
  return `${lines.join("\n")}\n`;
}
