import { randomUUID } from "node:crypto";
import { actorOf, authorName } from "../../auth";
import { authorize } from "../../domain/permissions";
import { ErrorCode, TimelineKind } from "../../domain/vocabulary";
import { appendEvent } from "../../events";
import type { Beacon, Principal } from "../../kernel/context";
import { BeaconError, isUuid, notFound, orThrow } from "../../kernel/errors";
import { appendTimelineEntry, removeText } from "../../timeline";
import { Incident } from "../incident.entity";
import { incidentNumber } from "../incident.queries";
import { incidentEventOf } from "../public-event";
import { publicViewOf } from "../public-projection";
import { TimelineEntry } from "../timeline-entry.entity";
import { text } from "./input";

/**
 * An admin removes a secret pasted into a timeline entry (and the public update it published, if
 * any): the text goes, a REDACTION tombstone saying who, when and why is appended, and both chains
 * still verify because they cover the text's digest. Allowed in every state, closed included: a
 * leaked secret must be removable, and the incident's own fields and version are not touched.
 */
export async function redactTimelineEntry(
  beacon: Beacon,
  principal: Principal,
  entryId: string,
  reason: string,
): Promise<TimelineEntry> {
  orThrow(authorize(actorOf(principal), "redactTimelineEntry"));
  const why = text("reason", reason, 1000);
  return beacon.db.transaction(async (m) => {
    const found = isUuid(entryId) ? await m.findOne(TimelineEntry, { where: { id: entryId } }) : null;
    if (!found) throw notFound("timeline entry", entryId);
    // The incident's row lock orders this with every other write to the same chain.
    const incident = await m.findOne(Incident, {
      where: { id: found.incidentId },
      lock: { mode: "pessimistic_write" },
    });
    if (!incident) throw notFound("incident", found.incidentId);
    const entry = (await m.findOne(TimelineEntry, { where: { id: entryId } }))!;
    const ref = `entry #${entry.seq} of ${incidentNumber(incident.seqNumber)}`;
    if (entry.kind === TimelineKind.REDACTION) {
      throw new BeaconError(
        ErrorCode.BAD_USER_INPUT,
        `${ref} is itself a redaction record; it stays as it is.`,
      );
    }
    if (entry.body === null) {
      const already = await m
        .getRepository(TimelineEntry)
        .createQueryBuilder("t")
        .where("t.incident_id = :i AND t.kind = :k AND t.data->>'redactedEntryId' = :e", {
          i: incident.id,
          k: TimelineKind.REDACTION,
          e: entry.id,
        })
        .getCount();
      throw new BeaconError(
        ErrorCode.BAD_USER_INPUT,
        already > 0 ? `${ref} was already redacted.` : `${ref} has no text to redact.`,
      );
    }
    const viewBefore = await publicViewOf(m, incident);
    const { publicUpdateId } = await removeText(m, entry);
    const now = beacon.clock.now();
    const shape = incidentEventOf(viewBefore, await publicViewOf(m, incident));
    const tombstoneId = randomUUID();
    const event = await appendEvent(m, {
      kind: shape.kind,
      at: now,
      isPublic: shape.isPublic,
      incidentId: incident.id,
      payload: {
        entryId: tombstoneId,
        command: "redactTimelineEntry",
        ...(shape.incident ? { incident: shape.incident } : {}),
      },
    });
    await appendTimelineEntry(m, {
      id: tombstoneId,
      incidentId: incident.id,
      seq: event.seq,
      kind: TimelineKind.REDACTION,
      authorId: principal.user.id,
      authorName: authorName(principal),
      body: why,
      at: now,
      data: {
        command: "redactTimelineEntry",
        redactedEntryId: entry.id,
        redactedSeq: entry.seq,
        ...(publicUpdateId ? { publicUpdateId } : {}),
      },
    });
    return (await m.findOne(TimelineEntry, { where: { id: entry.id } }))!;
  });
}
