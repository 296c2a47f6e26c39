import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requirePermission } from "../auth";
import { MaintenanceState } from "../domain/maintenance";
import { ApiScope } from "../domain/vocabulary";
import { verifyChain } from "../history";
import { ChangeRecord } from "../history/change-record.entity";
import { HistoryVerification } from "../history/history.types";
import type { BeaconContext } from "../kernel/context";
import { badInput, notFound } from "../kernel/errors";
import * as commands from "./maintenance.commands";
import * as queries from "./maintenance.queries";
import { MaintenanceType, ScheduleMaintenanceInput, UpdateMaintenanceInput } from "./maintenance.types";

const asType = (v: queries.MaintenanceView) => v as unknown as MaintenanceType;

/** Thin: guard, input, call. Rules live in domain/maintenance.ts, the work in maintenance.commands.ts. */
@Resolver(() => MaintenanceType)
export class MaintenanceResolver {
  @Query(() => [MaintenanceType], {
    description: "(public) Maintenance windows, latest start first; `states` narrows.",
  })
  async maintenances(
    @Arg("states", () => [MaintenanceState], { nullable: true }) states: MaintenanceState[] | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType[]> {
    if (first < 1 || first > 200) throw badInput("first", "first must be between 1 and 200.");
    return (await queries.listMaintenances(ctx.beacon.db.manager, states, first)).map(asType);
  }

  @Query(() => MaintenanceType, { nullable: true, description: "(public) One maintenance window." })
  async maintenance(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType | null> {
    const v = await queries.findMaintenance(ctx.beacon.db.manager, id);
    return v ? asType(v) : null;
  }

  @Mutation(() => MaintenanceType, {
    description: "Plan a window; announced on the status page and to subscribers at once.",
  })
  async scheduleMaintenance(
    @Arg("input", () => ScheduleMaintenanceInput) input: ScheduleMaintenanceInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "scheduleMaintenance");
    return asType(await commands.scheduleMaintenance(ctx.beacon, actor, input));
  }

  @Mutation(() => MaintenanceType, {
    description: "Edit a window. Once it has started, only its end moves and its services stay.",
  })
  async updateMaintenance(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("input", () => UpdateMaintenanceInput) input: UpdateMaintenanceInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "manageMaintenance");
    return asType(await commands.updateMaintenance(ctx.beacon, actor, id, expectedVersion, input));
  }

  @Mutation(() => MaintenanceType, {
    description:
      "A public update; with `state`, also moves the window on (IN_PROGRESS, VERIFYING, COMPLETED).",
  })
  async postMaintenanceUpdate(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("message", () => String) message: string,
    @Arg("state", () => MaintenanceState, { nullable: true }) state: MaintenanceState | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "manageMaintenance");
    return asType(
      await commands.postMaintenanceUpdate(ctx.beacon, actor, id, expectedVersion, message, state),
    );
  }

  @Mutation(() => MaintenanceType, { description: "Start now (early, or without autoTransition)." })
  async startMaintenance(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "manageMaintenance");
    return asType(await commands.startMaintenance(ctx.beacon, actor, id, expectedVersion));
  }

  @Mutation(() => MaintenanceType, {
    description: "Complete now; the services return to their status before.",
  })
  async completeMaintenance(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "manageMaintenance");
    return asType(await commands.completeMaintenance(ctx.beacon, actor, id, expectedVersion));
  }

  @Mutation(() => MaintenanceType, {
    description: "Cancel with a reason (shown publicly). A completed window cannot be.",
  })
  async cancelMaintenance(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("reason", () => String) reason: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<MaintenanceType> {
    const actor = requirePermission(ctx, "manageMaintenance");
    return asType(await commands.cancelMaintenance(ctx.beacon, actor, id, expectedVersion, reason));
  }

  @Query(() => HistoryVerification, {
    description: "Recomputes the window's change-record hash chain and names the first broken record.",
  })
  async verifyMaintenanceHistory(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<HistoryVerification> {
    requirePermission(ctx, "manageMaintenance", undefined, ApiScope.READ);
    if (!(await queries.findMaintenance(ctx.beacon.db.manager, id))) throw notFound("maintenance", id);
    return verifyChain(await queries.maintenanceHistory(ctx.beacon, id));
  }

  @FieldResolver(() => [ChangeRecord], {
    description: "Change history, oldest first (incident managers and admins only).",
  })
  history(@Root() m: MaintenanceType, @Ctx() ctx: BeaconContext): Promise<ChangeRecord[]> {
    requirePermission(ctx, "manageMaintenance", undefined, ApiScope.READ);
    return queries.maintenanceHistory(ctx.beacon, m.id);
  }
}
