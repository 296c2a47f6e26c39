import type { EntityManager } from "typeorm";
import { badInput, isUuid } from "../app/errors";
import type { IncidentState, Priority } from "../domain/vocabulary";
import { Incident } from "./incident.entity";

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;

export interface IncidentListFilter {
  states?: IncidentState[] | null;
  priorities?: Priority[] | null;
  serviceId?: string | null;
  queueId?: string | null;
  search?: string | null;
  mine?: boolean | null;
}

export interface IncidentPage {
  edges: { cursor: string; node: Incident }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

// Opaque to clients; newest first means "numbers below this one".
export const encodeCursor = (i: Incident) => Buffer.from(`inc:${i.seqNumber}`).toString("base64url");

function decodeCursor(cursor: string): number {
  const m = /^inc:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw badInput("after", "after must be a cursor returned by incidents (pageInfo.endCursor).");
  return Number(m[1]);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Incidents matching `filter`, newest first, one page after `after`, with the total count. */
export async function listIncidents(
  m: EntityManager,
  viewerId: string,
  filter: IncidentListFilter | null | undefined,
  first: number,
  after: string | null | undefined,
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
  if (f.mine) q.andWhere("(i.owner_id = :me OR i.assignee_id = :me)", { me: viewerId });
  const search = f.search?.trim();
  if (search) {
    const like = `%${escapeLike(search)}%`;
    const number = /^(?:INC-?)?0*(\d{1,9})$/i.exec(search);
    q.andWhere(
      number
        ? "(i.seq_number = :number OR i.title ILIKE :like OR i.description ILIKE :like)"
        : "(i.title ILIKE :like OR i.description ILIKE :like)",
      { like, number: number ? Number(number[1]) : null },
    );
  }
  const totalCount = await q.clone().getCount();
  if (after) q.andWhere("i.seq_number < :after", { after: decodeCursor(after) });
  const rows = await q
    .orderBy("i.seq_number", "DESC")
    .take(first + 1)
    .getMany();
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
