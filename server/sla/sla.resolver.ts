import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { requirePermission } from "../auth";
import type { ClockState } from "../domain/sla";
import { ApiScope } from "../domain/vocabulary";
import { Incident } from "../incidents/incident.entity";
import type { BeaconContext } from "../kernel/context";
import { slaStateOf } from "./clocks";
import { listSlaPolicies, setSlaPolicy } from "./policy.service";
import { incidentSlaLoader } from "./sla.loader";
import { IncidentSla, SlaClock, SlaPolicyInput } from "./sla.types";
import { SlaPolicy } from "./sla-policy.entity";

const clockOf = (s: ClockState, businessHours: boolean): SlaClock => ({
  dueAt: s.dueAt,
  targetSeconds: s.targetSeconds,
  elapsedSeconds: s.elapsedSeconds,
  remainingSeconds: s.remainingSeconds,
  paused: s.paused,
  pausedForSeconds: s.pausedForSeconds,
  pausedSince: s.pausedSince,
  warned: s.warned,
  breached: s.breached,
  metAt: s.metAt,
  businessHours,
});

@Resolver(() => Incident)
export class IncidentSlaResolver {
  @FieldResolver(() => IncidentSla, {
    description: "Service-level clocks (acknowledge, resolve) and the public update cadence, as of now.",
  })
  async sla(@Root() i: Incident, @Ctx() ctx: BeaconContext): Promise<IncidentSla> {
    const row = await incidentSlaLoader(ctx).load(i.id);
    if (!row) throw new Error(`incident ${i.id} has no incident_sla row`);
    const s = slaStateOf(row, i, ctx.beacon.clock.now(), ctx.beacon.config);
    return {
      acknowledge: clockOf(s.acknowledge, row.businessHours),
      resolve: clockOf(s.resolve, row.businessHours),
      // As stored (the list's sort key), so a client placing live changes agrees with the server.
      nextDueAt: row.nextDueAt,
      nextPublicUpdateDueAt: s.nextPublicUpdateDueAt,
      escalationLevel: row.escalationLevel,
    };
  }
}

@Resolver(() => SlaPolicy)
export class SlaPolicyResolver {
  @Query(() => [SlaPolicy], {
    description: "The service-level policy of each priority (docs/service-levels.md).",
  })
  slaPolicies(@Ctx() ctx: BeaconContext): Promise<SlaPolicy[]> {
    requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);
    return listSlaPolicies(ctx.beacon.db.manager);
  }

  @Mutation(() => SlaPolicy, {
    description:
      "Sets a priority's policy (admin). Applies to incidents opened or re-prioritised afterwards; documented in the change history.",
  })
  setSlaPolicy(
    @Arg("input", () => SlaPolicyInput) input: SlaPolicyInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<SlaPolicy> {
    const p = requirePermission(ctx, "manageSlaPolicies");
    return setSlaPolicy(ctx.beacon, p, {
      priority: input.priority,
      acknowledgeMinutes: input.acknowledgeMinutes,
      resolveMinutes: input.resolveMinutes,
      businessHours: input.businessHours,
      publicUpdateEveryMinutes: input.publicUpdateEveryMinutes ?? null,
      autoClose: input.autoClose,
    });
  }
}
