import { Arg, Ctx, ID, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import type { StatusEventKind } from "../domain/vocabulary";
import { replaySince } from "../events";
import type { EventRecord } from "../events/event.entity";
import { publicIncidentById } from "../incidents";
import { PublicIncident } from "../incidents/public-incident.types";
import type { BeaconContext } from "../kernel/context";
import { badInput, isUuid } from "../kernel/errors";
import type { MaintenanceType } from "../maintenance/maintenance.types";
import type { Service } from "../services/service.entity";
import { publicNow } from "./replay-now";
import { publicIncidentHistory, statusSummaryFor } from "./status.service";
import { StatusEvent, StatusSummary } from "./status.types";

@Resolver()
export class StatusResolver {
  @Query(() => StatusSummary, {
    description: "(public) The status page in one query, with the seq it reflects.",
  })
  async statusSummary(@Ctx() ctx: BeaconContext): Promise<StatusSummary> {
    return (await statusSummaryFor(ctx)) as unknown as StatusSummary;
  }

  @Query(() => [PublicIncident], { description: "(public) Newest first, resolved included." })
  async publicIncidents(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("offset", () => Int, { nullable: true, defaultValue: 0 }) offset: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<PublicIncident[]> {
    if (first < 1 || first > 100) throw badInput("first", "first must be between 1 and 100.");
    if (offset < 0) throw badInput("offset", "offset must not be negative.");
    return (await publicIncidentHistory(ctx.beacon.db, first, offset)) as unknown as PublicIncident[];
  }

  @Query(() => PublicIncident, {
    nullable: true,
    description: "(public) One public incident, for its stable page.",
  })
  async publicIncident(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<PublicIncident | null> {
    if (!isUuid(id)) return null;
    return (await publicIncidentById(ctx.beacon.db.manager, id)) as unknown as PublicIncident | null;
  }

  @Subscription(() => StatusEvent, {
    description:
      "(public) Service and public incident changes. Pass since: <seq> to replay what you missed first: " +
      "replayed events show what is public now (withdrawn incidents as withdrawnIncidentId); a since older " +
      "than the replay window is refused with SNAPSHOT_REQUIRED: reload statusSummary and use its seq.",
    subscribe: ({ args, context }) => {
      const { beacon } = context as BeaconContext;
      const since = replaySince(beacon, args.since as string | null);
      // Taken before subscribing: whatever the hub had dispatched by then is replayed, not live.
      const horizon = since === null ? null : BigInt(beacon.hub.lastSeq);
      return publicNow(
        beacon,
        beacon.hub.subscribe((e) => e.isPublic, since),
        horizon,
      );
    },
  })
  statusChanged(
    @Root() e: EventRecord,
    @Arg("since", () => String, { nullable: true }) _since: string | null,
    @Ctx() ctx: BeaconContext,
  ): StatusEvent {
    // One call per execution of the operation for this event: 1 when shared, N per subscriber.
    ctx.beacon.hub.fanout.executed(e.seq);
    return {
      seq: e.seq,
      kind: e.kind as StatusEventKind,
      at: e.at,
      service: (e.payload.service as Service | undefined) ?? null,
      incident: (e.payload.incident as PublicIncident | undefined) ?? null,
      withdrawnIncidentId: (e.payload.withdrawnIncidentId as string | undefined) ?? null,
      maintenance: (e.payload.maintenance as MaintenanceType | undefined) ?? null,
    };
  }
}
