import { type EntityManager, In } from "typeorm";
import { User } from "../auth/user.entity";
import { requireText } from "../domain/text";
import { ErrorCode } from "../domain/vocabulary";
import type { Beacon } from "../kernel/context";
import { BeaconError, badInput, isUuid, notFound, orThrow } from "../kernel/errors";
import { Queue } from "./queue.entity";

export const MAX_QUEUE_NAME = 100;

/** Every queue, by name. */
export function listQueues(m: EntityManager): Promise<Queue[]> {
  return m.find(Queue, { order: { name: "ASC" } });
}

/** A queue's members, by name. */
export async function membersOf(m: EntityManager, queueId: string): Promise<User[]> {
  const rows: { app_user_id: string }[] = await m.query(
    "SELECT app_user_id FROM queue_member WHERE queue_id = $1",
    [queueId],
  );
  if (rows.length === 0) return [];
  return m.find(User, { where: { id: In(rows.map((r) => r.app_user_id)) }, order: { name: "ASC" } });
}

export async function isMember(m: EntityManager, queueId: string, userId: string): Promise<boolean> {
  const rows = await m.query("SELECT 1 FROM queue_member WHERE queue_id = $1 AND app_user_id = $2", [
    queueId,
    userId,
  ]);
  return rows.length > 0;
}

/**
 * The same list as `queueIdsOf`, as an SQL expression (a text[]) for the user id expression
 * `userId`: lets a caller read it in a query it makes anyway (authentication reads the session,
 * its user and their queues in one round trip) while this table stays this feature's to name.
 */
export const queueIdsSql = (userId: string) =>
  `ARRAY(SELECT queue_id::text FROM queue_member WHERE app_user_id = ${userId})`;

/** The queues a user belongs to, read inside the caller's transaction (never a stale session copy). */
export async function queueIdsOf(m: EntityManager, userId: string): Promise<string[]> {
  const rows: { queue_id: string }[] = await m.query(
    "SELECT queue_id FROM queue_member WHERE app_user_id = $1",
    [userId],
  );
  return rows.map((r) => r.queue_id);
}

export async function findQueue(m: EntityManager, id: string): Promise<Queue> {
  const queue = isUuid(id) ? await m.findOne(Queue, { where: { id } }) : null;
  if (!queue) throw notFound("queue", id);
  return queue;
}

/** Every id must name an active user; the refusal lists the ones that do not. */
async function requireUsers(m: EntityManager, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const valid = unique.filter(isUuid);
  const found = valid.length ? await m.find(User, { where: { id: In(valid), active: true } }) : [];
  const foundIds = new Set(found.map((u) => u.id));
  const missing = unique.filter((id) => !foundIds.has(id));
  if (missing.length > 0) {
    throw new BeaconError(
      ErrorCode.NOT_FOUND,
      `No active user with id ${missing.map((id) => `"${id}"`).join(", ")} exists; pick members from the users list.`,
      { missingIds: missing },
    );
  }
  return unique;
}

async function assertNameFree(m: EntityManager, name: string) {
  const rows = await m.query("SELECT name FROM queue WHERE lower(name) = lower($1)", [name]);
  if (rows.length > 0) {
    throw badInput("name", `A queue named "${rows[0].name}" already exists; choose another name or use it.`);
  }
}

export async function createQueue(
  beacon: Beacon,
  name: string,
  memberIds: readonly string[],
): Promise<Queue> {
  const clean = orThrow(requireText("name", name, MAX_QUEUE_NAME), { field: "name" });
  return beacon.db.transaction(async (m) => {
    const members = await requireUsers(m, memberIds);
    await assertNameFree(m, clean);
    let queue: Queue;
    try {
      queue = await m.save(m.create(Queue, { name: clean, createdAt: beacon.clock.now() }));
    } catch (e) {
      // Two creators racing for the same name: the unique index decides.
      if ((e as { code?: string }).code === "23505") {
        throw badInput("name", `A queue named "${clean}" already exists; choose another name or use it.`);
      }
      throw e;
    }
    for (const userId of members) {
      await m.query("INSERT INTO queue_member (queue_id, app_user_id) VALUES ($1, $2)", [queue.id, userId]);
    }
    return queue;
  });
}

export async function addQueueMember(beacon: Beacon, queueId: string, userId: string): Promise<Queue> {
  return beacon.db.transaction(async (m) => {
    const queue = await findQueue(m, queueId);
    await requireUsers(m, [userId]);
    await m.query("INSERT INTO queue_member (queue_id, app_user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      queue.id,
      userId,
    ]);
    return queue;
  });
}

export async function removeQueueMember(beacon: Beacon, queueId: string, userId: string): Promise<Queue> {
  return beacon.db.transaction(async (m) => {
    const queue = await findQueue(m, queueId);
    if (!isUuid(userId) || !(await isMember(m, queue.id, userId))) {
      throw notFound(`member of queue "${queue.name}"`, userId);
    }
    await m.query("DELETE FROM queue_member WHERE queue_id = $1 AND app_user_id = $2", [queue.id, userId]);
    return queue;
  });
}

/**
 * Sets (or clears, with null) who an unacknowledged incident in this queue is escalated to first
 * (docs/service-levels.md). The manager must be an active user; they need not be a member.
 */
export async function setQueueManager(
  beacon: Beacon,
  queueId: string,
  userId: string | null,
): Promise<Queue> {
  return beacon.db.transaction(async (m) => {
    const queue = await findQueue(m, queueId);
    if (userId) await requireUsers(m, [userId]);
    queue.managerId = userId ?? null;
    await m.update(Queue, { id: queue.id }, { managerId: queue.managerId });
    return queue;
  });
}
