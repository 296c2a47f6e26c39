import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { requirePermission } from "../auth";
import { User } from "../auth/user.entity";
import { findCategory } from "../categories";
import { Category } from "../categories/category.entity";
import { ApiScope, TimelineKind } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { notFound } from "../kernel/errors";
import { findProblem, knownErrorsFor } from "../problems";
import { Problem } from "../problems/problem.entity";
import { ReviewActionItem } from "../reviews/action-item.entity";
import { verifyIncidentTimeline } from "../timeline";
import { Incident } from "./incident.entity";
import { findIncident, incidentNumber, serviceIdsOf, timelineOf } from "./incident.queries";
import { ChainVerification, Redaction, Requester, ReviewDocumentType } from "./incident.types";
import { TimelineEntry } from "./timeline-entry.entity";

// The record-integrity side of an incident: classification, requester, problem, follow-ups, the
// review document and its action items, and the timeline's chain.

const viewer = (ctx: BeaconContext) => requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);

/** What the incident's own timeline says happened, as a starting point for the review's excerpt. */
export function timelineExcerpt(entries: readonly TimelineEntry[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    if (
      e.kind === TimelineKind.NOTE ||
      e.kind === TimelineKind.CONTACT_ATTEMPT ||
      e.kind === TimelineKind.REDACTION
    ) {
      continue;
    }
    const text =
      e.kind === TimelineKind.PUBLIC_UPDATE ? `Public update: ${e.body ?? ""}` : (e.body ?? e.kind);
    lines.push(`${e.at.toISOString().slice(0, 16).replace("T", " ")} UTC  ${text.split("\n")[0]}`);
  }
  return lines.join("\n");
}

@Resolver(() => Incident)
export class IncidentRecordResolver {
  @Query(() => ChainVerification, {
    description:
      "Recomputes the hash chains of the incident's timeline and public updates and names the first entry that does not add up.",
  })
  async verifyIncidentTimeline(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<ChainVerification> {
    viewer(ctx);
    const m = ctx.beacon.db.manager;
    const incident = await findIncident(m, id);
    if (!incident) throw notFound("incident", id);
    return verifyIncidentTimeline(m, incident.id);
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Category | null> {
    return i.categoryId ? findCategory(ctx.beacon.db.manager, i.categoryId) : Promise.resolve(null);
  }

  @FieldResolver(() => Requester, { nullable: true, description: "Who reported it." })
  requester(@Root() i: Incident): Requester | null {
    return i.requester;
  }

  @FieldResolver(() => Problem, {
    nullable: true,
    description: "The problem record (PRB-...) it is linked to.",
  })
  problem(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Problem | null> {
    return i.problemId ? findProblem(ctx.beacon.db.manager, i.problemId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Problem], {
    description: "Known errors (with workarounds) recorded for incidents on the same services.",
  })
  async knownErrors(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Problem[]> {
    const m = ctx.beacon.db.manager;
    return (await knownErrorsFor(m, await serviceIdsOf(m, i.id))).filter((p) => p.id !== i.problemId);
  }

  @FieldResolver(() => [Incident], {
    description: "Incidents opened as follow-ups of this one, oldest first.",
  })
  followUps(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Incident[]> {
    return ctx.beacon.db.manager.find(Incident, {
      where: { relatedToId: i.id },
      order: { seqNumber: "ASC" },
    });
  }

  @FieldResolver(() => [ReviewActionItem], { description: "The post-incident review's action items." })
  actionItems(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<ReviewActionItem[]> {
    return ctx.beacon.db.manager.find(ReviewActionItem, {
      where: { incidentId: i.id },
      order: { createdAt: "ASC" },
    });
  }

  @FieldResolver(() => ReviewDocumentType, {
    nullable: true,
    description: "The review document as drafted (see review for the completed one).",
  })
  reviewDraft(@Root() i: Incident): ReviewDocumentType | null {
    if (!i.reviewDraft) return null;
    const d = i.reviewDraft;
    return {
      summary: d.summary ?? null,
      timelineExcerpt: d.timelineExcerpt ?? null,
      rootCause: d.rootCause ?? null,
      wentWell: d.wentWell ?? null,
      wentBadly: d.wentBadly ?? null,
      lessons: d.lessons ?? null,
      noActionItems: d.noActionItems ?? false,
      publicPostmortem: d.publicPostmortem ?? null,
    };
  }

  @FieldResolver(() => String, {
    description: "A timeline excerpt drafted from the incident's own timeline.",
  })
  async suggestedTimelineExcerpt(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<string> {
    return timelineExcerpt(await timelineOf(ctx.beacon.db.manager, i.id));
  }
}

@Resolver(() => TimelineEntry)
export class TimelineEntryRecordResolver {
  @FieldResolver(() => Redaction, {
    nullable: true,
    description: "Set when an admin removed this entry's text.",
  })
  async redaction(@Root() e: TimelineEntry, @Ctx() ctx: BeaconContext): Promise<Redaction | null> {
    if (e.body !== null) return null;
    const tomb = await ctx.beacon.db.manager
      .getRepository(TimelineEntry)
      .createQueryBuilder("t")
      .where("t.incident_id = :i AND t.kind = :k AND t.data->>'redactedEntryId' = :e", {
        i: e.incidentId,
        k: TimelineKind.REDACTION,
        e: e.id,
      })
      .getOne();
    return tomb ? { authorName: tomb.authorName, at: tomb.at, reason: tomb.body ?? "" } : null;
  }

  @FieldResolver(() => TimelineEntry, { nullable: true, description: "The entry this one corrects." })
  corrects(@Root() e: TimelineEntry, @Ctx() ctx: BeaconContext): Promise<TimelineEntry | null> {
    const id = e.data?.correctsEntryId;
    return typeof id === "string"
      ? ctx.beacon.db.manager.findOne(TimelineEntry, { where: { id } })
      : Promise.resolve(null);
  }

  @FieldResolver(() => [TimelineEntry], { description: "Later entries that correct this one." })
  correctedBy(@Root() e: TimelineEntry, @Ctx() ctx: BeaconContext): Promise<TimelineEntry[]> {
    return ctx.beacon.db.manager
      .getRepository(TimelineEntry)
      .createQueryBuilder("t")
      .where("t.incident_id = :i AND t.data->>'correctsEntryId' = :e", { i: e.incidentId, e: e.id })
      .orderBy("t.seq", "ASC")
      .getMany();
  }
}

@Resolver(() => ReviewActionItem)
export class ReviewActionItemResolver {
  @FieldResolver(() => User, { nullable: true })
  owner(@Root() a: ReviewActionItem, @Ctx() ctx: BeaconContext): Promise<User | null> {
    return a.ownerId
      ? ctx.beacon.db.manager.findOne(User, { where: { id: a.ownerId } })
      : Promise.resolve(null);
  }

  @FieldResolver(() => String, { description: "The incident it came from." })
  async incidentNumber(@Root() a: ReviewActionItem, @Ctx() ctx: BeaconContext): Promise<string> {
    const i = await ctx.beacon.db.manager.findOne(Incident, { where: { id: a.incidentId } });
    return i ? incidentNumber(i.seqNumber) : "";
  }
}
