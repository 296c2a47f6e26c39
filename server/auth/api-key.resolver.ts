import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { BeaconContext } from "../kernel/context";
import { ApiKey } from "./api-key.entity";
import { User } from "./user.entity";
import { userLoader } from "./user.loader";

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => User, { nullable: true, description: "The user this key acts as." })
  user(@Root() key: ApiKey, @Ctx() ctx: BeaconContext): Promise<User | null> {
    return userLoader(ctx).load(key.userId);
  }
}
