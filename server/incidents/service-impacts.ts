import type { EntityManager } from "typeorm";
import { type ImpactMap, releasedStatus, worseStatus } from "../domain/public-story";
import { serviceStatusLabel } from "../domain/status";
import type { ServiceStatus } from "../domain/vocabulary";
import type { Author } from "../history";
import { changeServiceStatus, lockService } from "../services";

// An incident moves the services it hurts in the same transaction as the command that says so, so
// the banner, the service rows (and with them the uptime bars, computed from the services'
// documented status history) and the incident card never disagree (docs/public-story.md).

/** One service status the command changed. */
export interface ServiceMove {
  serviceId: string;
  name: string;
  from: ServiceStatus;
  to: ServiceStatus;
}

/** The impacts other public incidents still being worked put on these services. */
async function otherImpacts(
  m: EntityManager,
  incidentId: string,
  serviceIds: readonly string[],
): Promise<Map<string, ServiceStatus[]>> {
  const rows: { service_impacts: Record<string, ServiceStatus> }[] = await m.query(
    `SELECT service_impacts FROM incident
      WHERE id <> $1 AND is_public AND state NOT IN ('RESOLVED', 'CLOSED', 'CANCELED')
        AND service_impacts ?| $2::text[]`,
    [incidentId, serviceIds],
  );
  const out = new Map<string, ServiceStatus[]>();
  for (const row of rows) {
    for (const id of serviceIds) {
      const status = row.service_impacts[id];
      if (status) out.set(id, [...(out.get(id) ?? []), status]);
    }
  }
  return out;
}

/**
 * Sets the asserted services to the incident's impact (or worse, when another open incident says
 * so) and releases the others (to what other open incidents still say, else operational), inside
 * the caller's transaction. Each change goes through the services feature: locked in id order,
 * versioned, documented in the service's history and published on the outbox.
 */
export async function moveServices(
  m: EntityManager,
  author: Author,
  incident: { id: string; reference: string; impacts: ImpactMap },
  plan: { assert: readonly string[]; release: readonly string[] },
  now: Date,
): Promise<ServiceMove[]> {
  const ids = [...new Set([...plan.assert, ...plan.release])].sort();
  if (ids.length === 0) return [];
  const services = [];
  for (const id of ids) services.push(await lockService(m, id));
  // Read after the locks: a concurrent command on another incident that touches the same service
  // has committed by now, so its impacts are seen.
  const others = await otherImpacts(m, incident.id, ids);
  const moves: ServiceMove[] = [];
  for (const service of services) {
    const elsewhere = others.get(service.id) ?? [];
    const own = plan.assert.includes(service.id) ? incident.impacts[service.id] : undefined;
    const target = own ? elsewhere.reduce(worseStatus, own) : releasedStatus(service.status, elsewhere);
    if (target === null || target === service.status) continue;
    const from = service.status;
    const why = own ? `${incident.reference}` : `${incident.reference} no longer affects it`;
    await changeServiceStatus(m, author, service, target, now, why);
    moves.push({ serviceId: service.id, name: service.name, from, to: target });
  }
  return moves;
}

/** "Checkout: Operational → Major Outage; Search: Degraded Performance → Operational". */
export function describeMoves(moves: readonly ServiceMove[]): string {
  return moves
    .map((mv) => `${mv.name}: ${serviceStatusLabel(mv.from)} → ${serviceStatusLabel(mv.to)}`)
    .join("; ");
}
