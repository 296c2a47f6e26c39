// Pure state transitions of the public status page: applying live StatusEvents to a snapshot.
import { overallStatus } from "../../../server/domain/status";
import { PublicStatus, ServiceStatus, StatusEventKind } from "../../../server/domain/vocabulary";
import { SERVICE_STATUS_SEVERITY } from "../shared/words";
import type { PublicIncident, PublicMaintenance, Service, StatusEvent, StatusSummary } from "./queries";

/** States the "Scheduled maintenance" section shows (server/domain/maintenance.ts ACTIVE_MAINTENANCE_STATES). */
const SHOWN_MAINTENANCE_STATES: readonly string[] = ["SCHEDULED", "IN_PROGRESS", "VERIFYING"];

/** A live window replaces its copy; a finished or cancelled one leaves the list; soonest first. */
export function applyMaintenance(list: PublicMaintenance[], window: PublicMaintenance): PublicMaintenance[] {
  const others = list.filter((m) => m.id !== window.id);
  if (!SHOWN_MAINTENANCE_STATES.includes(window.state)) return others;
  return [...others, window].sort(
    (a, b) => a.scheduledStart.localeCompare(b.scheduledStart) || a.id.localeCompare(b.id),
  );
}

export function isResolved(incident: PublicIncident): boolean {
  return incident.status === PublicStatus.RESOLVED || incident.resolvedAt != null;
}

function todayKey(at: string): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function mergeService(previous: Service | undefined, next: Service, at: string): Service {
  const uptime = previous?.uptime;
  if (!uptime?.length) return { ...next, uptime };
  // Keep the 90-day bars; the last bar (today) shows the worst status seen so far.
  const last = uptime[uptime.length - 1];
  if (
    last &&
    last.date === todayKey(at) &&
    SERVICE_STATUS_SEVERITY[next.status] > SERVICE_STATUS_SEVERITY[last.worstStatus]
  ) {
    return { ...next, uptime: [...uptime.slice(0, -1), { ...last, worstStatus: next.status }] };
  }
  return { ...next, uptime };
}

/**
 * Fresh uptime bars from the server for a service whose live status is `service.status`: today's bar
 * never shows better than what the page already knows (a snapshot may trail the live stream).
 */
export function withFreshUptime(service: Service, uptime: Service["uptime"], at: string): Service {
  return mergeService({ ...service, uptime }, service, at);
}

function upsertIncident(list: PublicIncident[], incident: PublicIncident): PublicIncident[] {
  const index = list.findIndex((i) => i.id === incident.id);
  if (index === -1) return [incident, ...list];
  const copy = list.slice();
  copy[index] = incident;
  return copy;
}

/** Applies one live event. Unknown kinds leave the state as it was. */
export function applyStatusEvent(summary: StatusSummary, event: StatusEvent): StatusSummary {
  switch (event.kind) {
    case StatusEventKind.SERVICE_STATUS_CHANGED:
    case StatusEventKind.SERVICE_CHANGED: {
      const service = event.service;
      if (!service) return summary;
      const exists = summary.services.some((s) => s.id === service.id);
      const services = exists
        ? summary.services.map((s) => (s.id === service.id ? mergeService(s, service, event.at) : s))
        : [...summary.services, { ...service, uptime: [] }];
      return recomputeBanner({ ...summary, services, updatedAt: event.at });
    }
    case StatusEventKind.INCIDENT_PUBLISHED:
    case StatusEventKind.INCIDENT_UPDATED:
    case StatusEventKind.INCIDENT_RESOLVED: {
      if (event.withdrawnIncidentId) {
        // Unpublished or canceled: it leaves the public page entirely.
        return recomputeBanner({
          ...summary,
          activeIncidents: summary.activeIncidents.filter((i) => i.id !== event.withdrawnIncidentId),
          recentlyResolved: (summary.recentlyResolved ?? []).filter(
            (i) => i.id !== event.withdrawnIncidentId,
          ),
          updatedAt: event.at,
        });
      }
      const incident = event.incident;
      if (!incident) return summary;
      // The live copy is the one kept; the snapshot's "recently resolved" entry would be older.
      return recomputeBanner({
        ...summary,
        activeIncidents: upsertIncident(summary.activeIncidents, incident),
        recentlyResolved: (summary.recentlyResolved ?? []).filter((i) => i.id !== incident.id),
        updatedAt: event.at,
      });
    }
    case StatusEventKind.MAINTENANCE_SCHEDULED:
    case StatusEventKind.MAINTENANCE_UPDATED:
    case StatusEventKind.MAINTENANCE_STARTED:
    case StatusEventKind.MAINTENANCE_COMPLETED:
    case StatusEventKind.MAINTENANCE_CANCELED:
    case StatusEventKind.MAINTENANCE_REMINDER: {
      // The services' own changes arrive as SERVICE_STATUS_CHANGED events of their own.
      if (!event.maintenance) return summary;
      return { ...summary, maintenances: applyMaintenance(summary.maintenances ?? [], event.maintenance) };
    }
    default:
      return summary;
  }
}

/**
 * The banner after a live event, computed with the server's own rule (server/domain/status.ts), so
 * the page never needs to ask again.
 */
export function recomputeBanner(summary: StatusSummary): StatusSummary {
  const active = summary.activeIncidents.filter((i) => !isResolved(i));
  const { indicator, description } = overallStatus(summary.services, active);
  return { ...summary, indicator, description };
}

/**
 * The "Recently resolved" section: incidents resolved while the page was open, then those the
 * snapshot listed (resolved within BEACON_RECENT_DAYS), each once.
 */
export function resolvedIncidents(summary: StatusSummary): PublicIncident[] {
  const live = summary.activeIncidents.filter(isResolved);
  const seen = new Set(live.map((i) => i.id));
  return [...live, ...(summary.recentlyResolved ?? []).filter((i) => !seen.has(i.id))];
}

export interface ServiceGroup<S = Service> {
  name: string | null;
  services: S[];
}

/** Groups services by `group`, keeping the server's order; ungrouped services come first. */
export function groupServices<S extends { group?: string | null } = Service>(
  services: S[],
): ServiceGroup<S>[] {
  const groups: ServiceGroup<S>[] = [];
  const byName = new Map<string | null, ServiceGroup<S>>();
  for (const service of services) {
    const name = service.group?.trim() || null;
    let group = byName.get(name);
    if (!group) {
      group = { name, services: [] };
      byName.set(name, group);
      if (name === null) groups.unshift(group);
      else groups.push(group);
    }
    group.services.push(service);
  }
  return groups;
}

/** The worst status among a group's services (for the group's summary line). */
export function worstStatus(services: Service[]): ServiceStatus {
  let worst: ServiceStatus = ServiceStatus.OPERATIONAL;
  for (const s of services)
    if (SERVICE_STATUS_SEVERITY[s.status] > SERVICE_STATUS_SEVERITY[worst]) worst = s.status;
  return worst;
}
