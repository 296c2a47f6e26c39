import type { EntityManager } from "typeorm";
import { type NotifyFacts, notificationAudiences } from "../domain/notify";
import type { Priority, RoomRole } from "../domain/vocabulary";
import { incidentManagerIds, notifyUsers, queueMemberIds } from "../notifications";
import type { Incident } from "./incident.entity";
import { incidentNumber } from "./incident.queries";

const factsOf = (fields: Record<string, unknown>): NotifyFacts => ({
  queueId: (fields.queueId as string | null) ?? null,
  priority: fields.priority as Priority,
  roomRoles: (fields.roomRoles ?? {}) as Partial<Record<RoomRole, string>>,
});

/**
 * Tells responders what an incident command means for them (domain/notify.ts decides who), inside
 * the command's transaction: a refused command tells nobody. The author is never told.
 */
export async function notifyIncidentChange(
  m: EntityManager,
  author: { authorId: string | null; authorName: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  incident: Incident,
): Promise<void> {
  const audiences = notificationAudiences(before ? factsOf(before) : null, factsOf(after));
  if (audiences.length === 0) return;
  const ref = incidentNumber(incident.seqNumber);
  const by = author.authorName;
  for (const a of audiences) {
    const common = { kind: a.kind, incidentId: incident.id, exceptUserId: author.authorId };
    if (a.kind === "QUEUE_ASSIGNED") {
      const queue: { name: string }[] = await m.query("SELECT name FROM queue WHERE id = $1", [a.to.queueId]);
      await notifyUsers(m, {
        ...common,
        userIds: await queueMemberIds(m, a.to.queueId),
        title: `${ref} assigned to your queue "${queue[0]?.name ?? "?"}"`,
        body: `${incident.title} (${incident.priority}, ${incident.state}). Assigned by ${by}.`,
      });
    } else if (a.kind === "MAJOR_INCIDENT") {
      await notifyUsers(m, {
        ...common,
        userIds: await incidentManagerIds(m),
        title: a.raised
          ? `${ref} raised to ${a.priority}: ${incident.title}`
          : `${a.priority} opened: ${ref} ${incident.title}`,
        body: `${a.raised ? "Priority raised" : "Opened"} by ${by}.`,
      });
    } else {
      await notifyUsers(m, {
        ...common,
        userIds: [a.to.userId],
        title: `You are incident commander of ${ref}`,
        body: `${incident.title} (${incident.priority}, ${incident.state}). Assigned by ${by}.`,
      });
    }
  }
}
