import { useEffect, useState } from "react";
import { query } from "../graphql-client";
import type { Queue, Service, User } from "../shared/types";

export interface Catalog {
  services: Pick<Service, "id" | "name" | "slug" | "group">[];
  queues: Queue[];
  users: User[];
}

const EMPTY: Catalog = { services: [], queues: [], users: [] };
let cache: Promise<Catalog> | null = null;
let cachedFor = "";

async function loadCatalog(): Promise<Catalog> {
  // Separate requests: one refused list (e.g. users for a role that may not list them) must not
  // take the others down.
  const [services, queues, users] = await Promise.allSettled([
    query<{ services: Catalog["services"] }>("query CatalogServices { services { id name slug group } }"),
    query<{ queues: Queue[] }>("query CatalogQueues { queues { id name members { id name } } }"),
    query<{ users: User[] }>("query CatalogUsers { users { id name email role } }"),
  ]);
  return {
    services: services.status === "fulfilled" ? services.value.services : [],
    queues: queues.status === "fulfilled" ? queues.value.queues : [],
    users: users.status === "fulfilled" ? users.value.users : [],
  };
}

/** Services, queues and users for pickers; loaded once per sign-in. */
export function useCatalog(userId: string): Catalog {
  const [catalog, setCatalog] = useState<Catalog>(EMPTY);
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
  }, [userId]);
  return catalog;
}

export function resetCatalog() {
  cache = null;
}
