import type { EntityManager } from "typeorm";
import { actorOf } from "../../auth";
import { requireCategory } from "../../categories";
import { authorize } from "../../domain/permissions";
import { isMajor, priorityOf } from "../../domain/priority";
import { decideServiceImpacts, type ServiceImpact } from "../../domain/public-story";
import {
  ErrorCode,
  type Impact,
  IncidentState,
  PublicStatus,
  TimelineKind,
  type Urgency,
} from "../../domain/vocabulary";
import { nextCounter } from "../../events";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, isUuid, notFound, orThrow } from "../../kernel/errors";
import { record } from "../command-engine";
import { Incident } from "../incident.entity";
import { incidentNumber, requireServices } from "../incident.queries";
import { MAX_TITLE, optionalTitle, text } from "./input";
import { type RequesterInput, requesterOf } from "./requester";

export interface OpenIncidentInput {
  title: string;
  description: string;
  impact: Impact;
  urgency: Urgency;
  serviceIds?: string[] | null;
  public?: boolean | null;
  categoryId?: string | null;
  requester?: RequesterInput | null;
  /** Public incidents: each affected service's status while the incident lasts. */
  serviceImpacts?: ServiceImpact[] | null;
  /** What customers see; the title when not given. */
  publicTitle?: string | null;
}

async function open(
  beacon: Beacon,
  principal: Principal,
  input: OpenIncidentInput,
  relatedTo: Incident | null,
  m: EntityManager,
): Promise<Incident> {
  const title = text("title", input.title, MAX_TITLE);
  const description = text("description", input.description);
  const isPublic = input.public === true;
  // Opening it public publishes it: the one permission for the status page (domain/permissions.ts).
  if (isPublic) orThrow(authorize(actorOf(principal), "publish"), { field: "public" });
  const impacts = orThrow(decideServiceImpacts({}, input.serviceImpacts, isPublic, "A new incident"), {
    field: "serviceImpacts",
  }).impacts;
  // An affected service is a linked service: the card says what it affects.
  const serviceIds = await requireServices(m, [
    ...(input.serviceIds ?? []),
    ...(input.serviceImpacts ?? []).map((i) => i.serviceId),
  ]);
  const category = input.categoryId ? await requireCategory(m, input.categoryId) : null;
  const requester = input.requester ? requesterOf(input.requester) : null;
  const now = beacon.clock.now();
  const priority = priorityOf(input.impact, input.urgency);
  const incident = m.create(Incident, {
    seqNumber: Number(await nextCounter(m, "incident_number")),
    title,
    publicTitle: optionalTitle("publicTitle", input.publicTitle),
    serviceImpacts: impacts,
    description,
    impact: input.impact,
    urgency: input.urgency,
    priority,
    peakPriority: priority,
    major: isMajor(priority),
    workStarted: false,
    categoryId: category?.id ?? null,
    requester,
    problemId: null,
    reviewDraft: null,
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
  const done = await record(
    beacon,
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
  optionalTitle("publicTitle", input.publicTitle);
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
