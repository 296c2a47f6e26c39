import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requirePrincipal } from "../auth";
import { User } from "../auth/user.entity";
import type { BeaconContext } from "../kernel/context";
import { ChangeRecord } from "./change-record.entity";

@Resolver(() => ChangeRecord)
export class ChangeRecordResolver {
  @FieldResolver(() => User, { nullable: true, description: "null for system changes or a deleted user." })
  author(@Root() r: ChangeRecord, @Ctx() ctx: BeaconContext): Promise<User | null> {
    requirePrincipal(ctx);
    return r.authorId
      ? ctx.beacon.db.manager.findOne(User, { where: { id: r.authorId } })
      : Promise.resolve(null);
  }
}
