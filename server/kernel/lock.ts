import type { EntityManager, EntityTarget, FindOptionsWhere } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity.js";
import { isUuid, notFound } from "./errors";

/**
 * The row with this id, locked FOR UPDATE until the transaction ends (a command's first step), or a
 * NOT_FOUND refusal naming `what`. An id that is not a UUID cannot exist, so it is not queried.
 */
export async function lockById<T extends { id: string }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  what: string,
): Promise<T> {
  const row = isUuid(id)
    ? await m.findOne(entity, { where: { id } as FindOptionsWhere<T>, lock: { mode: "pessimistic_write" } })
    : null;
  if (!row) throw notFound(what, id);
  return row;
}

/**
 * A row taken with `lockById`, written back whole (every column but the id) in one UPDATE. save()
 * would first read the row again to find what changed, a round trip the lock already made needless.
 */
export async function writeLocked<T extends { id: string }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  row: T,
): Promise<void> {
  const set: Record<string, unknown> = {};
  for (const c of m.connection.getMetadata(entity).columns) {
    if (c.isPrimary) continue;
    const value = c.getEntityValue(row);
    if (value !== undefined) set[c.propertyName] = value;
  }
  await m
    .createQueryBuilder()
    .update(entity)
    .set(set as QueryDeepPartialEntity<T>)
    .where("id = :id", { id: row.id })
    .execute();
}
