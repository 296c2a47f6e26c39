import { MaxLength } from "class-validator";
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { ApiScope, Role } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { ApiKey } from "./api-key.entity";
import * as auth from "./auth.service";
import { requirePermission, requirePrincipal } from "./guard";
import { User } from "./user.entity";

@ObjectType()
class AuthPayload {
  @Field(() => String, {
    description:
      "Send as 'Authorization: Bearer <token>'. Over HTTP, browsers also get it as an HttpOnly session cookie (docs/security.md).",
  })
  token!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType()
class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: "Shown once; Beacon keeps only a hash. Store it now." })
  secret!: string;
}

@InputType()
class CreateUserInput {
  @Field(() => String)
  @MaxLength(320)
  email!: string;

  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => String)
  @MaxLength(1000)
  password!: string;

  @Field(() => Role)
  role!: Role;
}

@InputType()
class UpdateUserInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  name?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => Boolean, { nullable: true, description: "false signs them out and stops their API keys." })
  active?: boolean | null;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Sign in. A wrong email or password gives the same refusal." })
  async login(
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<AuthPayload> {
    const signedIn = await auth.login(ctx.beacon, email, password, ctx.ip ?? null);
    ctx.sessionCookie?.set(signedIn.token, signedIn.expiresAt);
    return signedIn;
  }

  @Mutation(() => Boolean, {
    description: "Revoke the current session token (and clear the browser's cookie).",
  })
  logout(@Ctx() ctx: BeaconContext): Promise<boolean> {
    ctx.sessionCookie?.clear();
    return auth.logout(ctx.beacon, requirePrincipal(ctx));
  }

  @Mutation(() => Boolean, { description: "Change your own password; your other sessions are signed out." })
  changePassword(
    @Arg("currentPassword", () => String) currentPassword: string,
    @Arg("newPassword", () => String) newPassword: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<boolean> {
    return auth.changePassword(
      ctx.beacon,
      requirePrincipal(ctx, ApiScope.WRITE),
      currentPassword,
      newPassword,
    );
  }

  @Query(() => User, { nullable: true, description: "The signed-in user, or null when anonymous." })
  me(@Ctx() ctx: BeaconContext): User | null {
    return ctx.principal?.user ?? null;
  }

  @Query(() => [User], { description: "Active users (for assignment pickers)." })
  users(
    @Arg("includeInactive", () => Boolean, { nullable: true, defaultValue: false }) includeInactive: boolean,
    @Ctx() ctx: BeaconContext,
  ): Promise<User[]> {
    // Deactivated accounts are an admin's business; everyone else sees who can be assigned.
    if (includeInactive) requirePermission(ctx, "createUser", undefined, ApiScope.READ);
    else requirePrincipal(ctx);
    return auth.listUsers(ctx.beacon, includeInactive);
  }

  @Mutation(() => User)
  createUser(
    @Arg("input", () => CreateUserInput) input: CreateUserInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<User> {
    requirePermission(ctx, "createUser");
    return auth.createUser(ctx.beacon, input);
  }

  @Mutation(() => User, { description: "Rename, change the role of, or (de)activate a user (admin)." })
  updateUser(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() ctx: BeaconContext,
  ): Promise<User> {
    return auth.updateUser(ctx.beacon, requirePermission(ctx, "createUser"), id, input);
  }

  @Mutation(() => Boolean, {
    description: "Set someone's password (admin), e.g. when they forgot it; signs them out everywhere.",
  })
  setUserPassword(
    @Arg("id", () => ID) id: string,
    @Arg("password", () => String) password: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<boolean> {
    requirePermission(ctx, "createUser");
    return auth.setUserPassword(ctx.beacon, id, password);
  }

  @Mutation(() => CreatedApiKey, {
    description: "A key for a partner system; acts as userId (default: you).",
  })
  createApiKey(
    @Arg("name", () => String) name: string,
    @Arg("scopes", () => [ApiScope]) scopes: ApiScope[],
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<CreatedApiKey> {
    const p = requirePermission(ctx, "manageApiKeys");
    return auth.createApiKey(ctx.beacon, p, { name, scopes, userId });
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext): Promise<ApiKey> {
    requirePermission(ctx, "manageApiKeys");
    return auth.revokeApiKey(ctx.beacon, id);
  }

  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: BeaconContext): Promise<ApiKey[]> {
    requirePermission(ctx, "manageApiKeys", undefined, ApiScope.READ);
    return auth.listApiKeys(ctx.beacon);
  }
}
