import { type EntityManager, In, Not } from "typeorm";
import { priorityOf } from "../domain/priority";
import { publicImpactFor, publicTitleOf } from "../domain/public-story";
import { IncidentState, PublicStatus, type StatusIndicator } from "../domain/vocabulary";
import { type PublicServiceView, publicService } from "../services";
import { Service } from "../services/service.entity";
import { Incident } from "./incident.entity";
import { PublicUpdate } from "./public-update.entity";

/**
 * The public projection: the ONLY shape in which incidents leave Beacon anonymously. Built from an
 * allow-list of fields, so adding an internal column to Incident can never leak it. This file is
 * its one owner: the commands publish it (public-event.ts), the status page reads it.
 */
export interface PublicUpdateView {
  id: string;
  status: PublicStatus;
  message: string;
  at: Date;
  nextUpdateBy: Date | null;
}

export interface PublicIncidentView {
  id: string;
  title: string;
  status: PublicStatus;
  impact: StatusIndicator;
  services: PublicServiceView[];
  updates: PublicUpdateView[];
  startedAt: Date;
  resolvedAt: Date | null;
  /** The review's public postmortem, once the review is completed (a draft never leaves). */
  postmortem: string | null;
  /** The newest update's promise of the next one, while the incident is not resolved. */
  nextUpdateBy: Date | null;
}

/** Closed or canceled incidents that were public stay in history with their last public status. */
export function publicStatusOf(i: Incident): PublicStatus {
  if (i.publicStatus) return i.publicStatus;
  return i.resolvedAt || i.state === IncidentState.CLOSED
    ? PublicStatus.RESOLVED
    : PublicStatus.INVESTIGATING;
}

export async function publicIncidents(
  m: EntityManager,
  incidents: Incident[],
): Promise<PublicIncidentView[]> {
  if (incidents.length === 0) return [];
  const ids = incidents.map((i) => i.id);
  const links: { incident_id: string; service_id: string }[] = await m.query(
    "SELECT incident_id, service_id FROM incident_service WHERE incident_id = ANY($1)",
    [ids],
  );
  const services = links.length
    ? await m.find(Service, { where: { id: In([...new Set(links.map((l) => l.service_id))]) } })
    : [];
  const serviceById = new Map(services.map((s) => [s.id, publicService(s)]));
  const updates = await m.find(PublicUpdate, {
    where: { incidentId: In(ids) },
    order: { at: "DESC", position: "DESC" },
  });
  return incidents.map((i) => {
    const status = publicStatusOf(i);
    const own = updates
      .filter((u) => u.incidentId === i.id)
      .map((u) => ({
        id: u.id,
        status: u.status,
        message: u.message,
        at: u.at,
        nextUpdateBy: u.nextUpdateBy,
      }));
    return {
      id: i.id,
      title: publicTitleOf(i),
      status,
      impact: publicImpactFor(i.serviceImpacts ?? {}, priorityOf(i.impact, i.urgency)),
      services: links
        .filter((l) => l.incident_id === i.id)
        .map((l) => serviceById.get(l.service_id))
        .filter((s): s is PublicServiceView => Boolean(s))
        .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)),
      updates: own,
      startedAt: i.createdAt,
      resolvedAt: i.resolvedAt,
      postmortem: i.review?.publicPostmortem ?? null,
      nextUpdateBy: status === PublicStatus.RESOLVED ? null : (own[0]?.nextUpdateBy ?? null),
    };
  });
}

export async function publicIncidentById(m: EntityManager, id: string): Promise<PublicIncidentView | null> {
  // A canceled incident was opened by mistake: it is withdrawn from the status page.
  const incident = await m.findOne(Incident, {
    where: { id, isPublic: true, state: Not(IncidentState.CANCELED) },
  });
  if (!incident) return null;
  const [view] = await publicIncidents(m, [incident]);
  return view ?? null;
}

/** Public incidents still being worked, as the status page shows them. */
export async function activePublicIncidents(m: EntityManager): Promise<PublicIncidentView[]> {
  const rows = await m
    .getRepository(Incident)
    .createQueryBuilder("i")
    .where("i.is_public = true")
    .andWhere("i.state NOT IN (:...done)", { done: [IncidentState.CLOSED, IncidentState.CANCELED] })
    .andWhere("(i.public_status IS NULL OR i.public_status <> :resolved)", {
      resolved: PublicStatus.RESOLVED,
    })
    .orderBy("i.created_at", "DESC")
    .getMany();
  return publicIncidents(m, rows);
}

/** The public projection of one incident as it stands in `m`; null when the public must not see it. */
export async function publicViewOf(m: EntityManager, i: Incident): Promise<PublicIncidentView | null> {
  // A canceled incident was opened by mistake: it is withdrawn from the status page.
  if (!i.isPublic || i.state === IncidentState.CANCELED) return null;
  const [view] = await publicIncidents(m, [i]);
  return view ?? null;
}
