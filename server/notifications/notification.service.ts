import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { User } from "../auth/user.entity";
import { recipients, wantsEmail } from "../domain/notify";
import { Role } from "../domain/vocabulary";
import { appendEvent } from "../events";
import type { Beacon } from "../kernel/context";
import { Notification, NotificationPreference } from "./notification.entity";
import { markRead } from "./notification.queries";
import { notificationMail } from "./notification-mail";

/** The outbox event announcing new notifications (private: never on the public stream). */
export const NOTIFICATION_EVENT = "NOTIFICATION_ADDED";
/**
 * The outbox event saying a user marked notifications read, so their other tabs and devices follow
 * (private, addressed to that user only, like NOTIFICATION_EVENT).
 */
export const NOTIFICATIONS_READ_EVENT = "NOTIFICATIONS_READ";
export interface NotificationsReadPayload {
  userId: string;
  ids: string[];
}
/** The job that sends one notification's email copy. */
export const NOTIFICATION_EMAIL_JOB = "notification.email";

export interface NotifyInput {
  userIds: string[];
  kind: string;
  title: string;
  body?: string | null;
  incidentId?: string | null;
  /** Whoever caused it: not told about their own action. */
  exceptUserId?: string | null;
}

/** The event payload: which notification went to whom (the subscription filters on userId). */
export interface NotificationEventPayload {
  notifications: { id: string; userId: string }[];
}

// `notifyUsers` takes only the caller's transaction (the agreed shape, so any feature can call it
// from inside its command without threading Beacon through). What it needs beyond the database —
// the clock and the job runner — is found by the transaction's DataSource, bound once per Beacon
// by `defineNotificationJobs` while Beacon is assembled. A WeakMap: a stopped Beacon is not kept.
const bound = new WeakMap<DataSource, Beacon>();

function beaconOf(m: EntityManager): Beacon {
  const beacon = bound.get(m.dataSource);
  if (!beacon) {
    throw new Error(
      "notifications are not set up for this database: call defineNotificationJobs(beacon) while Beacon is assembled",
    );
  }
  return beacon;
}

/**
 * Tells users something, inside the caller's transaction (call it from a command, after its own
 * writes): one notification row per user (de-duplicated, inactive users and `exceptUserId` left
 * out), one private outbox event naming them (live over `notificationAdded`, durable, resumable by
 * seq), and one email job per user whose preferences want email for this kind. A command that rolls
 * back leaves no notification, no event and no job. Nothing is sent here: the email job runs after
 * commit, through the same job runner as the subscription deliveries.
 */
export async function notifyUsers(manager: EntityManager, input: NotifyInput): Promise<void> {
  const beacon = beaconOf(manager);
  const wanted = recipients(input.userIds, input.exceptUserId);
  if (wanted.length === 0) return;
  const active: { id: string }[] = await manager.query(
    "SELECT id FROM app_user WHERE id = ANY($1::uuid[]) AND active",
    [wanted],
  );
  const activeIds = new Set(active.map((r) => r.id));
  const userIds = wanted.filter((id) => activeIds.has(id));
  if (userIds.length === 0) return;
  const now = beacon.clock.now();
  const rows = userIds.map((userId) => ({ id: randomUUID(), userId }));
  const payload: NotificationEventPayload = { notifications: rows };
  const event = await appendEvent(manager, {
    kind: NOTIFICATION_EVENT,
    at: now,
    isPublic: false,
    // Not the incident's: incident streams (incidentActivity, incidentsChanged) follow incidentId,
    // and a notification is addressed to people, not to everyone watching the incident.
    incidentId: null,
    payload: { ...payload },
  });
  await manager.insert(
    Notification,
    rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      kind: input.kind,
      title: input.title,
      body: input.body ?? null,
      incidentId: input.incidentId ?? null,
      readAt: null,
      createdAt: now,
      seq: event.seq,
      emailedAt: null,
    })),
  );
  const prefs = await manager.find(NotificationPreference, { where: userIds.map((userId) => ({ userId })) });
  const prefOf = new Map(prefs.map((p) => [p.userId, p]));
  const mailed = rows.filter((r) => wantsEmail(prefOf.get(r.userId) ?? null, input.kind));
  // The job id is the notification id: the same notification is never mailed twice.
  await beacon.jobs.sendMany(
    NOTIFICATION_EMAIL_JOB,
    mailed.map((r) => ({ id: r.id, data: { notificationId: r.id } })),
    manager,
  );
}

/** Active members of a queue (who is told when an incident lands in it). */
export async function queueMemberIds(manager: EntityManager, queueId: string): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT u.id FROM queue_member qm JOIN app_user u ON u.id = qm.app_user_id
      WHERE qm.queue_id = $1 AND u.active ORDER BY u.name, u.id`,
    [queueId],
  );
  return rows.map((r) => r.id);
}

/** Active incident managers (accountable for every incident) and, unless excluded, admins. */
export async function incidentManagerIds(
  manager: EntityManager,
  options: { includeAdmins?: boolean } = {},
): Promise<string[]> {
  const roles =
    options.includeAdmins === false ? [Role.INCIDENT_MANAGER] : [Role.INCIDENT_MANAGER, Role.ADMIN];
  const rows: { id: string }[] = await manager.query(
    "SELECT id FROM app_user WHERE active AND role = ANY($1::text[]) ORDER BY name, id",
    [roles],
  );
  return rows.map((r) => r.id);
}

/** Active admins (e.g. told when a webhook endpoint is paused). */
export async function adminIds(manager: EntityManager): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    "SELECT id FROM app_user WHERE active AND role = $1 ORDER BY name, id",
    [Role.ADMIN],
  );
  return rows.map((r) => r.id);
}

/**
 * Defines the email job and binds `notifyUsers` to this Beacon. Call while Beacon is assembled,
 * before the job runner starts (server/app/beacon.ts).
 */
export function defineNotificationJobs(beacon: Beacon): void {
  bound.set(beacon.db, beacon);
  beacon.jobs.define<{ notificationId: string }>({
    name: NOTIFICATION_EMAIL_JOB,
    retryLimit: 5,
    retryDelay: beacon.config.deliveryRetryDelaySeconds,
    batchSize: 20,
    handler: ({ notificationId }) => sendNotificationEmail(beacon, notificationId),
  });
}

/**
 * Sends one notification's email copy. Preferences are read again (switched off meanwhile: nothing
 * is sent); an inactive user gets nothing. With the local outbox it is exactly once: the row is
 * locked, the mail kept and `emailedAt` set in one short transaction. Over SMTP the mail is sent
 * outside any transaction (a slow server must not hold pool connections the write path needs), then
 * `emailedAt` is set: at least once (a crash between the two sends it again on retry).
 */
export async function sendNotificationEmail(beacon: Beacon, notificationId: string): Promise<void> {
  if (!beacon.mailer.usesSmtp) {
    await beacon.db.transaction(async (m) => {
      const mail = await mailFor(beacon, m, notificationId, true);
      if (!mail) return;
      await beacon.mailer.send(mail, m);
      await markEmailed(beacon, m, notificationId);
    });
    return;
  }
  const mail = await mailFor(beacon, beacon.db.manager, notificationId, false);
  if (!mail) return;
  await beacon.mailer.send(mail);
  await markEmailed(beacon, beacon.db.manager, notificationId);
}

/** The mail for a notification still to be emailed to a user who wants it, or null. */
async function mailFor(beacon: Beacon, m: EntityManager, notificationId: string, lock: boolean) {
  const n = await m.findOne(Notification, {
    where: { id: notificationId },
    ...(lock ? { lock: { mode: "pessimistic_write" as const } } : {}),
  });
  if (!n || n.emailedAt) return null;
  const user = await m.findOne(User, { where: { id: n.userId } });
  const prefs = await m.findOne(NotificationPreference, { where: { userId: n.userId } });
  if (!user?.active || !wantsEmail(prefs, n.kind)) return null;
  const reference: { seq_number: number }[] = n.incidentId
    ? await m.query("SELECT seq_number FROM incident WHERE id = $1", [n.incidentId])
    : [];
  return notificationMail(user, n, beacon.config.publicUrl, reference[0]?.seq_number ?? null);
}

async function markEmailed(beacon: Beacon, m: EntityManager, notificationId: string): Promise<void> {
  await m.query("UPDATE notification SET emailed_at = $2 WHERE id = $1 AND emailed_at IS NULL", [
    notificationId,
    beacon.clock.now(),
  ]);
}

/**
 * Marks `userId`'s notifications read (those named, or all without ids) and, when any changed,
 * publishes which in the same transaction: the user's other tabs and devices update their bell.
 * Answers how many changed.
 */
export async function markNotificationsRead(
  m: EntityManager,
  userId: string,
  ids: readonly string[] | null | undefined,
  now: Date,
): Promise<number> {
  const changed = await markRead(m, userId, ids, now);
  if (changed.length > 0) {
    const payload: NotificationsReadPayload = { userId, ids: changed };
    await appendEvent(m, {
      kind: NOTIFICATIONS_READ_EVENT,
      at: now,
      isPublic: false,
      incidentId: null,
      payload: { ...payload },
    });
  }
  return changed.length;
}
