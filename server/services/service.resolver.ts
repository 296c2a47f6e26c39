import { Max, MaxLength, Min } from "class-validator";
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { requirePermission, requirePrincipal } from "../auth";
import { ServiceStatus } from "../domain/vocabulary";
import { verifyChain } from "../history";
import { ChangeRecord } from "../history/change-record.entity";
import { HistoryVerification } from "../history/history.types";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { badInput, isUuid, notFound } from "../kernel/errors";
import { Service } from "./service.entity";
import * as catalog from "./service.service";
import { servicesUptime } from "./uptime.service";
import { UptimeDay } from "./uptime.types";

@InputType()
class CreateServiceInput {
  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: "Defaults to a slug of the name." })
  @MaxLength(64)
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  group?: string | null;

  @Field(() => Int, { nullable: true, description: "Display order; defaults to after the last service." })
  @Min(0)
  @Max(1_000_000)
  position?: number | null;
}

@InputType()
class UpdateServiceInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(64)
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  group?: string | null;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Max(1_000_000)
  position?: number | null;
}

@Resolver(() => Service)
export class ServiceResolver {
  @Query(() => [Service], { description: "(public) Every service, in display order." })
  services(@Ctx() ctx: BeaconContext): Promise<Service[]> {
    return catalog.listServices(ctx.beacon.db.manager);
  }

  @Query(() => Service, { nullable: true, description: "(public) One service by id or slug; null if none." })
  async service(
    @Arg("id", () => ID, { nullable: true }) id: string | null,
    @Arg("slug", () => String, { nullable: true }) slug: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Service | null> {
    if (!id === !slug) throw badInput("id", "Give exactly one of id or slug.");
    const m = ctx.beacon.db.manager;
    if (id) return isUuid(id) ? m.findOne(Service, { where: { id } }) : null;
    return m.findOne(Service, { where: { slug: slug! } });
  }

  @Mutation(() => Service)
  createService(
    @Arg("input", () => CreateServiceInput) input: CreateServiceInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<Service> {
    return catalog.createService(ctx.beacon, requirePermission(ctx, "createService"), input);
  }

  @Mutation(() => Service, { description: "Rename, regroup or reorder a service (admin)." })
  updateService(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateServiceInput) input: UpdateServiceInput,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Service> {
    return catalog.updateService(
      ctx.beacon,
      requirePermission(ctx, "updateService"),
      id,
      expectedVersion,
      input,
    );
  }

  @Mutation(() => Service, { description: "Documented in the service's history and published live." })
  setServiceStatus(
    @Arg("serviceId", () => ID) serviceId: string,
    @Arg("status", () => ServiceStatus) status: ServiceStatus,
    @Ctx() ctx: BeaconContext,
  ): Promise<Service> {
    return catalog.setServiceStatus(
      ctx.beacon,
      requirePermission(ctx, "setServiceStatus"),
      serviceId,
      status,
    );
  }

  @Query(() => HistoryVerification, {
    description: "Recomputes the service's change-record hash chain and names the first broken record.",
  })
  async verifyServiceHistory(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<HistoryVerification> {
    requirePrincipal(ctx);
    if (!isUuid(id) || !(await ctx.beacon.db.manager.exists(Service, { where: { id } })))
      throw notFound("service", id);
    return verifyChain(await catalog.serviceHistory(ctx.beacon, id));
  }

  @FieldResolver(() => [ChangeRecord], {
    description: "Change history, oldest first (signed-in users only).",
  })
  history(@Root() service: Service, @Ctx() ctx: BeaconContext): Promise<ChangeRecord[]> {
    requirePrincipal(ctx);
    return catalog.serviceHistory(ctx.beacon, service.id);
  }

  @FieldResolver(() => [UptimeDay], { description: "(public) Daily uptime, oldest first, ending today." })
  uptime(
    @Root() service: Service,
    @Arg("days", () => Int, { nullable: true, defaultValue: 90 }) days: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<UptimeDay[]> {
    if (days < 1 || days > 366) throw badInput("days", "days must be between 1 and 366.");
    // Every service of one result (the status page lists them all) in one batch: five queries, not five each.
    const excludes = ctx.beacon.config.uptimeExcludesMaintenance;
    return requestLoader(
      ctx,
      `service.uptime:${days}:${excludes}`,
      () =>
        new BatchLoader<string, UptimeDay[]>(
          (ids) => servicesUptime(ctx.beacon.db.manager, ids, ctx.beacon.clock.now(), days, excludes),
          [],
        ),
    ).load(service.id);
  }
}
