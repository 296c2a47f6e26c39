import { In } from "typeorm";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { Queue } from "./queue.entity";

/** Queues by id, batched per request. */
export const queueLoader = (ctx: BeaconContext) =>
  requestLoader(
    ctx,
    "queue",
    () =>
      new BatchLoader<string, Queue | null>(async (ids) => {
        const rows = await ctx.beacon.db.manager.find(Queue, { where: { id: In(ids) } });
        return new Map(rows.map((q) => [q.id, q]));
      }, null),
  );
