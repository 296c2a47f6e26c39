import { type EntityManager, Not } from "typeorm";
import { serviceStatusLabel } from "../domain/status";
import { requireText, slugify, validateSlug } from "../domain/text";
import { ServiceStatus, StatusEventKind } from "../domain/vocabulary";
import type { Statement } from "../events";
import {
  type Author,
  checkVersion,
  type FieldChanges,
  historyOf,
  type Recorded,
  recordCommand,
} from "../history";
import type { Beacon, Principal } from "../kernel/context";
import { badInput, orThrow } from "../kernel/errors";
import { lockById } from "../kernel/lock";
import { publicService } from "./public-service";
import { Service } from "./service.entity";

export interface ServiceInput {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  group?: string | null;
  position?: number | null;
}

export function listServices(m: EntityManager): Promise<Service[]> {
  return m.find(Service, { order: { position: "ASC", name: "ASC" } });
}

export async function lockService(m: EntityManager, id: string): Promise<Service> {
  return lockById(m, Service, id, "service");
}

const optionalText = (field: string, v: string | null | undefined, max: number) =>
  v === null || v === undefined || v.trim() === "" ? null : orThrow(requireText(field, v, max));

async function assertSlugFree(m: EntityManager, slug: string, exceptId?: string) {
  const taken = await m.findOne(Service, { where: { slug, ...(exceptId ? { id: Not(exceptId) } : {}) } });
  if (taken) throw badInput("slug", `The slug "${slug}" is already used by "${taken.name}"; choose another.`);
}

/**
 * Documents the change and publishes it. Service changes go out on the public stream too: the
 * status page shows services.
 */
async function record(
  m: EntityManager,
  actor: Author,
  service: Service,
  change: Omit<Recorded, "subjectType" | "subjectId" | "version" | "at">,
  kind: StatusEventKind,
  at: Date,
  write?: Statement,
) {
  await recordCommand(
    m,
    actor,
    { subjectType: "service", subjectId: service.id, version: service.version, at, ...change },
    { kind, at, isPublic: true, serviceId: service.id, payload: { service: publicService(service) } },
    write,
  );
}

export async function createService(beacon: Beacon, actor: Principal, input: ServiceInput): Promise<Service> {
  const name = orThrow(requireText("name", input.name, 200));
  const slug = orThrow(validateSlug(input.slug?.trim() || slugify(name)));
  return beacon.db.transaction(async (m) => {
    await assertSlugFree(m, slug);
    const now = beacon.clock.now();
    const position =
      input.position ??
      ((await m.createQueryBuilder(Service, "s").select("COALESCE(MAX(s.position), 0)", "max").getRawOne())
        ?.max ?? 0) + 10;
    const service = await m.save(
      m.create(Service, {
        name,
        slug,
        description: optionalText("description", input.description, 2000),
        group: optionalText("group", input.group, 200),
        position,
        status: ServiceStatus.OPERATIONAL,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const changes = {
      name: { from: null, to: name },
      slug: { from: null, to: slug },
      status: { from: null, to: service.status },
    };
    await record(
      m,
      actor,
      service,
      { description: `Created service "${name}"`, changes },
      StatusEventKind.SERVICE_CHANGED,
      now,
    );
    return service;
  });
}

export async function updateService(
  beacon: Beacon,
  actor: Principal,
  id: string,
  expectedVersion: number,
  input: ServiceInput,
): Promise<Service> {
  return beacon.db.transaction(async (m) => {
    const service = await lockService(m, id);
    checkVersion(
      service.version,
      expectedVersion,
      (current, expected) =>
        `Service "${service.name}" was changed meanwhile (version ${current}, you sent ${expected}); reload it and retry.`,
    );
    const next = {
      name:
        input.name === undefined || input.name === null
          ? service.name
          : orThrow(requireText("name", input.name, 200)),
      slug:
        input.slug === undefined || input.slug === null
          ? service.slug
          : orThrow(validateSlug(input.slug.trim())),
      description:
        input.description === undefined
          ? service.description
          : optionalText("description", input.description, 2000),
      group: input.group === undefined ? service.group : optionalText("group", input.group, 200),
      position: input.position ?? service.position,
    };
    const changes: FieldChanges = {};
    for (const [k, v] of Object.entries(next)) {
      const before = service[k as keyof typeof next];
      if (before !== v) changes[k] = { from: before, to: v };
    }
    if (Object.keys(changes).length === 0) return service;
    if (changes.slug) await assertSlugFree(m, next.slug, service.id);
    const now = beacon.clock.now();
    Object.assign(service, next, { version: service.version + 1, updatedAt: now });
    await m.save(service);
    const description = `Updated ${Object.keys(changes).join(", ")} of service "${service.name}"`;
    await record(m, actor, service, { description, changes }, StatusEventKind.SERVICE_CHANGED, now);
    return service;
  });
}

export async function setServiceStatus(
  beacon: Beacon,
  actor: Principal,
  id: string,
  status: ServiceStatus,
): Promise<Service> {
  return beacon.db.transaction(async (m) => {
    const service = await lockService(m, id);
    await changeServiceStatus(m, actor, service, status, beacon.clock.now());
    return service;
  });
}

/**
 * A status change inside the caller's transaction, on a service the caller has locked: written,
 * documented (with `why` appended, e.g. the maintenance window that did it) and published. Setting
 * the status it already has changes nothing, so nothing is documented or published. Used by
 * setServiceStatus and by the features that move services in their own commands (maintenance).
 */
export async function changeServiceStatus(
  m: EntityManager,
  actor: Author,
  service: Service,
  status: ServiceStatus,
  now: Date,
  why?: string,
): Promise<boolean> {
  if (service.status === status) return false;
  const from = service.status;
  service.status = status;
  service.version += 1;
  service.updatedAt = now;
  const description = `Status of "${service.name}" changed from ${serviceStatusLabel(from)} to ${serviceStatusLabel(status)}${why ? ` (${why})` : ""}`;
  const changes = { status: { from, to: status } };
  // The row's UPDATE goes out with the change record and the event, in one round trip: nothing in
  // this command reads the row after it (not save(): that reads the row again first, and the lock
  // already made that needless).
  const write = {
    sql: "UPDATE service SET status = $1, version = $2, updated_at = $3 WHERE id = $4",
    params: [status, service.version, now, service.id],
  };
  await record(
    m,
    actor,
    service,
    { description, changes },
    StatusEventKind.SERVICE_STATUS_CHANGED,
    now,
    write,
  );
  return true;
}

export function serviceHistory(beacon: Beacon, id: string) {
  return historyOf(beacon.db.manager, "service", id);
}
