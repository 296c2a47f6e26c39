import { Arg, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import { requirePermission, requirePrincipal } from "../auth";
import {
  ApiScope,
  ContactMethod,
  HoldReason,
  PublicStatus,
  ResolutionCode,
  RoomRole,
} from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { ReviewActionItem } from "../reviews/action-item.entity";
import * as incidents from "./commands";
import { Incident } from "./incident.entity";
import { OpenIncidentInput, ReviewDraftInput, UpdateIncidentInput } from "./incident.types";
import { PublicUpdateType } from "./public-incident.types";
import { TimelineEntry } from "./timeline-entry.entity";

const writer = (ctx: BeaconContext) => requirePrincipal(ctx, ApiScope.WRITE);

/** The incident commands as mutations: thin (guard, arguments, one command from ./commands). */
@Resolver(() => Incident)
export class IncidentCommandResolver {
  @Mutation(() => Incident, { description: "The caller becomes its owner. Starts NEW, version 1." })
  openIncident(
    @Arg("input", () => OpenIncidentInput) input: OpenIncidentInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.openIncident(ctx.beacon, requirePermission(ctx, "openIncident"), input);
  }

  @Mutation(() => Incident, { description: "A new incident related to a CLOSED or CANCELED one." })
  openFollowUpIncident(
    @Arg("previousId", () => ID) previousId: string,
    @Arg("input", () => OpenIncidentInput) input: OpenIncidentInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.openFollowUpIncident(
      ctx.beacon,
      requirePermission(ctx, "openFollowUp"),
      previousId,
      input,
    );
  }

  @Mutation(() => Incident)
  updateIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("input", () => UpdateIncidentInput) input: UpdateIncidentInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.updateIncident(ctx.beacon, writer(ctx), id, expectedVersion, input);
  }

  @Mutation(() => Incident, { description: "assigneeId, if given, must be a member of the queue." })
  assignIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("queueId", () => ID) queueId: string,
    @Arg("assigneeId", () => ID, { nullable: true }) assigneeId: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.assignIncident(ctx.beacon, writer(ctx), id, expectedVersion, queueId, assigneeId);
  }

  @Mutation(() => Incident, {
    description: "A member of the incident's queue takes it and becomes assignee.",
  })
  acknowledgeIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.acknowledgeIncident(ctx.beacon, writer(ctx), id, expectedVersion);
  }

  @Mutation(() => Incident, { description: "The owner works a NEW incident and becomes its assignee." })
  startWork(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.startWork(ctx.beacon, writer(ctx), id, expectedVersion);
  }

  @Mutation(() => Incident, { description: "Back to NEW; clears queue and assignee." })
  returnToHelpDesk(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.returnToHelpDesk(ctx.beacon, writer(ctx), id, expectedVersion, reason);
  }

  @Mutation(() => Incident)
  holdIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => HoldReason) reason: HoldReason,
    @Arg("note", () => String) note: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.holdIncident(ctx.beacon, writer(ctx), id, expectedVersion, reason, note);
  }

  @Mutation(() => Incident)
  resumeIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.resumeIncident(ctx.beacon, writer(ctx), id, expectedVersion);
  }

  @Mutation(() => Incident, {
    description:
      "Service restored. A public incident's status becomes RESOLVED with a closing public update (publicMessage, or a default sentence), and its services go back to operational unless restoreServices is false.",
  })
  resolveIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("code", () => ResolutionCode) code: ResolutionCode,
    @Arg("notes", () => String) notes: string,
    @Arg("categoryId", () => ID, {
      nullable: true,
      description: "Sets the category; resolving needs one once categories exist.",
    })
    categoryId: string | null,
    @Arg("publicMessage", () => String, {
      nullable: true,
      description: "Public incidents: the closing update customers read; a default sentence when omitted.",
    })
    publicMessage: string | null,
    @Arg("restoreServices", () => Boolean, {
      nullable: true,
      defaultValue: true,
      description: "false: the services this incident affected keep their current status.",
    })
    restoreServices: boolean | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.resolveIncident(ctx.beacon, writer(ctx), id, expectedVersion, code, notes, categoryId, {
      publicMessage,
      restoreServices,
    });
  }

  @Mutation(() => Incident, { description: "The customer says it is not fixed: back to IN_PROGRESS." })
  reopenResolvedIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.reopenResolvedIncident(ctx.beacon, writer(ctx), id, expectedVersion, reason);
  }

  @Mutation(() => Incident, { description: "Records the customer's confirmation; the state stays RESOLVED." })
  confirmResolution(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("note", () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.confirmResolution(ctx.beacon, writer(ctx), id, expectedVersion, note);
  }

  @Mutation(() => Incident, { description: "Final. A closed incident never changes again." })
  closeIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.closeIncident(ctx.beacon, writer(ctx), id, expectedVersion);
  }

  @Mutation(() => Incident)
  cancelIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.cancelIncident(ctx.beacon, writer(ctx), id, expectedVersion, reason);
  }

  @Mutation(() => Incident)
  linkProblem(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reference", () => String) reference: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.linkProblem(ctx.beacon, writer(ctx), id, expectedVersion, reference);
  }

  @Mutation(() => Incident, {
    description:
      "Links a problem record of Beacon's (id or PRB number); closing a major incident accepts it (or linkProblem's external reference).",
  })
  linkIncidentToProblem(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("problemId", () => ID) problemId: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.linkIncidentToProblem(ctx.beacon, writer(ctx), incidentId, expectedVersion, problemId);
  }

  @Mutation(() => Incident, {
    description: "Saves the post-incident review document while it is written (any open state).",
  })
  draftReview(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("input", () => ReviewDraftInput) input: ReviewDraftInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.draftReview(ctx.beacon, writer(ctx), id, expectedVersion, input);
  }

  @Mutation(() => Incident, {
    description:
      "Only once RESOLVED. Takes the draft plus what is given here; needs at least one action item or noActionItems: true.",
  })
  completeReview(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("summary", () => String) summary: string,
    @Arg("rootCause", () => String) rootCause: string,
    @Arg("lessons", () => String) lessons: string,
    @Arg("timelineExcerpt", () => String, { nullable: true }) timelineExcerpt: string | null,
    @Arg("wentWell", () => String, { nullable: true }) wentWell: string | null,
    @Arg("wentBadly", () => String, { nullable: true }) wentBadly: string | null,
    @Arg("noActionItems", () => Boolean, { nullable: true }) noActionItems: boolean | null,
    @Arg("publicPostmortem", () => String, {
      nullable: true,
      description: "Written for the public: shown on the status page's incident page.",
    })
    publicPostmortem: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.completeReview(ctx.beacon, writer(ctx), id, expectedVersion, {
      summary,
      rootCause,
      lessons,
      timelineExcerpt,
      wentWell,
      wentBadly,
      noActionItems,
      publicPostmortem,
    });
  }

  @Mutation(() => ReviewActionItem, { description: "An action item of the post-incident review." })
  addReviewActionItem(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("title", () => String) title: string,
    @Arg("ownerId", () => ID, { nullable: true }) ownerId: string | null,
    @Arg("dueAt", () => Date, { nullable: true }) dueAt: Date | null,
    @Arg("expectedVersion", () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<ReviewActionItem> {
    return incidents.addReviewActionItem(
      ctx.beacon,
      writer(ctx),
      incidentId,
      { title, ownerId, dueAt },
      expectedVersion,
    );
  }

  @Mutation(() => ReviewActionItem, {
    description: "Also after the incident closed: follow-up work outlives it.",
  })
  setReviewActionItemDone(
    @Arg("id", () => ID) id: string,
    @Arg("done", () => Boolean) done: boolean,
    @Ctx() ctx: BeaconContext,
  ): Promise<ReviewActionItem> {
    return incidents.setReviewActionItemDone(ctx.beacon, writer(ctx), id, done);
  }

  @Mutation(() => TimelineEntry, {
    description:
      "Admin: removes a pasted secret from a timeline entry (and the public update it published). A tombstone with the reason stays; the chain still verifies.",
  })
  redactTimelineEntry(
    @Arg("id", () => ID) id: string,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<TimelineEntry> {
    return incidents.redactTimelineEntry(ctx.beacon, writer(ctx), id, reason);
  }

  // ---- timeline interactions ----------------------------------------------------------------

  @Mutation(() => TimelineEntry, { description: "An internal note; never public." })
  addNote(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("body", () => String) body: string,
    @Arg("corrects", () => ID, {
      nullable: true,
      description: "The entry this note corrects (entries are never edited).",
    })
    corrects: string | null,
    @Arg("expectedVersion", () => Int, { nullable: true, description: "Checked when given." })
    expectedVersion: number | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<TimelineEntry> {
    return incidents.addNote(ctx.beacon, writer(ctx), incidentId, body, { corrects, expectedVersion });
  }

  @Mutation(() => TimelineEntry, {
    description: "at defaults to now; it may be in the past, never in the future or before the incident.",
  })
  logContactAttempt(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("method", () => ContactMethod) method: ContactMethod,
    @Arg("reached", () => Boolean) reached: boolean,
    @Arg("at", () => Date, { nullable: true }) at: Date | null,
    @Arg("note", () => String, { nullable: true }) note: string | null,
    @Arg("expectedVersion", () => Int, { nullable: true, description: "Checked when given." })
    expectedVersion: number | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<TimelineEntry> {
    return incidents.logContactAttempt(
      ctx.beacon,
      writer(ctx),
      incidentId,
      { method, reached, at, note },
      expectedVersion,
    );
  }

  @Mutation(() => PublicUpdateType, {
    description:
      "Shown on the status page; the incident must be public. Sets its public status, which cannot go back from RESOLVED once the incident is resolved (reopen it instead).",
  })
  postPublicUpdate(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("status", () => PublicStatus) status: PublicStatus,
    @Arg("message", () => String) message: string,
    @Arg("expectedVersion", () => Int, { nullable: true, description: "Checked when given." })
    expectedVersion: number | null,
    @Arg("nextUpdateBy", () => Date, {
      nullable: true,
      description: "When customers can expect the next update (future, at most 72 hours ahead).",
    })
    nextUpdateBy: Date | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<PublicUpdateType> {
    return incidents.postPublicUpdate(
      ctx.beacon,
      writer(ctx),
      incidentId,
      status,
      message,
      expectedVersion,
      nextUpdateBy,
    );
  }

  // ---- war room ----------------------------------------------------------------------------

  @Mutation(() => Incident, {
    description:
      "Make someone incident commander, communications lead or scribe (userId null frees the role). Documented on the timeline.",
  })
  assignRoomRole(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("role", () => RoomRole) role: RoomRole,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.assignRoomRole(
      ctx.beacon,
      writer(ctx),
      incidentId,
      role,
      userId ?? null,
      expectedVersion,
    );
  }
}
