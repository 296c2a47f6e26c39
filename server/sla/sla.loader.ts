import { In } from "typeorm";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { IncidentSlaRecord } from "./incident-sla.entity";

/** incident_sla rows by incident id, batched per request (a list of incidents asks for all at once). */
export const incidentSlaLoader = (ctx: BeaconContext) =>
  requestLoader(
    ctx,
    "incidentSla",
    () =>
      new BatchLoader<string, IncidentSlaRecord | null>(async (ids) => {
        const rows = await ctx.beacon.db.manager.find(IncidentSlaRecord, { where: { incidentId: In(ids) } });
        return new Map(rows.map((r) => [r.incidentId, r]));
      }, null),
  );
