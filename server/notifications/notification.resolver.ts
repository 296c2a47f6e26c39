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
import { actorOf, requirePrincipal, whileCredentialValid } from "../auth";
import { NOTIFICATION_KIND_LABELS, wantsEmail } from "../domain/notify";
import { authorize } from "../domain/permissions";
import { ApiScope } from "../domain/vocabulary";
import { replaySince } from "../events";
import type { EventRecord } from "../events/event.entity";
import { Incident } from "../incidents/incident.entity";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { Notification } from "./notification.entity";
import * as queries from "./notification.queries";
import {
  markNotificationsRead,
  NOTIFICATION_EVENT,
  NOTIFICATIONS_READ_EVENT,
  type NotificationEventPayload,
  type NotificationsReadPayload,
} from "./notification.service";
import {
  NotificationInbox,
  NotificationPreferences,
  NotificationPreferencesInput,
  NotificationsRead,
} from "./notification.types";

const incidentLoader = (ctx: BeaconContext) =>
  requestLoader(
    ctx,
    "notification.incident",
    () =>
      new BatchLoader<string, Incident | null>(async (ids) => {
        const rows = await ctx.beacon.db.manager.find(Incident, { where: { id: In(ids) } });
        return new Map(rows.map((i) => [i.id, i]));
      }, null),
  );

const preferencesView = (p: queries.PreferencesView): NotificationPreferences => ({
  inApp: true,
  email: p.email,
  mutedEmailKinds: p.mutedEmailKinds,
  kinds: Object.entries(NOTIFICATION_KIND_LABELS).map(([kind, label]) => ({
    kind,
    label,
    email: wantsEmail({ email: true, mutedEmailKinds: p.mutedEmailKinds }, kind),
  })),
});

/** The notification in this event addressed to `userId`, if any (the event names every recipient). */
function mineIn(e: EventRecord, userId: string): string | null {
  if (e.kind !== NOTIFICATION_EVENT) return null;
  const p = e.payload as Partial<NotificationEventPayload>;
  return p.notifications?.find((n) => n.userId === userId)?.id ?? null;
}

/** The notifications this event marks read for `userId`, if it is their read mark. */
function readMarksIn(e: EventRecord, userId: string): string[] | null {
  if (e.kind !== NOTIFICATIONS_READ_EVENT) return null;
  const p = e.payload as Partial<NotificationsReadPayload>;
  return p.userId === userId && Array.isArray(p.ids) ? p.ids : null;
}

/**
 * The subscribe function of a stream of the signed-in user's own events (those `mineOf` finds
 * something of theirs in), from `since`, ending when their credential does.
 */
const ownEvents =
  (mineOf: (e: EventRecord, userId: string) => unknown) =>
  ({ args, context }: { args: Record<string, unknown>; context: unknown }) => {
    const ctx = context as BeaconContext;
    const userId = requirePrincipal(ctx).user.id;
    const since = replaySince(ctx.beacon, args.since as string | null);
    return whileCredentialValid(
      ctx,
      ctx.beacon.hub.subscribe((e) => mineOf(e, userId) !== null, since),
    );
  };

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], {
    description: "The signed-in user's notifications, newest first (first: 1-200).",
  })
  notifications(
    @Arg("unreadOnly", () => Boolean, { nullable: true, defaultValue: false }) unreadOnly: boolean,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Notification[]> {
    const p = requirePrincipal(ctx);
    return queries.listNotifications(ctx.beacon.db.manager, p.user.id, unreadOnly === true, first);
  }

  @Query(() => NotificationInbox, {
    description: "The bell: newest notifications, unread count, and the seq to subscribe from.",
  })
  notificationInbox(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<NotificationInbox> {
    const p = requirePrincipal(ctx);
    return queries.inbox(ctx.beacon.db, p.user.id, first);
  }

  @Mutation(() => Int, {
    description:
      "Marks the signed-in user's notifications read: those named, or all of them without ids. Answers how many changed.",
  })
  markNotificationsRead(
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<number> {
    const p = requirePrincipal(ctx, ApiScope.WRITE);
    return ctx.beacon.db.transaction((m) => markNotificationsRead(m, p.user.id, ids, ctx.beacon.clock.now()));
  }

  @Query(() => NotificationPreferences, { description: "The signed-in user's notification channels." })
  async notificationPreferences(@Ctx() ctx: BeaconContext): Promise<NotificationPreferences> {
    const p = requirePrincipal(ctx);
    return preferencesView(await queries.preferencesOf(ctx.beacon.db.manager, p.user.id));
  }

  @Mutation(() => NotificationPreferences, {
    description:
      "Sets the signed-in user's own channels: email on or off, and kinds whose email copy is off.",
  })
  async setNotificationPreferences(
    @Arg("input", () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<NotificationPreferences> {
    const p = requirePrincipal(ctx, ApiScope.WRITE);
    const view = await ctx.beacon.db.transaction((m) =>
      queries.setPreferences(m, p.user.id, input, ctx.beacon.clock.now()),
    );
    return preferencesView(view);
  }

  @Subscription(() => Notification, {
    description:
      "The signed-in user's new notifications, and nobody else's. since: <seq> (notificationInbox.seq, or a Notification.seq) replays what you missed.",
    subscribe: ownEvents(mineIn),
  })
  async notificationAdded(
    @Root() e: EventRecord,
    @Arg("since", () => String, { nullable: true }) _since: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Notification> {
    const userId = requirePrincipal(ctx).user.id;
    const id = mineIn(e, userId);
    const n = id ? await ctx.beacon.db.manager.findOne(Notification, { where: { id, userId } }) : null;
    // The filter only lets this user's events through, and notifications are never deleted.
    if (!n) throw new Error(`notification for event ${e.seq} is missing`);
    return n;
  }

  @Subscription(() => NotificationsRead, {
    description:
      "The signed-in user's read marks, made in any of their sessions (another tab or device), and nobody else's. since: <seq> replays what you missed.",
    subscribe: ownEvents(readMarksIn),
  })
  notificationsRead(
    @Root() e: EventRecord,
    @Arg("since", () => String, { nullable: true }) _since: string | null,
    @Ctx() ctx: BeaconContext,
  ): NotificationsRead {
    const ids = readMarksIn(e, requirePrincipal(ctx).user.id);
    // The filter only lets this user's read marks through.
    if (!ids) throw new Error(`event ${e.seq} holds no read marks of this user`);
    return { seq: e.seq, ids };
  }

  @FieldResolver(() => Boolean, { description: "Marked read by its user." })
  read(@Root() n: Notification): boolean {
    return n.readAt !== null;
  }

  @FieldResolver(() => Incident, { nullable: true, description: "The incident it is about, if any." })
  async incident(@Root() n: Notification, @Ctx() ctx: BeaconContext): Promise<Incident | null> {
    if (!n.incidentId) return null;
    const p = requirePrincipal(ctx);
    if (!authorize(actorOf(p), "viewIncidents").ok) return null;
    return incidentLoader(ctx).load(n.incidentId);
  }
}
