import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import { In } from "typeorm";
import type { BeaconContext } from "../app/context";
import { notFound } from "../app/errors";
import { loadersOf } from "../app/loaders";
import { actorOf, requirePermission, requirePrincipal, whileCredentialValid } from "../auth/guard";
import { User } from "../auth/user.entity";
import { availableCommands } from "../domain/lifecycle";
import { authorize } from "../domain/permissions";
import { isMajor } from "../domain/priority";
import {
  ApiScope,
  ContactMethod,
  HoldReason,
  PublicStatus,
  ResolutionCode,
  RoomRole,
} from "../domain/vocabulary";
import type { EventRecord } from "../events/event.entity";
import { ChangeRecord } from "../history/change-record.entity";
import { historyOf, verifyChain } from "../history/history.service";
import { Queue } from "../queues/queue.entity";
import { Service } from "../services/service.entity";
import { seqArg } from "../status-page/status.resolver";
import { PublicUpdateType } from "../status-page/status.types";
import { Incident } from "./incident.entity";
import { DEFAULT_PAGE, listIncidents } from "./incident.queries";
import * as incidents from "./incident.service";
import {
  HistoryVerification,
  IncidentConnection,
  IncidentEvent,
  IncidentFilter,
  IncidentReview,
  OpenIncidentInput,
  RoomRoleAssignment,
  UpdateIncidentInput,
} from "./incident.types";
import { TimelineEntry } from "./timeline-entry.entity";

const viewer = (ctx: BeaconContext) => requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);
const writer = (ctx: BeaconContext) => requirePrincipal(ctx, ApiScope.WRITE);

/** The payload of one incident event: the incident as it is now and the entry the event added. */
async function incidentEvent(ctx: BeaconContext, e: EventRecord): Promise<IncidentEvent> {
  const m = ctx.beacon.db.manager;
  const incident = await m.findOne(Incident, { where: { id: e.incidentId! } });
  if (!incident) throw notFound("incident", e.incidentId ?? "?");
  const entryId = e.payload.entryId;
  const entry =
    typeof entryId === "string" ? await m.findOne(TimelineEntry, { where: { id: entryId } }) : null;
  return { seq: e.seq, at: e.at, incident, entry };
}

@Resolver(() => Incident)
export class IncidentResolver {
  // ---- queries ------------------------------------------------------------------------------

  @Query(() => Incident, { nullable: true, description: "null when no incident has this id." })
  incident(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext): Promise<Incident | null> {
    viewer(ctx);
    return incidents.findIncident(ctx.beacon.db.manager, id);
  }

  @Query(() => IncidentConnection, { description: "Newest first, with cursor pagination (first: 1-100)." })
  incidents(
    @Arg("filter", () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_PAGE }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<IncidentConnection> {
    const p = viewer(ctx);
    return listIncidents(
      ctx.beacon.db.manager,
      p.user.id,
      filter,
      first,
      after,
    ) as Promise<IncidentConnection>;
  }

  @Query(() => HistoryVerification, {
    description: "Recomputes the incident's change-record hash chain and names the first broken record.",
  })
  async verifyIncidentHistory(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<HistoryVerification> {
    viewer(ctx);
    const m = ctx.beacon.db.manager;
    const incident = await incidents.findIncident(m, id);
    if (!incident) throw notFound("incident", id);
    return verifyChain(await historyOf(m, "incident", incident.id));
  }

  // ---- lifecycle mutations (thin: guard, arguments, one service call) -----------------------

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
    description: "Service restored. A public incident's status becomes RESOLVED, with an automatic update.",
  })
  resolveIncident(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("code", () => ResolutionCode) code: ResolutionCode,
    @Arg("notes", () => String) notes: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.resolveIncident(ctx.beacon, writer(ctx), id, expectedVersion, code, notes);
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

  @Mutation(() => Incident)
  completeReview(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("summary", () => String) summary: string,
    @Arg("rootCause", () => String) rootCause: string,
    @Arg("lessons", () => String) lessons: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.completeReview(ctx.beacon, writer(ctx), id, expectedVersion, {
      summary,
      rootCause,
      lessons,
    });
  }

  // ---- timeline interactions ----------------------------------------------------------------

  @Mutation(() => TimelineEntry, { description: "An internal note; never public." })
  addNote(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("body", () => String) body: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<TimelineEntry> {
    return incidents.addNote(ctx.beacon, writer(ctx), incidentId, body);
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
    @Ctx() ctx: BeaconContext,
  ): Promise<TimelineEntry> {
    return incidents.logContactAttempt(ctx.beacon, writer(ctx), incidentId, { method, reached, at, note });
  }

  @Mutation(() => PublicUpdateType, {
    description: "Shown on the status page; the incident must be public. Sets its public status.",
  })
  postPublicUpdate(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("status", () => PublicStatus) status: PublicStatus,
    @Arg("message", () => String) message: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<PublicUpdateType> {
    return incidents.postPublicUpdate(ctx.beacon, writer(ctx), incidentId, status, message);
  }

  // ---- subscriptions ------------------------------------------------------------------------

  @Subscription(() => IncidentEvent, {
    description:
      "One incident's room: every change and timeline entry. since: <seq> replays what you missed.",
    subscribe: async ({ args, context }) => {
      const ctx = context as BeaconContext;
      viewer(ctx);
      const id = String(args.incidentId);
      const since = seqArg(args.since as string | null);
      if (!(await incidents.findIncident(ctx.beacon.db.manager, id))) throw notFound("incident", id);
      return whileCredentialValid(
        ctx,
        ctx.beacon.hub.subscribe((e) => e.incidentId === id, since),
      );
    },
  })
  incidentActivity(
    @Root() e: EventRecord,
    @Arg("incidentId", () => ID) _incidentId: string,
    @Arg("since", () => String, { nullable: true }) _since: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<IncidentEvent> {
    return incidentEvent(ctx, e);
  }

  @Subscription(() => IncidentEvent, {
    description: "Every incident's changes (for lists). since: <seq> replays what you missed.",
    subscribe: ({ args, context }) => {
      const ctx = context as BeaconContext;
      viewer(ctx);
      return whileCredentialValid(
        ctx,
        ctx.beacon.hub.subscribe((e) => e.incidentId !== null, seqArg(args.since as string | null)),
      );
    },
  })
  incidentsChanged(
    @Root() e: EventRecord,
    @Arg("since", () => String, { nullable: true }) _since: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<IncidentEvent> {
    return incidentEvent(ctx, e);
  }

  // ---- fields -------------------------------------------------------------------------------

  @FieldResolver(() => String, { description: 'Sequential, e.g. "INC-000042".' })
  number(@Root() i: Incident): string {
    return incidents.incidentNumber(i.seqNumber);
  }

  @FieldResolver(() => Boolean, { description: "P1: review, problem record, never closed automatically." })
  major(@Root() i: Incident): boolean {
    return isMajor(i.priority);
  }

  @FieldResolver(() => User)
  async owner(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<User> {
    const user = await loadersOf(ctx).user.load(i.ownerId);
    if (!user) throw notFound("user", i.ownerId);
    return user;
  }

  @FieldResolver(() => Queue, { nullable: true })
  queue(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Queue | null> {
    return i.queueId ? loadersOf(ctx).queue.load(i.queueId) : Promise.resolve(null);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<User | null> {
    return i.assigneeId ? loadersOf(ctx).user.load(i.assigneeId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Service])
  services(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Service[]> {
    return loadersOf(ctx).incidentServices.load(i.id);
  }

  @FieldResolver(() => Incident, { nullable: true, description: "The closed incident this one follows up." })
  relatedTo(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Incident | null> {
    return i.relatedToId
      ? ctx.beacon.db.manager.findOne(Incident, { where: { id: i.relatedToId } })
      : Promise.resolve(null);
  }

  @FieldResolver(() => [ChangeRecord], { description: "Oldest first." })
  history(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<ChangeRecord[]> {
    viewer(ctx);
    return historyOf(ctx.beacon.db.manager, "incident", i.id);
  }

  @FieldResolver(() => [TimelineEntry], { description: "Oldest first." })
  timeline(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<TimelineEntry[]> {
    viewer(ctx);
    return incidents.timelineOf(ctx.beacon.db.manager, i.id);
  }

  @FieldResolver(() => [String], {
    description:
      "Lifecycle and documentation commands (server/domain/lifecycle.ts names) this caller may run now.",
  })
  availableActions(@Root() i: Incident, @Ctx() ctx: BeaconContext): string[] {
    const p = ctx.principal;
    if (!p) return [];
    if (p.scopes && !p.scopes.includes(ApiScope.WRITE)) return [];
    const actor = actorOf(p);
    const access = incidents.accessOf(i);
    return availableCommands(i.state).filter((c) => authorize(actor, c, access).ok);
  }

  @FieldResolver(() => IncidentReview, {
    nullable: true,
    description: "The post-incident review, once completed.",
  })
  review(@Root() i: Incident): IncidentReview | null {
    return i.review ? { ...i.review, completedAt: new Date(i.review.completedAt) } : null;
  }

  @FieldResolver(() => Boolean, { description: "The customer confirmed the current resolution." })
  customerConfirmed(@Root() i: Incident): boolean {
    return i.customerConfirmedAt !== null;
  }

  @FieldResolver(() => [RoomRoleAssignment], { description: "Who holds which war-room role now." })
  async roomRoles(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<RoomRoleAssignment[]> {
    const entries = Object.entries(i.roomRoles ?? {}) as [RoomRole, string][];
    if (entries.length === 0) return [];
    const users = await ctx.beacon.db.manager.find(User, { where: { id: In(entries.map(([, id]) => id)) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    const order = Object.values(RoomRole);
    return entries
      .filter(([, id]) => byId.has(id))
      .map(([role, id]) => ({ role, user: byId.get(id)! }))
      .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  }

  @Mutation(() => Incident, {
    description:
      "Make someone incident commander, communications lead or scribe (userId null frees the role). Documented on the timeline.",
  })
  assignRoomRole(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("role", () => RoomRole) role: RoomRole,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Arg("expectedVersion", () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Incident> {
    return incidents.assignRoomRole(
      ctx.beacon,
      writer(ctx),
      incidentId,
      role,
      userId ?? null,
      expectedVersion ?? null,
    );
  }
}
