// Pure state of the war room's Services page: the catalog, kept live from the public status stream.
import type { ResultOf, VariablesOf } from "../graphql";
import type {
  CatalogService,
  CREATE_SERVICE,
  SERVICE_CATALOG_CHANGED,
  UPDATE_SERVICE,
} from "./admin-queries";

export type ServiceCatalogEvent = ResultOf<typeof SERVICE_CATALOG_CHANGED>["statusChanged"];

/** The status page's order: position, then name. */
export function sortServices(services: CatalogService[]): CatalogService[] {
  return [...services].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
}

/**
 * Adds or replaces one service. An older version never overwrites a newer one (a replay after a
 * reconnect, or a mutation's answer that arrives after the live event of a later change).
 */
export function upsertService(services: CatalogService[], next: CatalogService): CatalogService[] {
  const current = services.find((s) => s.id === next.id);
  if (current && current.version > next.version) return services;
  const rest = services.filter((s) => s.id !== next.id);
  return sortServices([...rest, next]);
}

/** Applies one `statusChanged` event; incident events leave the catalog as it is. */
export function applyServiceEvent(services: CatalogService[], event: ServiceCatalogEvent): CatalogService[] {
  return event.service ? upsertService(services, event.service) : services;
}

/** Group names in use, for the group field's suggestions. */
export function groupNames(services: Pick<CatalogService, "group">[]): string[] {
  return [...new Set(services.map((s) => s.group?.trim()).filter((g): g is string => Boolean(g)))].sort();
}

export interface ServiceFormValues {
  name: string;
  slug: string;
  group: string;
  description: string;
  position: string;
}

export function formValuesOf(service?: CatalogService): ServiceFormValues {
  return {
    name: service?.name ?? "",
    slug: service?.slug ?? "",
    group: service?.group ?? "",
    description: service?.description ?? "",
    position: service ? String(service.position) : "",
  };
}

/** updateService's input: only what changed. */
export type ServiceInput = VariablesOf<typeof UPDATE_SERVICE>["input"];
/** createService's input. */
export type NewServiceInput = VariablesOf<typeof CREATE_SERVICE>["input"];

/** createService's input: blanks are left out (the server picks the slug and position). */
export function createInput(values: ServiceFormValues): NewServiceInput {
  const input: NewServiceInput = { name: values.name.trim() };
  if (values.slug.trim()) input.slug = values.slug.trim();
  if (values.group.trim()) input.group = values.group.trim();
  if (values.description.trim()) input.description = values.description.trim();
  if (values.position.trim()) input.position = Number(values.position);
  return input;
}

/**
 * updateService's input: only what differs from the service as the form opened (so a retry after a
 * conflict does not put back what someone else changed). A blank group or description clears it.
 */
export function updateInput(before: ServiceFormValues, values: ServiceFormValues): ServiceInput {
  const input: ServiceInput = {};
  const changed = (key: keyof ServiceFormValues) => values[key].trim() !== before[key].trim();
  if (changed("name")) input.name = values.name.trim();
  if (changed("slug")) input.slug = values.slug.trim();
  if (changed("group")) input.group = values.group.trim() || null;
  if (changed("description")) input.description = values.description.trim() || null;
  if (changed("position") && values.position.trim() !== "") input.position = Number(values.position);
  return input;
}
