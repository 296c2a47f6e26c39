import type { EntityManager, EntityTarget, FindOptionsWhere } from "typeorm";
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
