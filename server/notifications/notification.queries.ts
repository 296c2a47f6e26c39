import type { DataSource, EntityManager } from "typeorm";
import { NOTIFICATION_KIND_LABELS } from "../domain/notify";
import { currentSeq } from "../events";
import { badInput, isUuid } from "../kernel/errors";
import { Notification, NotificationPreference } from "./notification.entity";

export const MAX_FIRST = 200;

function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw badInput("first", `first must be a whole number from 1 to ${MAX_FIRST}.`);
  }
  return first;
}

/** A user's own notifications, newest first. */
export async function listNotifications(
  m: EntityManager,
  userId: string,
  unreadOnly: boolean,
  first: number,
): Promise<Notification[]> {
  const q = m
    .getRepository(Notification)
    .createQueryBuilder("n")
    .where("n.userId = :userId", { userId })
    .orderBy("n.createdAt", "DESC")
    .addOrderBy("n.seq", "DESC")
    .addOrderBy("n.id", "DESC")
    .limit(pageSize(first));
  if (unreadOnly) q.andWhere("n.readAt IS NULL");
  return q.getMany();
}

export async function unreadCount(m: EntityManager, userId: string): Promise<number> {
  const rows: { n: number }[] = await m.query(
    "SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL",
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export interface InboxView {
  seq: string;
  unreadCount: number;
  notifications: Notification[];
}

/**
 * The bell's snapshot: the newest notifications, the unread count and the seq they reflect, read in
 * one REPEATABLE READ transaction, so `notificationAdded(since: seq)` continues exactly from here.
 */
export async function inbox(db: DataSource, userId: string, first: number): Promise<InboxView> {
  const size = pageSize(first);
  const qr = db.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction("REPEATABLE READ");
    const m = qr.manager;
    const seq = await currentSeq(m);
    const notifications = await listNotifications(m, userId, false, size);
    const count = await unreadCount(m, userId);
    await qr.commitTransaction();
    return { seq, unreadCount: count, notifications };
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw e;
  } finally {
    await qr.release();
  }
}

/** Marks the user's own notifications read (none named: all of them); answers how many changed. */
export async function markRead(
  m: EntityManager,
  userId: string,
  ids: readonly string[] | null | undefined,
  now: Date,
): Promise<string[]> {
  if (ids) {
    if (ids.length > 500)
      throw badInput("ids", "Mark at most 500 notifications at once, or pass no ids for all.");
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) throw badInput("ids", `"${bad}" is not a notification id.`);
  }
  // Someone else's id matches no row here: it is neither changed nor revealed.
  const rows: { id: string }[] = await m.query(
    `WITH u AS (UPDATE notification SET read_at = $2
                 WHERE user_id = $1 AND read_at IS NULL AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
                 RETURNING id)
     SELECT id FROM u`,
    [userId, now, ids ? [...ids] : null],
  );
  return rows.map((r) => r.id);
}

export interface PreferencesView {
  email: boolean;
  mutedEmailKinds: string[];
}

export async function preferencesOf(m: EntityManager, userId: string): Promise<PreferencesView> {
  const p = await m.findOne(NotificationPreference, { where: { userId } });
  return { email: p?.email ?? true, mutedEmailKinds: p?.mutedEmailKinds ?? [] };
}

/** Stores the user's own channel choices (in-app is always on). Unknown kinds are refused. */
export async function setPreferences(
  m: EntityManager,
  userId: string,
  input: { email: boolean; mutedEmailKinds?: string[] | null },
  now: Date,
): Promise<PreferencesView> {
  const muted = [...new Set(input.mutedEmailKinds ?? [])];
  const unknown = muted.find((k) => !(k in NOTIFICATION_KIND_LABELS));
  if (unknown !== undefined) {
    throw badInput(
      "mutedEmailKinds",
      `"${unknown}" is not a notification kind; use one of ${Object.keys(NOTIFICATION_KIND_LABELS).join(", ")}.`,
    );
  }
  await m.upsert(
    NotificationPreference,
    { userId, email: input.email, mutedEmailKinds: muted, updatedAt: now },
    ["userId"],
  );
  return { email: input.email, mutedEmailKinds: muted };
}
