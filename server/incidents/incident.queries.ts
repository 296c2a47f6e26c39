import { type EntityManager, In } from "typeorm";
import { User } from "../auth/user.entity";
import type { ClosureFacts } from "../domain/closure";
import type { IncidentAccess } from "../domain/permissions";
import {
  type ContactMethod,
  ErrorCode,
  IncidentOrder,
  type IncidentState,
  type Priority,
  TimelineKind,
} from "../domain/vocabulary";
import { BatchLoader, requestLoader } from "../kernel/batch-loader";
import type { BeaconContext } from "../kernel/context";
import { BeaconError, badInput, isUuid } from "../kernel/errors";
import { Service } from "../services/service.entity";
import { IncidentSlaRecord } from "../sla/incident-sla.entity";
import { Incident } from "./incident.entity";
import { TimelineEntry } from "./timeline-entry.entity";

// Read helpers: what the commands and resolvers look up. Nothing here writes.

export const incidentNumber = (seqNumber: number) => `INC-${String(seqNumber).padStart(6, "0")}`;

export async function findIncident(m: EntityManager, id: string): Promise<Incident | null> {
  return isUuid(id) ? m.findOne(Incident, { where: { id } }) : null;
}

export async function serviceIdsOf(m: EntityManager, incidentId: string): Promise<string[]> {
  const rows: { service_id: string }[] = await m.query(
    "SELECT service_id FROM incident_service WHERE incident_id = $1 ORDER BY service_id",
    [incidentId],
  );
  return rows.map((r) => r.service_id);
}

export function timelineOf(m: EntityManager, incidentId: string): Promise<TimelineEntry[]> {
  return m
    .getRepository(TimelineEntry)
    .createQueryBuilder("t")
    .where("t.incident_id = :incidentId", { incidentId })
    .orderBy("t.seq", "ASC")
    .getMany();
}

export const accessOf = (i: Incident): IncidentAccess => ({
  ownerId: i.ownerId,
  queueId: i.queueId,
  assigneeId: i.assigneeId,
  reference: incidentNumber(i.seqNumber),
});

/**
 * The facts closing is judged on, all taken from the timeline since the latest resolution: a
 * confirmation or contact attempt that belonged to an earlier resolution (before a reopen) is not
 * evidence about this one.
 */
export function closureFacts(i: Incident, timeline: readonly TimelineEntry[]): ClosureFacts {
  const lastResolve = timeline.filter(
    (t) => t.kind === TimelineKind.STATE_CHANGE && t.data?.command === "resolve",
  );
  const latest = lastResolve.at(-1);
  const since = latest ? BigInt(latest.seq) : 0n;
  const current = timeline.filter((t) => BigInt(t.seq) > since);
  const resolvedAt = i.resolvedAt?.getTime() ?? 0;
  return {
    priority: i.priority,
    peakPriority: i.peakPriority,
    customerConfirmed: current.some((t) => t.kind === TimelineKind.CUSTOMER_CONFIRMATION),
    contactAttempts: current
      .filter((t) => t.kind === TimelineKind.CONTACT_ATTEMPT && t.data)
      .map((t) => ({
        method: t.data!.method as ContactMethod,
        reached: Boolean(t.data!.reached),
        at: new Date(String(t.data!.at)),
      }))
      .filter((a) => a.at.getTime() >= resolvedAt),
    reviewCompleted: i.review !== null,
    // A problem record in Beacon (PRB-...) or an external reference both count.
    problemReference: i.problemId ?? i.problemReference,
  };
}

/** The services with these ids, deduplicated and sorted; refuses naming every id that does not exist. */
export async function requireServices(
  m: EntityManager,
  ids: readonly string[] | null | undefined,
): Promise<string[]> {
  const unique = [...new Set(ids ?? [])];
  const valid = unique.filter(isUuid);
  const found = valid.length ? await m.find(Service, { where: { id: In(valid) } }) : [];
  const foundIds = new Set(found.map((s) => s.id));
  const missing = unique.filter((id) => !foundIds.has(id));
  if (missing.length > 0) {
    throw new BeaconError(
      ErrorCode.NOT_FOUND,
      `No service with id ${missing.map((id) => `"${id}"`).join(", ")} exists; pick services from the services list.`,
      { field: "serviceIds", missingIds: missing },
    );
  }
  return unique.sort();
}

export async function userName(m: EntityManager, id: string | null): Promise<string> {
  if (!id) return "nobody";
  return (await m.findOne(User, { where: { id } }))?.name ?? id;
}

/** Services of an incident, in display order, batched per request. */
export const incidentServicesLoader = (ctx: BeaconContext) =>
  requestLoader(
    ctx,
    "incidentServices",
    () =>
      new BatchLoader<string, Service[]>(async (incidentIds) => {
        const m = ctx.beacon.db.manager;
        const links: { incident_id: string; service_id: string }[] = await m.query(
          "SELECT incident_id, service_id FROM incident_service WHERE incident_id = ANY($1)",
          [incidentIds],
        );
        const services = links.length
          ? await m.find(Service, {
              where: { id: In([...new Set(links.map((l) => l.service_id))]) },
              order: { position: "ASC", name: "ASC" },
            })
          : [];
        const result = new Map<string, Service[]>();
        for (const id of incidentIds) {
          const mine = new Set(links.filter((l) => l.incident_id === id).map((l) => l.service_id));
          result.set(
            id,
            services.filter((s) => mine.has(s.id)),
          );
        }
        return result;
      }, []),
  );

// Lists.

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;

export interface IncidentListFilter {
  states?: IncidentState[] | null;
  priorities?: Priority[] | null;
  serviceId?: string | null;
  queueId?: string | null;
  categoryId?: string | null;
  search?: string | null;
  mine?: boolean | null;
  needsMe?: boolean | null;
}

export interface IncidentPage {
  edges: { cursor: string; node: Incident }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

// Cursors are opaque to clients and carry the sort key of the last row (keyset pagination: a page
// starts after that key, so rows added or moved meanwhile never shift the pages as OFFSET would).
// NEWEST: "inc:<seq>", the numbers below this one. DUE_SOONEST: "due:<next due, epoch ms, or - for
// none>:<seq>". Due times are stored in whole milliseconds (JavaScript dates; the migration truncates).
type Cursor =
  | { order: IncidentOrder.NEWEST; seq: number }
  | { order: IncidentOrder.DUE_SOONEST; due: number | null; seq: number };

function encodeCursor(order: IncidentOrder, i: Incident, nextDueAt: Date | null): string {
  const text =
    order === IncidentOrder.DUE_SOONEST
      ? `due:${nextDueAt ? nextDueAt.getTime() : "-"}:${i.seqNumber}`
      : `inc:${i.seqNumber}`;
  return Buffer.from(text).toString("base64url");
}

function decodeCursor(order: IncidentOrder, cursor: string): Cursor {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const inc = /^inc:(\d{1,10})$/.exec(text);
  const due = /^due:(-|\d{1,15}):(\d{1,10})$/.exec(text);
  if (order === IncidentOrder.NEWEST && inc) return { order, seq: Number(inc[1]) };
  if (order === IncidentOrder.DUE_SOONEST && due) {
    return { order, due: due[1] === "-" ? null : Number(due[1]), seq: Number(due[2]) };
  }
  throw badInput(
    "after",
    inc || due
      ? `after is a cursor of another order; pass the cursor (pageInfo.endCursor) of a page read with orderBy: ${order}, or start again without after.`
      : "after must be a cursor returned by incidents (pageInfo.endCursor).",
  );
}

// SQL twins of needsMe() in domain/attention.ts (a page must be cut in the database); the
// integration test incident-attention.test.ts checks that both agree on every combination.
const AWAITING_IN_MY_QUEUES =
  "(i.state = 'ASSIGNED' AND i.assignee_id IS NULL AND i.queue_id IN " +
  "(SELECT qm.queue_id FROM queue_member qm WHERE qm.app_user_id = :me))";
const NEEDS_ME_SQL =
  `(${AWAITING_IN_MY_QUEUES}` +
  " OR (i.state IN ('ASSIGNED', 'IN_PROGRESS', 'ON_HOLD') AND i.assignee_id = :me)" +
  " OR (i.state IN ('NEW', 'RESOLVED') AND i.owner_id = :me))";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Incidents matching `filter`, in `order` (newest first, or due soonest: the stored next SLA due
 * time ascending, incidents with none last, newest first among equals), one page after `after`,
 * with the total count.
 */
export async function listIncidents(
  m: EntityManager,
  viewerId: string,
  filter: IncidentListFilter | null | undefined,
  first: number,
  after: string | null | undefined,
  order: IncidentOrder = IncidentOrder.NEWEST,
): Promise<IncidentPage> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput("first", `first must be between 1 and ${MAX_PAGE}.`);
  }
  const q = m.getRepository(Incident).createQueryBuilder("i");
  const f = filter ?? {};
  if (f.states?.length) q.andWhere("i.state IN (:...states)", { states: f.states });
  if (f.priorities?.length) q.andWhere("i.priority IN (:...priorities)", { priorities: f.priorities });
  if (f.serviceId) {
    if (!isUuid(f.serviceId)) throw badInput("filter.serviceId", "serviceId is not a valid id.");
    q.andWhere(
      "EXISTS (SELECT 1 FROM incident_service s WHERE s.incident_id = i.id AND s.service_id = :serviceId)",
      { serviceId: f.serviceId },
    );
  }
  if (f.queueId) {
    if (!isUuid(f.queueId)) throw badInput("filter.queueId", "queueId is not a valid id.");
    q.andWhere("i.queue_id = :queueId", { queueId: f.queueId });
  }
  if (f.categoryId) {
    if (!isUuid(f.categoryId)) throw badInput("filter.categoryId", "categoryId is not a valid id.");
    // A top-level category stands for its subcategories too: "Network" finds "Network > DNS".
    q.andWhere(
      "i.category_id IN (SELECT c.id FROM category c WHERE c.id = :categoryId OR c.parent_id = :categoryId)",
      { categoryId: f.categoryId },
    );
  }
  // "Mine" also holds what waits in my queues: a P1 awaiting my acknowledgement is mine to act on.
  if (f.mine) {
    q.andWhere(`(i.owner_id = :me OR i.assignee_id = :me OR ${AWAITING_IN_MY_QUEUES})`, { me: viewerId });
  }
  if (f.needsMe) q.andWhere(NEEDS_ME_SQL, { me: viewerId });
  const search = f.search?.trim();
  if (search) {
    const like = `%${escapeLike(search)}%`;
    const number = /^(?:INC-?)?0*(\d{1,9})$/i.exec(search);
    // The category's name (or its parent's) matches too, so "dns" finds incidents filed under DNS.
    const inCategory =
      "EXISTS (SELECT 1 FROM category c LEFT JOIN category p ON p.id = c.parent_id " +
      "WHERE c.id = i.category_id AND (c.name ILIKE :like OR p.name ILIKE :like))";
    q.andWhere(
      number
        ? `(i.seq_number = :number OR i.title ILIKE :like OR i.description ILIKE :like OR ${inCategory})`
        : `(i.title ILIKE :like OR i.description ILIKE :like OR ${inCategory})`,
      { like, number: number ? Number(number[1]) : null },
    );
  }
  const cursor = after ? decodeCursor(order, after) : null;
  const totalCount = await q.clone().getCount();
  if (order === IncidentOrder.DUE_SOONEST) {
    // Every incident has its row (made in the transaction that opens it; the ServiceLevels
    // migration backfilled older ones). An inner join lets the planner walk the next_due_at index
    // and stop after one page; ascending puts overdue ones first and the btree's own NULLS LAST puts
    // those with no clock running after all others.
    q.innerJoin(IncidentSlaRecord, "sla", "sla.incident_id = i.id").addSelect(
      "sla.next_due_at",
      "next_due_at",
    );
    const due = cursor?.order === IncidentOrder.DUE_SOONEST ? cursor.due : undefined;
    if (cursor && due === null) {
      // Past the running ones: only incidents with none are left, newest first, so the number
      // alone orders them (and its index serves the page, not a sort of every such incident).
      q.andWhere("(sla.next_due_at IS NULL AND i.seq_number < :seq)", { seq: cursor.seq });
      q.orderBy("i.seq_number", "DESC");
    } else {
      q.orderBy("sla.next_due_at", "ASC", "NULLS LAST").addOrderBy("i.seq_number", "DESC");
      if (cursor && typeof due === "number") {
        q.andWhere(
          "(sla.next_due_at > :due OR (sla.next_due_at = :due AND i.seq_number < :seq) OR sla.next_due_at IS NULL)",
          { due: new Date(due), seq: cursor.seq },
        );
      }
    }
  } else {
    q.orderBy("i.seq_number", "DESC");
    if (cursor) q.andWhere("i.seq_number < :after", { after: cursor.seq });
  }
  const { entities: rows, raw } = await q.limit(first + 1).getRawAndEntities<{
    i_id: string;
    next_due_at?: Date | null;
  }>();
  const dueOf = new Map(raw.map((r) => [r.i_id, r.next_due_at ?? null]));
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({
    cursor: encodeCursor(order, node, dueOf.get(node.id) ?? null),
    node,
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
