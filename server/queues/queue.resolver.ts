import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requirePermission, requirePrincipal, userLoader } from "../auth";
import { User } from "../auth/user.entity";
import type { BeaconContext } from "../kernel/context";
import { Queue } from "./queue.entity";
import * as queues from "./queue.service";

@Resolver(() => Queue)
export class QueueResolver {
  @Query(() => [Queue], { description: "Escalation queues, by name (signed-in users)." })
  queues(@Ctx() ctx: BeaconContext): Promise<Queue[]> {
    requirePrincipal(ctx);
    return queues.listQueues(ctx.beacon.db.manager);
  }

  @Mutation(() => Queue, { description: "Unknown member ids are NOT_FOUND; a taken name is BAD_USER_INPUT." })
  createQueue(
    @Arg("name", () => String) name: string,
    @Arg("memberIds", () => [ID]) memberIds: string[],
    @Ctx() ctx: BeaconContext,
  ): Promise<Queue> {
    requirePermission(ctx, "createQueue");
    return queues.createQueue(ctx.beacon, name, memberIds);
  }

  @Mutation(() => Queue, { description: "Adding someone who is already a member changes nothing." })
  addQueueMember(
    @Arg("queueId", () => ID) queueId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Queue> {
    requirePermission(ctx, "createQueue");
    return queues.addQueueMember(ctx.beacon, queueId, userId);
  }

  @Mutation(() => Queue, {
    description: "Incidents already assigned to them stay assigned; they can no longer acknowledge new ones.",
  })
  removeQueueMember(
    @Arg("queueId", () => ID) queueId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Queue> {
    requirePermission(ctx, "createQueue");
    return queues.removeQueueMember(ctx.beacon, queueId, userId);
  }

  @Mutation(() => Queue, {
    description:
      "Who an unacknowledged incident in this queue is escalated to first (null: straight to the incident managers).",
  })
  setQueueManager(
    @Arg("queueId", () => ID) queueId: string,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Queue> {
    requirePermission(ctx, "createQueue");
    return queues.setQueueManager(ctx.beacon, queueId, userId ?? null);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: "Escalation goes to them first (docs/service-levels.md).",
  })
  manager(@Root() queue: Queue, @Ctx() ctx: BeaconContext): Promise<User | null> {
    requirePrincipal(ctx);
    return queue.managerId ? userLoader(ctx).load(queue.managerId) : Promise.resolve(null);
  }

  @FieldResolver(() => [User])
  members(@Root() queue: Queue, @Ctx() ctx: BeaconContext): Promise<User[]> {
    requirePrincipal(ctx);
    return queues.membersOf(ctx.beacon.db.manager, queue.id);
  }
}
