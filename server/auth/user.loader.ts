import { In } from "typeorm";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { User } from "./user.entity";

/** Users by id, batched per request (owners, assignees and API-key users of one result). */
export const userLoader = (ctx: BeaconContext) =>
  requestLoader(
    ctx,
    "user",
    () =>
      new BatchLoader<string, User | null>(async (ids) => {
        const rows = await ctx.beacon.db.manager.find(User, { where: { id: In(ids) } });
        return new Map(rows.map((u) => [u.id, u]));
      }, null),
  );
