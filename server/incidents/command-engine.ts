import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { actorOf } from "../auth";
import { decideCommand, type IncidentCommand } from "../domain/lifecycle";
import { type Actor, authorize } from "../domain/permissions";
import { type ImpactMap, planImpactMoves } from "../domain/public-story";
import { IncidentState, type Priority, type PublicStatus, type TimelineKind } from "../domain/vocabulary";
import {
  type Author,
  authorFields,
  canonicalJson,
  checkVersion,
  type FieldChanges,
  recordCommand,
} from "../history";
import type { Beacon, Principal } from "../kernel/context";
import { notFound, orThrow } from "../kernel/errors";
import { lockById, writeLocked } from "../kernel/lock";
import { queueIdsOf } from "../queues";
import { maintainSla } from "../sla";
import { appendPublicUpdate, appendTimelineEntry } from "../timeline";
import { Incident } from "./incident.entity";
import { accessOf, findIncident, incidentNumber, serviceIdsOf } from "./incident.queries";
import { notifyIncidentChange } from "./incident-notifications";
import { incidentEventOf } from "./public-event";
import { publicViewOf } from "./public-projection";
import { PublicUpdate } from "./public-update.entity";
import { describeMoves, moveServices } from "./service-impacts";
import { TimelineEntry } from "./timeline-entry.entity";

// The one way an incident changes: lock -> check version -> check permission -> decide (domain) ->
// apply (the command's own part) -> record (incident row, change record, timeline, outbox), all in
// one transaction. A refusal anywhere rolls it back: nothing is changed, documented or published.

/** What an allowed command did, as the engine writes it down. */
export interface Step {
  /** History sentence, e.g. "Resolved with WORKAROUND". */
  description: string;
  timeline: { kind: TimelineKind; body?: string | null; data?: Record<string, unknown> };
  /** Service links after the command (when it changes them). */
  serviceIds?: string[];
  /** Public update to add (postPublicUpdate, the closing one on resolve, reopen). */
  publicUpdate?: { status: PublicStatus; message: string; nextUpdateBy?: Date | null };
  /** Services the command named again: set to the incident's impact even if unchanged in its map. */
  reassertServices?: string[];
  /** false: services the incident lets go of keep their status (resolve's restoreServices). */
  restoreServices?: boolean;
}

export interface Done {
  incident: Incident;
  entry: TimelineEntry;
  publicUpdate: PublicUpdate | null;
}

/** Commands only Beacon itself runs (a SystemAuthor): service-level alarms, escalation, cadence reminders. */
export type SystemCommandName = "slaAlarm" | "escalate" | "publicUpdateDue";
export type PersonCommandName = IncidentCommand | "assignRoomRole";
export type CommandName = PersonCommandName | SystemCommandName;

const SYSTEM_COMMANDS: readonly CommandName[] = ["slaAlarm", "escalate", "publicUpdateDue"];
const isSystemCommand = (c: CommandName): c is SystemCommandName => SYSTEM_COMMANDS.includes(c);

export interface CommandSpec {
  command: CommandName;
  /** The lifecycle rule to apply when `command` is not itself in the lifecycle table. */
  lifecycleAs?: IncidentCommand;
  /** null: no optimistic check (timeline interactions and postPublicUpdate take no expectedVersion). */
  expectedVersion: number | null;
  /** Bumps the version and writes a change record; default: when an expectedVersion is taken. */
  versioned?: boolean;
  /** Checks the command's own requirements and changes `incident` in memory; throws a refusal. */
  apply: (ctx: {
    m: EntityManager;
    incident: Incident;
    serviceIds: string[];
    /** null for a SystemAuthor: no person, no permission-table role. */
    actor: Actor | null;
    now: Date;
  }) => Promise<Step | null> | Step | null;
}

/** The fields the change history documents, as plain JSON values. */
export function snapshot(i: Incident, serviceIds: readonly string[]): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    title: i.title,
    publicTitle: i.publicTitle,
    description: i.description,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    state: i.state,
    public: i.isPublic,
    publicStatus: i.publicStatus,
    serviceImpacts: i.serviceImpacts ?? {},
    queueId: i.queueId,
    assigneeId: i.assigneeId,
    holdReason: i.holdReason,
    resolutionCode: i.resolutionCode,
    resolutionNotes: i.resolutionNotes,
    relatedToId: i.relatedToId,
    problemReference: i.problemReference,
    review: i.review,
    customerConfirmedAt: iso(i.customerConfirmedAt),
    resolvedAt: iso(i.resolvedAt),
    closedAt: iso(i.closedAt),
    serviceIds: [...serviceIds].sort(),
    roomRoles: i.roomRoles ?? {},
    peakPriority: i.peakPriority,
    major: i.major,
    categoryId: i.categoryId,
    requester: i.requester,
    problemId: i.problemId,
    reviewDraft: i.reviewDraft,
  };
}

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field] ?? null;
    if (canonicalJson(from) !== canonicalJson(to ?? null)) changes[field] = { from, to: to ?? null };
  }
  return changes;
}

const sameIds = (a: readonly string[], sortedB: readonly string[]) =>
  a.length === sortedB.length && [...a].sort().every((id, i) => id === sortedB[i]);

async function lockIncident(m: EntityManager, id: string): Promise<Incident> {
  return lockById(m, Incident, id, "incident");
}

/** The actor with queue memberships read now, inside the transaction, not when the session began. */
async function freshActor(m: EntityManager, principal: Principal): Promise<Actor> {
  return { ...actorOf(principal), queueIds: await queueIdsOf(m, principal.user.id) };
}

const conflictMessage = (i: Incident) => (current: number, expected: number) =>
  `${incidentNumber(i.seqNumber)} was changed by someone else meanwhile: it is at version ${current}, ` +
  `you sent expectedVersion ${expected}. Reload it, check the change, and retry with expectedVersion ${current}.`;

/**
 * Writes the documented result of an allowed command: the incident row, its service links, the
 * public update, the change record (when `versioned`), the outbox event and the timeline entry
 * whose seq is that event's seq. `before` is null for a new incident (open).
 */
export async function record(
  beacon: Beacon,
  m: EntityManager,
  principal: Author,
  incident: Incident,
  before: { fields: Record<string, unknown>; view: Awaited<ReturnType<typeof publicViewOf>> } | null,
  step: Step,
  command: CommandName | "open",
  now: Date,
  versioned: boolean,
): Promise<Done> {
  const serviceIds = step.serviceIds ?? (before ? (before.fields.serviceIds as string[]) : []);
  const author = authorFields(principal);
  incident.updatedAt = now;
  if (versioned) incident.version = before ? incident.version + 1 : 1;
  if (before) await writeLocked(m, Incident, incident);
  else await m.save(incident);
  const linkedBefore = before ? (before.fields.serviceIds as string[]) : [];
  if (step.serviceIds && !sameIds(step.serviceIds, linkedBefore)) {
    await m.query("DELETE FROM incident_service WHERE incident_id = $1", [incident.id]);
    await m.query("INSERT INTO incident_service (incident_id, service_id) SELECT $1, unnest($2::uuid[])", [
      incident.id,
      step.serviceIds,
    ]);
  }
  let publicUpdate: PublicUpdate | null = null;
  if (step.publicUpdate) {
    publicUpdate = await appendPublicUpdate(m, {
      incidentId: incident.id,
      status: step.publicUpdate.status,
      message: step.publicUpdate.message,
      nextUpdateBy: step.publicUpdate.nextUpdateBy ?? null,
      at: now,
      authorId: author.authorId,
    });
  }
  // The services this incident hurts move with it, in this transaction (docs/public-story.md).
  const holderBefore = before
    ? {
        isPublic: before.fields.public as boolean,
        state: before.fields.state as IncidentState,
        impacts: (before.fields.serviceImpacts ?? {}) as ImpactMap,
      }
    : null;
  const moves = await moveServices(
    m,
    principal,
    { id: incident.id, reference: incidentNumber(incident.seqNumber), impacts: incident.serviceImpacts },
    planImpactMoves(
      holderBefore,
      { isPublic: incident.isPublic, state: incident.state, impacts: incident.serviceImpacts },
      step.reassertServices,
      step.restoreServices !== false,
    ),
    now,
  );
  // The service-level clocks follow the command (docs/service-levels.md), in this transaction.
  const sla = await maintainSla(
    beacon,
    m,
    incident,
    before
      ? {
          state: before.fields.state as IncidentState,
          priority: before.fields.priority as Priority,
          queueId: before.fields.queueId as string | null,
          public: before.fields.public as boolean,
        }
      : null,
    publicUpdate !== null,
    now,
  );
  const described = moves.length
    ? `${step.description}${step.description ? "; " : ""}services: ${describeMoves(moves)}`
    : step.description;
  const description = sla.note ? `${described}${described ? "; " : ""}${sla.note}` : described;

  // One event per command. It goes on the public stream only when what the public sees changed,
  // and then carries the public projection and nothing else.
  const entryId = randomUUID();
  const shape = incidentEventOf(before?.view ?? null, await publicViewOf(m, incident));
  const payload: Record<string, unknown> = { entryId, command };
  if (shape.withdrawn) payload.withdrawnIncidentId = incident.id;
  if (shape.incident) payload.incident = shape.incident;
  const change = versioned
    ? {
        subjectType: "incident" as const,
        subjectId: incident.id,
        version: incident.version,
        description,
        at: now,
        changes: diff(before?.fields ?? {}, snapshot(incident, serviceIds)),
      }
    : null;
  const event = await recordCommand(m, principal, change, {
    kind: shape.kind,
    at: now,
    isPublic: shape.isPublic,
    incidentId: incident.id,
    payload,
  });
  const entry = await appendTimelineEntry(m, {
    id: entryId,
    incidentId: incident.id,
    seq: event.seq,
    kind: step.timeline.kind,
    ...author,
    // Lifecycle entries without their own text read as the history sentence ("Assigned to queue X").
    body: step.timeline.body ?? (description || null),
    at: now,
    // The public update's id lets a redaction of this entry remove the published words too.
    data: {
      command,
      ...(step.timeline.data ?? {}),
      ...(publicUpdate ? { publicUpdateId: publicUpdate.id } : {}),
      ...(moves.length ? { serviceMoves: moves } : {}),
      ...(sla.data ? { sla: sla.data } : {}),
    },
  });
  // Who must be told (queue members, incident managers, a new commander): domain/notify.ts.
  await notifyIncidentChange(m, author, before?.fields ?? null, snapshot(incident, serviceIds), incident);
  return { incident, entry, publicUpdate };
}

/**
 * Every command on an existing incident: lock -> version -> permission -> lifecycle -> the
 * command's own requirements -> record. `apply` returning null means "nothing to change": nothing
 * is written and the result is null. A SystemAuthor (a job, or a signed link's holder) is not
 * checked against the permission table: the server code that passes one is the permission (the
 * job's own rule, the link's signature); the lifecycle and the command's requirements still apply.
 */
export function run(beacon: Beacon, principal: Author, id: string, spec: CommandSpec): Promise<Done | null> {
  return beacon.db.transaction(async (m) => {
    const incident = await lockIncident(m, id);
    checkVersion(incident.version, spec.expectedVersion, conflictMessage(incident));
    const actor = "system" in principal ? null : await freshActor(m, principal);
    if (actor) {
      if (isSystemCommand(spec.command))
        throw new Error(`${spec.command} is run by Beacon itself, never by a person`);
      orThrow(authorize(actor, spec.command, accessOf(incident)));
    }
    const lifecycleCommand = spec.lifecycleAs ?? (spec.command as IncidentCommand);
    const decision = orThrow(
      decideCommand(incident.state, lifecycleCommand, incidentNumber(incident.seqNumber)),
    );
    const serviceIds = await serviceIdsOf(m, incident.id);
    const before = { fields: snapshot(incident, serviceIds), view: await publicViewOf(m, incident) };
    const now = beacon.clock.now();
    const step = await spec.apply({ m, incident, serviceIds, actor, now });
    if (step === null) return null;
    if (decision.to !== null) incident.state = decision.to;
    // "Work started" outlives the state: lowering severity after it needs a manager (domain/severity).
    if (incident.state === IncidentState.IN_PROGRESS) incident.workStarted = true;
    const versioned = spec.versioned ?? spec.expectedVersion !== null;
    return record(beacon, m, principal, incident, before, step, spec.command, now, versioned);
  });
}

/** `run`, answering with the incident (as it is now when the command had nothing to change). */
export async function runForIncident(
  beacon: Beacon,
  principal: Author,
  id: string,
  spec: CommandSpec,
): Promise<Incident> {
  const done = await run(beacon, principal, id, spec);
  if (done) return done.incident;
  const incident = await findIncident(beacon.db.manager, id);
  if (!incident) throw notFound("incident", id);
  return incident;
}
