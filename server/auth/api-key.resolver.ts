import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { BeaconContext } from "../app/context";
import { loadersOf } from "../app/loaders";
import { ApiKey } from "./api-key.entity";
import { User } from "./user.entity";

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @FieldResolver(() => User, { nullable: true, description: "The user this key acts as." })
  user(@Root() key: ApiKey, @Ctx() ctx: BeaconContext): Promise<User | null> {
    return loadersOf(ctx).user.load(key.userId);
  }
}
