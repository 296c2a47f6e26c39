import { actorOf, authorName } from "../../auth";
import { User } from "../../auth/user.entity";
import { authorize } from "../../domain/permissions";
import { canLinkIncidents, problemNumber } from "../../domain/problem";
import { ErrorCode, IncidentState, TimelineKind } from "../../domain/vocabulary";
import { recordCommand } from "../../history";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, isUuid, notFound, orThrow } from "../../kernel/errors";
import { lockById } from "../../kernel/lock";
import { findProblemByRef } from "../../problems";
import { ReviewActionItem } from "../../reviews/action-item.entity";
import { run, runForIncident } from "../command-engine";
import type { ReviewDocument } from "../incident.entity";
import { Incident } from "../incident.entity";
import { incidentNumber } from "../incident.queries";
import { MAX_REFERENCE, MAX_TEXT, text } from "./input";

// Documentation that closing a major incident asks for: the problem record and the review.

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
    apply: async ({ m, incident }) => {
      // A PRB number typed as a reference is a link to the record itself.
      const own = /^PRB-?\d+$/i.test(ref) ? await findProblemByRef(m, ref) : null;
      if (own) return linkTo(incident, own);
      if (incident.problemReference === ref) return null;
      incident.problemReference = ref;
      return {
        description: `Linked problem ${ref}`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { problemReference: ref } },
      };
    },
  });
}

function linkTo(
  incident: Incident,
  problem: { id: string; seqNumber: number; state: string; title: string },
) {
  const number = problemNumber(problem.seqNumber);
  if (!canLinkIncidents(problem.state as never)) {
    throw new BeaconError(
      ErrorCode.INVALID_TRANSITION,
      `${number} is closed; link ${incidentNumber(incident.seqNumber)} to an open problem record or create a new one.`,
    );
  }
  if (incident.problemId === problem.id) return null;
  incident.problemId = problem.id;
  return {
    description: `Linked problem ${number} "${problem.title}"`,
    timeline: {
      kind: TimelineKind.FIELD_CHANGE,
      data: { problemId: problem.id, problemNumber: number },
    },
  };
}

/** Links the incident to a problem record of Beacon's own (by id or PRB number). */
export function linkIncidentToProblem(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  expectedVersion: number,
  problemId: string,
) {
  return runForIncident(beacon, principal, incidentId, {
    command: "linkProblem",
    expectedVersion,
    apply: async ({ m, incident }) => {
      const problem = await findProblemByRef(m, problemId);
      if (!problem) throw notFound("problem", problemId);
      return linkTo(incident, problem);
    },
  });
}

export interface ReviewInput {
  summary?: string | null;
  timelineExcerpt?: string | null;
  rootCause?: string | null;
  wentWell?: string | null;
  wentBadly?: string | null;
  lessons?: string | null;
  noActionItems?: boolean | null;
  publicPostmortem?: string | null;
}

const DRAFT_FIELDS = [
  "summary",
  "timelineExcerpt",
  "rootCause",
  "wentWell",
  "wentBadly",
  "lessons",
  "publicPostmortem",
] as const;

/** Saves the review document while it is written: given fields replace the draft's; blank clears. */
export function draftReview(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: ReviewInput,
) {
  return runForIncident(beacon, principal, id, {
    command: "draftReview",
    expectedVersion,
    apply: ({ incident }) => {
      const draft: Record<string, unknown> = { ...(incident.reviewDraft ?? {}) };
      for (const field of DRAFT_FIELDS) {
        const value = input[field];
        if (value === undefined || value === null) continue;
        draft[field] = value.trim() === "" ? null : text(field, value, MAX_TEXT);
      }
      if (input.noActionItems != null) draft.noActionItems = input.noActionItems;
      incident.reviewDraft = draft as unknown as ReviewDocument;
      return {
        description: "Updated the post-incident review draft",
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { reviewDraft: true } },
      };
    },
  });
}

/**
 * Completes the post-incident review (RESOLVED only: domain/lifecycle). The document is the
 * draft with whatever this call gives on top; it needs a summary, root cause and lessons, and at
 * least one action item or an explicit "none".
 */
export function completeReview(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  review: ReviewInput,
) {
  return runForIncident(beacon, principal, id, {
    command: "completeReview",
    expectedVersion,
    apply: async ({ m, incident, now }) => {
      const draft = (incident.reviewDraft ?? {}) as Partial<ReviewDocument>;
      const pick = (field: (typeof DRAFT_FIELDS)[number]) => {
        const given = review[field];
        return given != null && given.trim() !== "" ? text(field, given, MAX_TEXT) : (draft[field] ?? null);
      };
      const summary = text("summary", pick("summary"));
      const rootCause = text("rootCause", pick("rootCause"));
      const lessons = text("lessons", pick("lessons"));
      const noActionItems = review.noActionItems ?? draft.noActionItems ?? false;
      const items = await m.count(ReviewActionItem, { where: { incidentId: incident.id } });
      if (items === 0 && !noActionItems) {
        throw new BeaconError(
          ErrorCode.REQUIREMENT_NOT_MET,
          "A completed review needs at least one action item (addReviewActionItem), or say explicitly that there " +
            "are none with noActionItems: true.",
          { requirement: "ACTION_ITEMS" },
        );
      }
      incident.review = {
        summary,
        rootCause,
        lessons,
        timelineExcerpt: pick("timelineExcerpt"),
        wentWell: pick("wentWell"),
        wentBadly: pick("wentBadly"),
        noActionItems: items === 0,
        publicPostmortem: pick("publicPostmortem"),
        completedAt: now.toISOString(),
        authorName: authorName(principal),
      };
      return {
        description: `Completed the post-incident review (${items === 0 ? "no action items" : `${items} action item${items === 1 ? "" : "s"}`})`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, body: summary, data: { review: incident.review } },
      };
    },
  });
}

/** An action item of the review: an append (like a note), checked against expectedVersion when given. */
export async function addReviewActionItem(
  beacon: Beacon,
  principal: Principal,
  incidentId: string,
  item: { title: string; ownerId?: string | null; dueAt?: Date | null },
  expectedVersion: number | null = null,
): Promise<ReviewActionItem> {
  const title = text("title", item.title, 500);
  let created: ReviewActionItem | null = null;
  await run(beacon, principal, incidentId, {
    command: "draftReview",
    expectedVersion,
    versioned: false,
    apply: async ({ m, incident }) => {
      let ownerName: string | null = null;
      if (item.ownerId) {
        const owner = isUuid(item.ownerId)
          ? await m.findOne(User, { where: { id: item.ownerId, active: true } })
          : null;
        if (!owner) throw notFound("user", item.ownerId);
        ownerName = owner.name;
      }
      created = await m.save(
        m.create(ReviewActionItem, {
          incidentId: incident.id,
          title,
          ownerId: item.ownerId ?? null,
          dueAt: item.dueAt ?? null,
          done: false,
          version: 1,
        }),
      );
      return {
        description: `Action item added: ${title}`,
        timeline: {
          kind: TimelineKind.FIELD_CHANGE,
          data: {
            actionItemId: created.id,
            title,
            ownerId: item.ownerId ?? null,
            ownerName,
            dueAt: item.dueAt ?? null,
          },
        },
      };
    },
  });
  return created!;
}

/**
 * Marks an action item done or not. Allowed after the incident closed: follow-up work outlives it.
 * The incident itself is not touched; the item's own hash-chained history (subject "action_item")
 * documents the change, and an event lets the room refresh.
 */
export function setReviewActionItemDone(beacon: Beacon, principal: Principal, id: string, done: boolean) {
  return beacon.db.transaction(async (m) => {
    const item = await lockById(m, ReviewActionItem, id, "action item");
    orThrow(authorize(actorOf(principal), "setActionItemDone"));
    if (item.done === done) return item;
    const now = beacon.clock.now();
    item.done = done;
    item.version += 1;
    await m.save(item);
    const incident = await m.findOne(Incident, { where: { id: item.incidentId } });
    await recordCommand(
      m,
      principal,
      {
        subjectType: "action_item",
        subjectId: item.id,
        // Its creation is documented on the incident's timeline; its own history starts at v1 here.
        version: item.version - 1,
        description: `${done ? "Done" : "Not done"}: ${item.title}`,
        at: now,
        changes: { done: { from: !done, to: done } },
      },
      {
        kind: "INCIDENT_ACTIVITY",
        at: now,
        isPublic: false,
        incidentId: item.incidentId,
        payload: { actionItemId: item.id, done, state: incident?.state ?? IncidentState.CLOSED },
      },
    );
    return item;
  });
}
