import type { EntityManager } from "typeorm";
import { requireText } from "../domain/text";
import { ErrorCode } from "../domain/vocabulary";
import type { Beacon } from "../kernel/context";
import { BeaconError, isUuid, notFound, orThrow } from "../kernel/errors";
import { Category } from "./category.entity";

export const MAX_CATEGORY_NAME = 100;

/** Top-level categories by name (their children come from childrenOf). */
export function topCategories(m: EntityManager): Promise<Category[]> {
  return m.find(Category, { where: { parentKey: "" }, order: { nameKey: "ASC" } });
}

export function childrenOf(m: EntityManager, id: string): Promise<Category[]> {
  return m.find(Category, { where: { parentKey: id }, order: { nameKey: "ASC" } });
}

export async function findCategory(m: EntityManager, id: string): Promise<Category | null> {
  return isUuid(id) ? m.findOne(Category, { where: { id } }) : null;
}

/** A category id given in an incident command: unknown is NOT_FOUND with the field named. */
export async function requireCategory(m: EntityManager, id: string): Promise<Category> {
  const category = await findCategory(m, id);
  if (!category) {
    throw new BeaconError(
      ErrorCode.NOT_FOUND,
      `No category with id "${id}" exists; pick one from the categories list (an admin adds new ones).`,
      { field: "categoryId" },
    );
  }
  return category;
}

export async function hasCategories(m: EntityManager): Promise<boolean> {
  return (await m.count(Category)) > 0;
}

/** "Network / DNS": how a category reads in history sentences and the UI. */
export async function categoryPath(m: EntityManager, c: Category): Promise<string> {
  const parent = c.parentId ? await findCategory(m, c.parentId) : null;
  return parent ? `${parent.name} / ${c.name}` : c.name;
}

/**
 * Adds a category (no parent) or a subcategory. Two levels only: category -> subcategory, which is
 * what the classification and the metrics group by. Names are unique among siblings.
 */
export async function createCategory(beacon: Beacon, name: string, parentId: string | null | undefined) {
  const clean = orThrow(requireText("name", name, MAX_CATEGORY_NAME), { field: "name" });
  return beacon.db.transaction(async (m) => {
    let parent: Category | null = null;
    if (parentId) {
      parent = await findCategory(m, parentId);
      if (!parent) throw notFound("category", parentId);
      if (parent.parentId !== null) {
        throw new BeaconError(
          ErrorCode.BAD_USER_INPUT,
          `"${parent.name}" is already a subcategory; categories have two levels (category -> subcategory). ` +
            "Add it under a top-level category instead.",
          { field: "parentId" },
        );
      }
    }
    const parentKey = parent?.id ?? "";
    const nameKey = clean.toLowerCase();
    // Serialise creators of siblings, so the friendly refusal below wins over the unique index.
    await m.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`category:${parentKey}`]);
    if (await m.findOne(Category, { where: { parentKey, nameKey } })) {
      throw new BeaconError(
        ErrorCode.BAD_USER_INPUT,
        `A category named "${clean}" already exists ${parent ? `under "${parent.name}"` : "at the top level"}; use it or pick another name.`,
        { field: "name" },
      );
    }
    return m.save(m.create(Category, { name: clean, nameKey, parentId: parent?.id ?? null, parentKey }));
  });
}
