import { randomUUID } from "node:crypto";
import { type EntityManager, In } from "typeorm";
import type { Beacon, Principal } from "../app/context";
import { BeaconError, badInput, isUuid, notFound, orThrow } from "../app/errors";
import { actorOf, authorName } from "../auth/guard";
import { User } from "../auth/user.entity";
import { type ClosureFacts, evaluateClosure } from "../domain/closure";
import { decideCommand, type IncidentCommand } from "../domain/lifecycle";
import { type Actor, authorize, type IncidentAccess } from "../domain/permissions";
import { isMajor, priorityOf } from "../domain/priority";
import { requireText, validateContactAttemptTime } from "../domain/text";
import {
  type ContactMethod,
  ErrorCode,
  HoldReason,
  type Impact,
  IncidentState,
  PublicStatus,
  type ResolutionCode,
  ROOM_ROLE_LABELS,
  RoomRole,
  StatusEventKind,
  TimelineKind,
  type Urgency,
} from "../domain/vocabulary";
import { appendEvent, nextCounter } from "../events/outbox";
import { appendChange, canonicalJson, type FieldChanges } from "../history/history.service";
import { Queue } from "../queues/queue.entity";
import { isMember, queueIdsOf } from "../queues/queue.service";
import { Service } from "../services/service.entity";
import { type PublicIncidentView, publicIncidents } from "../status-page/public-projection";
import { Incident } from "./incident.entity";
import { PublicUpdate } from "./public-update.entity";
import { TimelineEntry } from "./timeline-entry.entity";

// Text limits (code points). Titles show in lists and on the status page; bodies are free prose.
export const MAX_TITLE = 200;
export const MAX_TEXT = 10_000;
export const MAX_REFERENCE = 200;
export const MAX_PUBLIC_MESSAGE = 5_000;

/** Event kind for incident activity that does not touch the public projection. */
export const INCIDENT_ACTIVITY = "INCIDENT_ACTIVITY";

export const RESOLVED_MESSAGE = "This incident has been resolved.";
export const REOPENED_MESSAGE = "The issue has come back; we are investigating again.";

export const incidentNumber = (seqNumber: number) => `INC-${String(seqNumber).padStart(6, "0")}`;

export interface OpenIncidentInput {
  title: string;
  description: string;
  impact: Impact;
  urgency: Urgency;
  serviceIds?: string[] | null;
  public?: boolean | null;
}

export interface UpdateIncidentInput {
  title?: string | null;
  description?: string | null;
  impact?: Impact | null;
  urgency?: Urgency | null;
  serviceIds?: string[] | null;
  public?: boolean | null;
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function findIncident(m: EntityManager, id: string): Promise<Incident | null> {
  return isUuid(id) ? m.findOne(Incident, { where: { id } }) : null;
}

export async function serviceIdsOf(m: EntityManager, incidentId: string): Promise<string[]> {
  const rows: { service_id: string }[] = await m.query(
    "SELECT service_id FROM incident_service WHERE incident_id = $1 ORDER BY service_id",
    [incidentId],
  );
  return rows.map((r) => r.service_id);
}

export function timelineOf(m: EntityManager, incidentId: string): Promise<TimelineEntry[]> {
  return m
    .getRepository(TimelineEntry)
    .createQueryBuilder("t")
    .where("t.incident_id = :incidentId", { incidentId })
    .orderBy("t.seq", "ASC")
    .getMany();
}

export const accessOf = (i: Incident): IncidentAccess => ({
  ownerId: i.ownerId,
  queueId: i.queueId,
  assigneeId: i.assigneeId,
  reference: incidentNumber(i.seqNumber),
});

/** The public projection of one incident as it stands in `m`; null when the public must not see it. */
async function publicViewOf(m: EntityManager, i: Incident): Promise<PublicIncidentView | null> {
  // A canceled incident was opened by mistake: it is withdrawn from the status page.
  if (!i.isPublic || i.state === IncidentState.CANCELED) return null;
  const [view] = await publicIncidents(m, [i]);
  return view ?? null;
}

/**
 * The facts closing is judged on, all taken from the timeline since the latest resolution: a
 * confirmation or contact attempt that belonged to an earlier resolution (before a reopen) is not
 * evidence about this one.
 */
export function closureFacts(i: Incident, timeline: readonly TimelineEntry[]): ClosureFacts {
  const lastResolve = timeline.filter(
    (t) => t.kind === TimelineKind.STATE_CHANGE && t.data?.command === "resolve",
  );
  const since = lastResolve.length ? BigInt(lastResolve[lastResolve.length - 1].seq) : 0n;
  const current = timeline.filter((t) => BigInt(t.seq) > since);
  const resolvedAt = i.resolvedAt?.getTime() ?? 0;
  return {
    priority: i.priority,
    customerConfirmed: current.some((t) => t.kind === TimelineKind.CUSTOMER_CONFIRMATION),
    contactAttempts: current
      .filter((t) => t.kind === TimelineKind.CONTACT_ATTEMPT && t.data)
      .map((t) => ({
        method: t.data!.method as ContactMethod,
        reached: Boolean(t.data!.reached),
        at: new Date(String(t.data!.at)),
      }))
      .filter((a) => a.at.getTime() >= resolvedAt),
    reviewCompleted: i.review !== null,
    problemReference: i.problemReference,
  };
}

// ---------------------------------------------------------------------------------------------
// The one writer

/** The fields the change history documents, as plain JSON values. */
function snapshot(i: Incident, serviceIds: readonly string[]): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    title: i.title,
    description: i.description,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    state: i.state,
    public: i.isPublic,
    publicStatus: i.publicStatus,
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
  };
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field] ?? null;
    if (canonicalJson(from) !== canonicalJson(to ?? null)) changes[field] = { from, to: to ?? null };
  }
  return changes;
}

interface Step {
  /** History sentence, e.g. "Resolved with WORKAROUND". */
  description: string;
  timeline: { kind: TimelineKind; body?: string | null; data?: Record<string, unknown> };
  /** Service links after the command (when it changes them). */
  serviceIds?: string[];
  /** Public update to add (postPublicUpdate, automatic ones on resolve/reopen). */
  publicUpdate?: { status: PublicStatus; message: string };
}

interface Done {
  incident: Incident;
  entry: TimelineEntry;
  publicUpdate: PublicUpdate | null;
}

async function lockIncident(m: EntityManager, id: string): Promise<Incident> {
  const incident = isUuid(id)
    ? await m.findOne(Incident, { where: { id }, lock: { mode: "pessimistic_write" } })
    : null;
  if (!incident) throw notFound("incident", id);
  return incident;
}

/** The actor with queue memberships read now, inside the transaction, not when the session began. */
async function freshActor(m: EntityManager, principal: Principal): Promise<Actor> {
  return { ...actorOf(principal), queueIds: await queueIdsOf(m, principal.user.id) };
}

function conflict(i: Incident, expectedVersion: number): BeaconError {
  return new BeaconError(
    ErrorCode.CONFLICT,
    `${incidentNumber(i.seqNumber)} was changed by someone else meanwhile: it is at version ${i.version}, ` +
      `you sent expectedVersion ${expectedVersion}. Reload it, check the change, and retry with expectedVersion ${i.version}.`,
    { currentVersion: i.version },
  );
}

/**
 * Writes the documented result of a command that has been allowed: the incident row, the change
 * record (when `versioned`), the public update, the outbox event and the timeline entry whose seq
 * is that event's seq. Call inside the command's transaction, after the incident row was locked.
 */
async function commit(
  m: EntityManager,
  principal: Principal,
  incident: Incident,
  before: { fields: Record<string, unknown>; view: PublicIncidentView | null } | null,
  step: Step,
  command: IncidentCommand | "assignRoomRole" | "open",
  now: Date,
  versioned: boolean,
): Promise<Done> {
  const serviceIds = step.serviceIds ?? (before ? (before.fields.serviceIds as string[]) : []);
  incident.updatedAt = now;
  if (versioned) incident.version = before ? incident.version + 1 : 1;
  await m.save(incident);
  if (step.serviceIds) {
    await m.query("DELETE FROM incident_service WHERE incident_id = $1", [incident.id]);
    for (const serviceId of step.serviceIds) {
      await m.query("INSERT INTO incident_service (incident_id, service_id) VALUES ($1, $2)", [
        incident.id,
        serviceId,
      ]);
    }
  }
  let publicUpdate: PublicUpdate | null = null;
  if (step.publicUpdate) {
    publicUpdate = await m.save(
      m.create(PublicUpdate, {
        incidentId: incident.id,
        status: step.publicUpdate.status,
        message: step.publicUpdate.message,
        at: now,
        authorId: principal.user.id,
      }),
    );
  }
  if (versioned) {
    await appendChange(m, {
      subjectType: "incident",
      subjectId: incident.id,
      version: incident.version,
      authorId: principal.user.id,
      authorName: authorName(principal),
      description: step.description,
      at: now,
      changes: diff(before?.fields ?? {}, snapshot(incident, serviceIds)),
    });
  }

  // One event per command. It goes on the public stream only when what the public sees changed,
  // and then carries the public projection and nothing else.
  const entryId = randomUUID();
  const viewBefore = before?.view ?? null;
  const viewAfter = await publicViewOf(m, incident);
  const payload: Record<string, unknown> = { entryId, command };
  let kind: string = INCIDENT_ACTIVITY;
  let isPublic = false;
  if (viewAfter && !viewBefore) {
    kind = StatusEventKind.INCIDENT_PUBLISHED;
  } else if (viewBefore && !viewAfter) {
    kind = StatusEventKind.INCIDENT_UPDATED;
    payload.withdrawnIncidentId = incident.id;
    isPublic = true;
  } else if (viewAfter && viewBefore && canonicalJson(viewAfter) !== canonicalJson(viewBefore)) {
    kind =
      viewAfter.status === PublicStatus.RESOLVED && viewBefore.status !== PublicStatus.RESOLVED
        ? StatusEventKind.INCIDENT_RESOLVED
        : StatusEventKind.INCIDENT_UPDATED;
  }
  if (viewAfter && kind !== INCIDENT_ACTIVITY) {
    isPublic = true;
    payload.incident = viewAfter;
  }
  const event = await appendEvent(m, { kind, at: now, isPublic, incidentId: incident.id, payload });
  const entry = await m.save(
    m.create(TimelineEntry, {
      id: entryId,
      incidentId: incident.id,
      seq: event.seq,
      kind: step.timeline.kind,
      authorId: principal.user.id,
      authorName: authorName(principal),
      // Lifecycle entries without their own text read as the history sentence ("Assigned to queue X").
      body: step.timeline.body ?? (step.description || null),
      at: now,
      data: { command, ...(step.timeline.data ?? {}) },
    }),
  );
  return { incident, entry, publicUpdate };
}

interface CommandSpec {
  command: IncidentCommand | "assignRoomRole";
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
    actor: Actor;
    now: Date;
  }) => Promise<Step | null> | Step | null;
}

/**
 * Every command on an existing incident: lock -> version -> permission -> lifecycle -> the
 * command's own requirements -> write. A refusal at any point rolls the transaction back, so
 * nothing is changed, documented or published. `apply` returning null means "nothing to change".
 */
async function run(
  beacon: Beacon,
  principal: Principal,
  id: string,
  spec: CommandSpec,
): Promise<Done | null> {
  return beacon.db.transaction(async (m) => {
    const incident = await lockIncident(m, id);
    if (spec.expectedVersion !== null && spec.expectedVersion !== incident.version) {
      throw conflict(incident, spec.expectedVersion);
    }
    const actor = await freshActor(m, principal);
    orThrow(authorize(actor, spec.command, accessOf(incident)));
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
    return commit(
      m,
      principal,
      incident,
      before,
      step,
      spec.command,
      now,
      spec.versioned ?? spec.expectedVersion !== null,
    );
  });
}

async function runForIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  spec: CommandSpec,
): Promise<Incident> {
  const done = await run(beacon, principal, id, spec);
  if (done) return done.incident;
  // Nothing to change (e.g. an edit that sets what is already there): answer with the current state.
  const incident = await findIncident(beacon.db.manager, id);
  if (!incident) throw notFound("incident", id);
  return incident;
}

// ---------------------------------------------------------------------------------------------
// Input helpers

const text = (field: string, value: string | null | undefined, max = MAX_TEXT) =>
  orThrow(requireText(field, value, max), { field });

async function requireServices(
  m: EntityManager,
  ids: readonly string[] | null | undefined,
): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  const valid = unique.filter(isUuid);
  const found = valid.length ? await m.find(Service, { where: { id: In(valid) } }) : [];
  const foundIds = new Set(found.map((s) => s.id));
  const missing = unique.filter((id) => !foundIds.has(id));
  if (missing.length > 0) {
    throw new BeaconError(
      ErrorCode.NOT_FOUND,
      `No service with id ${missing.map((id) => `"${id}"`).join(", ")} exists; pick services from the services list.`,
      { field: "serviceIds", missingIds: missing },
    );
  }
  return unique.sort();
}

async function userName(m: EntityManager, id: string | null): Promise<string> {
  if (!id) return "nobody";
  return (await m.findOne(User, { where: { id } }))?.name ?? id;
}

// ---------------------------------------------------------------------------------------------
// Opening

async function open(
  beacon: Beacon,
  principal: Principal,
  input: OpenIncidentInput,
  relatedTo: Incident | null,
  m: EntityManager,
): Promise<Incident> {
  const title = text("title", input.title, MAX_TITLE);
  const description = text("description", input.description);
  const serviceIds = await requireServices(m, input.serviceIds);
  const now = beacon.clock.now();
  const priority = priorityOf(input.impact, input.urgency);
  const isPublic = input.public === true;
  const incident = m.create(Incident, {
    seqNumber: Number(await nextCounter(m, "incident_number")),
    title,
    description,
    impact: input.impact,
    urgency: input.urgency,
    priority,
    state: IncidentState.NEW,
    version: 1,
    isPublic,
    publicStatus: isPublic ? PublicStatus.INVESTIGATING : null,
    ownerId: principal.user.id,
    queueId: null,
    assigneeId: null,
    holdReason: null,
    resolutionCode: null,
    resolutionNotes: null,
    relatedToId: relatedTo?.id ?? null,
    problemReference: null,
    review: null,
    customerConfirmedAt: null,
    createdAt: now,
    updatedAt: now,
    resolvedAt: null,
    closedAt: null,
  });
  await m.save(incident);
  const number = incidentNumber(incident.seqNumber);
  const related = relatedTo ? ` as a follow-up to ${incidentNumber(relatedTo.seqNumber)}` : "";
  const done = await commit(
    m,
    principal,
    incident,
    null,
    {
      description: `Opened ${number} "${title}" (${priority}${isMajor(priority) ? ", major" : ""})${related}`,
      timeline: {
        kind: TimelineKind.CREATED,
        body: description,
        data: { priority, ...(relatedTo ? { relatedToId: relatedTo.id } : {}) },
      },
      serviceIds,
    },
    "open",
    now,
    true,
  );
  return done.incident;
}

export function openIncident(beacon: Beacon, principal: Principal, input: OpenIncidentInput) {
  // Validate before opening a transaction: a refusal costs nothing.
  text("title", input.title, MAX_TITLE);
  text("description", input.description);
  return beacon.db.transaction((m) => open(beacon, principal, input, null, m));
}

export function openFollowUpIncident(
  beacon: Beacon,
  principal: Principal,
  previousId: string,
  input: OpenIncidentInput,
) {
  text("title", input.title, MAX_TITLE);
  text("description", input.description);
  return beacon.db.transaction(async (m) => {
    const previous = isUuid(previousId) ? await m.findOne(Incident, { where: { id: previousId } }) : null;
    if (!previous) throw notFound("incident", previousId);
    if (previous.state !== IncidentState.CLOSED && previous.state !== IncidentState.CANCELED) {
      const ref = incidentNumber(previous.seqNumber);
      throw new BeaconError(
        ErrorCode.INVALID_TRANSITION,
        `${ref} is ${previous.state}, not closed: a follow-up is only for closed or canceled incidents. ` +
          (previous.state === IncidentState.RESOLVED
            ? `If the problem is back, reopen ${ref} with reopenResolvedIncident instead.`
            : `Keep working ${ref} instead.`),
      );
    }
    return open(beacon, principal, input, previous, m);
  });
}

// ---------------------------------------------------------------------------------------------
// Lifecycle commands

export function updateIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: UpdateIncidentInput,
) {
  const title = input.title == null ? null : text("title", input.title, MAX_TITLE);
  const description = input.description == null ? null : text("description", input.description);
  return runForIncident(beacon, principal, id, {
    command: "update",
    expectedVersion,
    apply: async ({ m, incident, serviceIds }) => {
      const nextServices = input.serviceIds == null ? serviceIds : await requireServices(m, input.serviceIds);
      const before = snapshot(incident, serviceIds);
      if (title !== null) incident.title = title;
      if (description !== null) incident.description = description;
      if (input.impact != null) incident.impact = input.impact;
      if (input.urgency != null) incident.urgency = input.urgency;
      incident.priority = priorityOf(incident.impact, incident.urgency);
      if (input.public != null && input.public !== incident.isPublic) {
        incident.isPublic = input.public;
        if (input.public && incident.publicStatus === null) {
          incident.publicStatus = incident.resolvedAt ? PublicStatus.RESOLVED : PublicStatus.INVESTIGATING;
        }
      }
      const changes = diff(before, snapshot(incident, nextServices));
      if (Object.keys(changes).length === 0) return null;
      const words: string[] = [];
      for (const field of Object.keys(changes)) {
        if (field === "priority") {
          words.push(`priority ${changes.priority.from} -> ${changes.priority.to}`);
        } else if (field === "public") {
          words.push(incident.isPublic ? "published on the status page" : "withdrawn from the status page");
        } else if (field === "serviceIds") {
          words.push("services");
        } else if (field !== "publicStatus") {
          words.push(field);
        }
      }
      return {
        description: `Updated ${words.join(", ")}`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { changes } },
        serviceIds: nextServices,
      };
    },
  });
}

export function assignIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  queueId: string,
  assigneeId: string | null | undefined,
) {
  return runForIncident(beacon, principal, id, {
    command: "assign",
    expectedVersion,
    apply: async ({ m, incident }) => {
      const queue = isUuid(queueId) ? await m.findOne(Queue, { where: { id: queueId } }) : null;
      if (!queue) throw notFound("queue", queueId);
      let assigneeName: string | null = null;
      if (assigneeId) {
        if (!isUuid(assigneeId) || !(await m.findOne(User, { where: { id: assigneeId, active: true } }))) {
          throw notFound("user", assigneeId);
        }
        if (!(await isMember(m, queue.id, assigneeId))) {
          throw new BeaconError(
            ErrorCode.BAD_USER_INPUT,
            `${await userName(m, assigneeId)} is not a member of queue "${queue.name}"; assign to the queue ` +
              "without an assignee, pick one of its members, or add them to the queue first.",
            { field: "assigneeId" },
          );
        }
        assigneeName = await userName(m, assigneeId);
      }
      const reassigned = incident.queueId !== null;
      incident.queueId = queue.id;
      incident.assigneeId = assigneeId ?? null;
      incident.holdReason = null;
      return {
        description:
          `${reassigned ? "Reassigned" : "Assigned"} to queue "${queue.name}"` +
          (assigneeName ? ` and to ${assigneeName}` : ""),
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          data: { queueId: queue.id, queueName: queue.name, assigneeId: assigneeId ?? null, assigneeName },
        },
      };
    },
  });
}

export function acknowledgeIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
) {
  return runForIncident(beacon, principal, id, {
    command: "acknowledge",
    expectedVersion,
    apply: async ({ m, incident }) => {
      const queue = incident.queueId ? await m.findOne(Queue, { where: { id: incident.queueId } }) : null;
      incident.assigneeId = principal.user.id;
      return {
        description: `Acknowledged by ${principal.user.name} from queue "${queue?.name ?? "?"}"`,
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          data: {
            queueId: incident.queueId,
            assigneeId: principal.user.id,
            assigneeName: principal.user.name,
          },
        },
      };
    },
  });
}

export function startWork(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "startWork",
    expectedVersion,
    apply: ({ incident }) => {
      incident.assigneeId = principal.user.id;
      return {
        description: `Work started by ${principal.user.name}`,
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { assigneeId: principal.user.id } },
      };
    },
  });
}

export function returnToHelpDesk(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "returnToHelpDesk",
    expectedVersion,
    apply: ({ incident }) => {
      incident.queueId = null;
      incident.assigneeId = null;
      incident.holdReason = null;
      return {
        description: `Returned to the help desk: ${why}`,
        timeline: { kind: TimelineKind.STATE_CHANGE, body: why },
      };
    },
  });
}

export function holdIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: HoldReason,
  note: string,
) {
  const body = text("note", note);
  if (!Object.values(HoldReason).includes(reason)) throw badInput("reason", `Unknown hold reason ${reason}.`);
  return runForIncident(beacon, principal, id, {
    command: "hold",
    expectedVersion,
    apply: ({ incident }) => {
      incident.holdReason = reason;
      return {
        description: `Put on hold (${reason})`,
        timeline: { kind: TimelineKind.STATE_CHANGE, body, data: { holdReason: reason } },
      };
    },
  });
}

export function resumeIncident(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "resume",
    expectedVersion,
    apply: ({ incident }) => {
      const was = incident.holdReason;
      incident.holdReason = null;
      return {
        description: "Resumed work",
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { previousHoldReason: was } },
      };
    },
  });
}

export function resolveIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  code: ResolutionCode,
  notes: string,
) {
  const body = text("notes", notes);
  return runForIncident(beacon, principal, id, {
    command: "resolve",
    expectedVersion,
    apply: async ({ m, incident, now }) => {
      incident.resolutionCode = code;
      incident.resolutionNotes = body;
      incident.resolvedAt = now;
      incident.holdReason = null;
      let publicUpdate: Step["publicUpdate"];
      if (incident.isPublic) {
        // The public is told, unless the last thing they were told already says so.
        const last = await m.findOne(PublicUpdate, {
          where: { incidentId: incident.id },
          order: { at: "DESC" },
        });
        if (last?.status !== PublicStatus.RESOLVED) {
          publicUpdate = { status: PublicStatus.RESOLVED, message: RESOLVED_MESSAGE };
        }
        incident.publicStatus = PublicStatus.RESOLVED;
      }
      return {
        description: `Resolved with ${code}`,
        timeline: {
          kind: TimelineKind.STATE_CHANGE,
          body,
          data: { resolutionCode: code, ...(publicUpdate ? { publicUpdate } : {}) },
        },
        publicUpdate,
      };
    },
  });
}

export function reopenResolvedIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "reopen",
    expectedVersion,
    apply: ({ incident }) => {
      incident.resolutionCode = null;
      incident.resolutionNotes = null;
      incident.resolvedAt = null;
      incident.customerConfirmedAt = null;
      let publicUpdate: Step["publicUpdate"];
      if (incident.isPublic) {
        incident.publicStatus = PublicStatus.INVESTIGATING;
        publicUpdate = { status: PublicStatus.INVESTIGATING, message: REOPENED_MESSAGE };
      }
      return {
        description: `Reopened: ${why}`,
        timeline: {
          kind: TimelineKind.STATE_CHANGE,
          body: why,
          data: publicUpdate ? { publicUpdate } : {},
        },
        publicUpdate,
      };
    },
  });
}

export function confirmResolution(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  note: string | null | undefined,
) {
  const body = note == null || note.trim() === "" ? null : text("note", note);
  return runForIncident(beacon, principal, id, {
    command: "confirmResolution",
    expectedVersion,
    apply: ({ incident, now }) => {
      incident.customerConfirmedAt = now;
      return {
        description: "Customer confirmed the resolution",
        timeline: { kind: TimelineKind.CUSTOMER_CONFIRMATION, body },
      };
    },
  });
}

export function closeIncident(beacon: Beacon, principal: Principal, id: string, expectedVersion: number) {
  return runForIncident(beacon, principal, id, {
    command: "close",
    expectedVersion,
    apply: async ({ m, incident, now }) => {
      const facts = closureFacts(incident, await timelineOf(m, incident.id));
      const { basis } = orThrow(
        evaluateClosure(facts, { timeZone: beacon.config.timeZone, holidays: beacon.config.holidays }),
      );
      incident.closedAt = now;
      return {
        description: `Closed (${basis === "CUSTOMER_CONFIRMATION" ? "customer confirmed" : "customer unreachable after documented contact attempts"})`,
        timeline: { kind: TimelineKind.STATE_CHANGE, data: { basis } },
      };
    },
  });
}

export function cancelIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason: string,
) {
  const why = text("reason", reason);
  return runForIncident(beacon, principal, id, {
    command: "cancel",
    expectedVersion,
    apply: () => ({
      description: `Canceled: ${why}`,
      timeline: { kind: TimelineKind.STATE_CHANGE, body: why },
    }),
  });
}

export function linkProblem(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reference: string,
) {
  const ref = text("reference", reference, MAX_REFERENCE);
  return runForIncident(beacon, principal, id, {
    command: "linkProblem",
    expectedVersion,
    apply: ({ incident }) => {
      if (incident.problemReference === ref) return null;
      incident.problemReference = ref;
      return {
        description: `Linked problem ${ref}`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { problemReference: ref } },
      };
    },
  });
}

export function completeReview(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  review: { summary: string; rootCause: string; lessons: string },
) {
  const summary = text("summary", review.summary);
  const rootCause = text("rootCause", review.rootCause);
  const lessons = text("lessons", review.lessons);
  return runForIncident(beacon, principal, id, {
    command: "completeReview",
    expectedVersion,
    apply: ({ incident, now }) => {
      incident.review = {
        summary,
        rootCause,
        lessons,
        completedAt: now.toISOString(),
        authorName: authorName(principal),
      };
      return {
        description: "Completed the post-incident review",
        timeline: { kind: TimelineKind.FIELD_CHANGE, body: summary, data: { review: incident.review } },
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Timeline interactions

export async function addNote(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  body: string,
): Promise<TimelineEntry> {
  const note = text("body", body);
  const done = await run(beacon, principal, incidentId, {
    command: "addNote",
    expectedVersion: null,
    apply: () => ({ description: "", timeline: { kind: TimelineKind.NOTE, body: note } }),
  });
  return done!.entry;
}

export async function logContactAttempt(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  attempt: { method: ContactMethod; reached: boolean; at?: Date | null; note?: string | null },
): Promise<TimelineEntry> {
  const note = attempt.note == null || attempt.note.trim() === "" ? null : text("note", attempt.note);
  const done = await run(beacon, principal, incidentId, {
    command: "logContactAttempt",
    expectedVersion: null,
    apply: ({ incident, now }) => {
      const at = orThrow(validateContactAttemptTime(attempt.at ?? now, incident.createdAt, now), {
        field: "at",
      });
      return {
        description: "",
        timeline: {
          kind: TimelineKind.CONTACT_ATTEMPT,
          body: note,
          data: { method: attempt.method, reached: attempt.reached, at: at.toISOString() },
        },
      };
    },
  });
  return done!.entry;
}

/**
 * Versioned although it takes no expectedVersion: it changes the incident's public status, which is
 * part of the documented record. The row lock still serialises it with every other command.
 */
export async function postPublicUpdate(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  status: PublicStatus,
  message: string,
): Promise<PublicUpdate> {
  const words = text("message", message, MAX_PUBLIC_MESSAGE);
  const done = await run(beacon, principal, incidentId, {
    command: "postPublicUpdate",
    expectedVersion: null,
    apply: ({ incident }) => {
      if (!incident.isPublic) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          `${incidentNumber(incident.seqNumber)} is not public, so there is no status page entry to update. ` +
            "Publish it first with updateIncident(input: { public: true }), then post the update.",
        );
      }
      incident.publicStatus = status;
      return {
        description: `Posted public update (${status})`,
        timeline: { kind: TimelineKind.PUBLIC_UPDATE, body: words, data: { status } },
        publicUpdate: { status, message: words },
      };
    },
    versioned: true,
  });
  return done!.publicUpdate!;
}

// ---------------------------------------------------------------------------------------------
// War-room roles

/**
 * Assigns (or, with userId null, frees) an incident commander, communications lead or scribe.
 * A change to the incident like any other: versioned, in the history, on the timeline.
 * Allowed in every state where the incident can still be edited.
 */
export function assignRoomRole(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  role: RoomRole,
  userId: string | null,
  expectedVersion: number | null,
) {
  return runForIncident(beacon, principal, incidentId, {
    command: "assignRoomRole",
    lifecycleAs: "update",
    expectedVersion,
    versioned: true,
    apply: async ({ m, incident }) => {
      const current = incident.roomRoles?.[role] ?? null;
      if (userId !== null) {
        const user = isUuid(userId) ? await m.findOne(User, { where: { id: userId, active: true } }) : null;
        if (!user) throw notFound("user", userId);
      }
      if (current === userId) return null;
      const label = ROOM_ROLE_LABELS[role];
      const [toName, fromName] = [await userName(m, userId), await userName(m, current)];
      const roles = { ...(incident.roomRoles ?? {}) };
      if (userId === null) delete roles[role];
      else roles[role] = userId;
      incident.roomRoles = roles;
      const description =
        userId === null
          ? `${fromName} is no longer ${label}`
          : current === null
            ? `${toName} is now ${label}`
            : `${label} handed over from ${fromName} to ${toName}`;
      return {
        description,
        timeline: {
          kind: TimelineKind.ASSIGNMENT,
          body: description,
          data: { roomRole: role, userId, previousUserId: current },
        },
      };
    },
  });
}
