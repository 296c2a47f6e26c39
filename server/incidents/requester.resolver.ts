import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { requirePermission } from "../auth";
import { ApiScope } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { confirmResolutionAsRequester, requesterConfirmationUrl } from "./commands/requester-confirmation";
import { Incident } from "./incident.entity";

/** The requester's own confirmation through a signed link (docs/record-integrity.md). */
@Resolver(() => Incident)
export class RequesterConfirmationResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "While RESOLVED and awaiting its requester: the signed link by which they confirm themselves (mailed to them when they have an email; send it another way otherwise). Null otherwise.",
  })
  requesterConfirmationUrl(@Root() incident: Incident, @Ctx() ctx: BeaconContext): Promise<string | null> {
    requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);
    return requesterConfirmationUrl(ctx.beacon, incident);
  }

  @Mutation(() => Boolean, {
    description:
      "Public: the requester confirms the resolution with the token from their link. Recorded as the requester's own confirmation; pressing twice changes nothing.",
  })
  async confirmResolutionAsRequester(
    @Arg("token", () => String) token: string,
    @Arg("note", () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<boolean> {
    await confirmResolutionAsRequester(ctx.beacon, token, note);
    return true;
  }
}
