import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requirePermission, requirePrincipal } from "../auth";
import type { BeaconContext } from "../kernel/context";
import { Category } from "./category.entity";
import * as categories from "./category.service";

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: "The classification tree: top-level categories, with children." })
  categories(@Ctx() ctx: BeaconContext): Promise<Category[]> {
    requirePrincipal(ctx);
    return categories.topCategories(ctx.beacon.db.manager);
  }

  @Mutation(() => Category, {
    description: "Admin: add a category, or a subcategory under a top-level one (two levels).",
  })
  createCategory(
    @Arg("name", () => String) name: string,
    @Arg("parentId", () => ID, { nullable: true }) parentId: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Category> {
    requirePermission(ctx, "createCategory");
    return categories.createCategory(ctx.beacon, name, parentId);
  }

  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() c: Category, @Ctx() ctx: BeaconContext): Promise<Category | null> {
    return c.parentId ? categories.findCategory(ctx.beacon.db.manager, c.parentId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Category])
  children(@Root() c: Category, @Ctx() ctx: BeaconContext): Promise<Category[]> {
    return categories.childrenOf(ctx.beacon.db.manager, c.id);
  }

  @FieldResolver(() => String, { description: 'e.g. "Network / DNS".' })
  path(@Root() c: Category, @Ctx() ctx: BeaconContext): Promise<string> {
    return categories.categoryPath(ctx.beacon.db.manager, c);
  }
}
