import { useEffect, useState } from "react";
import type { ResultOf } from "../graphql";
import { query } from "../graphql-client";
import {
  CATALOG_CATEGORIES_QUERY,
  CATALOG_PROBLEMS_QUERY,
  CATALOG_QUEUES_QUERY,
  CATALOG_SERVICES_QUERY,
  CATALOG_USERS_QUERY,
} from "./queries";

export interface Catalog {
  services: ResultOf<typeof CATALOG_SERVICES_QUERY>["services"];
  queues: ResultOf<typeof CATALOG_QUEUES_QUERY>["queues"];
  users: ResultOf<typeof CATALOG_USERS_QUERY>["users"];
  /** The classification tree (top level, with children); empty until an admin adds categories. */
  categories?: ResultOf<typeof CATALOG_CATEGORIES_QUERY>["categories"];
  /** Problem records incidents can still be linked to (not closed). */
  problems?: ResultOf<typeof CATALOG_PROBLEMS_QUERY>["problems"];
}

const EMPTY: Catalog = { services: [], queues: [], users: [], categories: [], problems: [] };
let cache: Promise<Catalog> | null = null;
let cachedFor = "";
let generation = 0;
const refreshListeners = new Set<() => void>();

async function loadCatalog(): Promise<Catalog> {
  // Separate requests: one refused list (e.g. users for a role that may not list them) must not
  // take the others down.
  const [services, queues, users, categories, problems] = await Promise.allSettled([
    query(CATALOG_SERVICES_QUERY),
    query(CATALOG_QUEUES_QUERY),
    query(CATALOG_USERS_QUERY),
    query(CATALOG_CATEGORIES_QUERY),
    query(CATALOG_PROBLEMS_QUERY),
  ]);
  return {
    services: services.status === "fulfilled" ? services.value.services : [],
    queues: queues.status === "fulfilled" ? queues.value.queues : [],
    users: users.status === "fulfilled" ? users.value.users : [],
    categories: categories.status === "fulfilled" ? categories.value.categories : [],
    problems: problems.status === "fulfilled" ? problems.value.problems : [],
  };
}

/** Services, queues, users, categories and linkable problems for pickers; loaded once per sign-in. */
export function useCatalog(userId: string): Catalog {
  const [catalog, setCatalog] = useState<Catalog>(EMPTY);
  const [version, setVersion] = useState(generation);
  useEffect(() => {
    const listener = () => setVersion(generation);
    refreshListeners.add(listener);
    return () => {
      refreshListeners.delete(listener);
    };
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when refreshCatalog() bumps the version
  useEffect(() => {
    let current = true;
    if (cachedFor !== userId) cache = null;
    cachedFor = userId;
    cache = cache ?? loadCatalog();
    cache
      .then((c) => current && setCatalog(c))
      .catch(() => {
        cache = null;
      });
    return () => {
      current = false;
    };
  }, [userId, version]);
  return catalog;
}

/**
 * Reloads the catalog everywhere it is shown (after a service, user, queue, category or problem was
 * added or changed here, or before a picker that must offer what others added meanwhile).
 */
export function refreshCatalog() {
  cache = null;
  generation++;
  for (const listener of refreshListeners) listener();
}

export function resetCatalog() {
  cache = null;
}

/** Every category as a picker option, subcategories under their parent ("Network / DNS"). */
export function categoryOptions(catalog: Catalog): { value: string; label: string }[] {
  return (catalog.categories ?? []).flatMap((c) => [
    { value: c.id, label: c.path },
    ...c.children.map((child) => ({ value: child.id, label: child.path })),
  ]);
}
