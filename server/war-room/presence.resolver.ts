import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import { requirePermission, requirePrincipal, whileCredentialValid } from "../auth";
import { Incident } from "../incidents/incident.entity";
import type { BeaconContext } from "../kernel/context";
import { isUuid, notFound } from "../kernel/errors";
import type { PresenceEntry as Entry } from "./presence.hub";

@ObjectType({ description: "Someone in an incident's war room right now." })
class PresenceEntry {
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
  typing!: boolean;

  @Field(() => Date)
  lastSeenAt!: Date;
}

async function assertIncident(ctx: BeaconContext, incidentId: string): Promise<void> {
  if (!isUuid(incidentId) || !(await ctx.beacon.db.manager.exists(Incident, { where: { id: incidentId } }))) {
    throw notFound("incident", incidentId);
  }
}

@Resolver()
export class PresenceResolver {
  @Mutation(() => Boolean, {
    description:
      "I am in this room (send every ~10 s); typing: true while composing. Not documented on the timeline.",
  })
  async heartbeat(
    @Arg("incidentId", () => ID) incidentId: string,
    @Arg("typing", () => Boolean, { nullable: true, defaultValue: false }) typing: boolean,
    @Ctx() ctx: BeaconContext,
  ): Promise<boolean> {
    // A WRITE action (it shows the caller present and typing to others): READ-scoped keys may not.
    const p = requirePermission(ctx, "heartbeat");
    await assertIncident(ctx, incidentId);
    await ctx.beacon.presence.signal({
      incidentId,
      userId: p.user.id,
      name: p.user.name,
      typing,
      left: false,
    });
    return true;
  }

  @Subscription(() => [PresenceEntry], {
    description: "Who is in the room: the list now, then on every change. Subscribing counts as being there.",
    subscribe: async ({ args, context }) => {
      const ctx = context as BeaconContext;
      const p = requirePrincipal(ctx);
      const incidentId = String(args.incidentId);
      await assertIncident(ctx, incidentId);
      const presence = ctx.beacon.presence;
      const me = { incidentId, userId: p.user.id, name: p.user.name, typing: false };
      await presence.signal({ ...me, left: false });
      return whileCredentialValid(
        ctx,
        presence.watch(incidentId, () => {
          presence.signal({ ...me, left: true }).catch(() => {});
        }),
      );
    },
  })
  roomPresence(@Root() entries: Entry[], @Arg("incidentId", () => ID) _incidentId: string): PresenceEntry[] {
    return entries;
  }
}
