import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import { In } from "typeorm";
import { actorOf, requirePermission, userLoader, whileCredentialValid } from "../auth";
import { User } from "../auth/user.entity";
import { closureRequirements } from "../domain/closure";
import { availableCommands } from "../domain/lifecycle";
import { authorize } from "../domain/permissions";
import { isMajor } from "../domain/priority";
import { ApiScope, IncidentOrder, IncidentState, RoomRole } from "../domain/vocabulary";
import { replaySince } from "../events";
import type { EventRecord } from "../events/event.entity";
import { historyOf, verifyChain } from "../history";
import { ChangeRecord } from "../history/change-record.entity";
import type { BeaconContext } from "../kernel/context";
import { notFound } from "../kernel/errors";
import { queueLoader } from "../queues";
import { Queue } from "../queues/queue.entity";
import { Service } from "../services/service.entity";
import { Incident } from "./incident.entity";
import {
  accessOf,
  closureFacts,
  DEFAULT_PAGE,
  findIncident,
  incidentNumber,
  incidentServicesLoader,
  listIncidents,
  timelineOf,
} from "./incident.queries";
import {
  ClosureRequirement,
  HistoryVerification,
  IncidentConnection,
  IncidentEvent,
  IncidentFilter,
  IncidentReview,
  RoomRoleAssignment,
} from "./incident.types";
import { TimelineEntry } from "./timeline-entry.entity";

const viewer = (ctx: BeaconContext) => requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);

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
    return findIncident(ctx.beacon.db.manager, id);
  }

  @Query(() => IncidentConnection, {
    description:
      "Newest first, or due soonest (orderBy), with cursor pagination (first: 1-100; after: the endCursor of a page read with the same orderBy).",
  })
  incidents(
    @Arg("filter", () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_PAGE }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("orderBy", () => IncidentOrder, {
      nullable: true,
      defaultValue: IncidentOrder.NEWEST,
      description:
        "DUE_SOONEST: the next SLA due time (Incident.sla.nextDueAt) ascending, overdue first; incidents with no clock running (on hold, resolved, closed, canceled) last, newest first among them.",
    })
    orderBy: IncidentOrder | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<IncidentConnection> {
    const p = viewer(ctx);
    return listIncidents(
      ctx.beacon.db.manager,
      p.user.id,
      filter,
      first,
      after,
      orderBy ?? IncidentOrder.NEWEST,
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
    const incident = await findIncident(m, id);
    if (!incident) throw notFound("incident", id);
    return verifyChain(await historyOf(m, "incident", incident.id));
  }

  // ---- subscriptions ------------------------------------------------------------------------

  @Subscription(() => IncidentEvent, {
    description:
      "One incident's room: every change and timeline entry. since: <seq> replays what you missed.",
    subscribe: async ({ args, context }) => {
      const ctx = context as BeaconContext;
      viewer(ctx);
      const id = String(args.incidentId);
      const since = replaySince(ctx.beacon, args.since as string | null);
      if (!(await findIncident(ctx.beacon.db.manager, id))) throw notFound("incident", id);
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
        ctx.beacon.hub.subscribe(
          (e) => e.incidentId !== null,
          replaySince(ctx.beacon, args.since as string | null),
        ),
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
    return incidentNumber(i.seqNumber);
  }

  @FieldResolver(() => Boolean, {
    description: "Major once major (peak P1): review, problem record, never closed automatically.",
  })
  major(@Root() i: Incident): boolean {
    return i.major || isMajor(i.peakPriority ?? i.priority);
  }

  @FieldResolver(() => User)
  async owner(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<User> {
    const user = await userLoader(ctx).load(i.ownerId);
    if (!user) throw notFound("user", i.ownerId);
    return user;
  }

  @FieldResolver(() => Queue, { nullable: true })
  queue(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Queue | null> {
    return i.queueId ? queueLoader(ctx).load(i.queueId) : Promise.resolve(null);
  }

  @FieldResolver(() => User, { nullable: true })
  assignee(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<User | null> {
    return i.assigneeId ? userLoader(ctx).load(i.assigneeId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Service])
  services(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<Service[]> {
    return incidentServicesLoader(ctx).load(i.id);
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
    return timelineOf(ctx.beacon.db.manager, i.id);
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
    const access = accessOf(i);
    return availableCommands(i.state).filter((c) => authorize(actor, c, access).ok);
  }

  @FieldResolver(() => IncidentReview, {
    nullable: true,
    description: "The post-incident review, once completed.",
  })
  review(@Root() i: Incident): IncidentReview | null {
    return i.review ? { ...i.review, completedAt: new Date(i.review.completedAt) } : null;
  }

  @FieldResolver(() => [ClosureRequirement], {
    description:
      "What closing needs now, each met or not, in the war room's words (the same rule closeIncident applies).",
  })
  async closureRequirements(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<ClosureRequirement[]> {
    viewer(ctx);
    // A canceled incident was opened by mistake: there is nothing to close.
    if (i.state === IncidentState.CANCELED) return [];
    const { config, db } = ctx.beacon;
    const facts = closureFacts(i, await timelineOf(db.manager, i.id));
    return closureRequirements(facts, { timeZone: config.timeZone, holidays: config.holidays }, i.state).map(
      ({ key, label, met, detail }) => ({ key, label, met, detail }),
    );
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
}
