import { PublicStatus, ServiceStatus, StatusIndicator } from "./vocabulary";

export interface OverallStatus {
  indicator: StatusIndicator;
  description: string;
}

/**
 * The status page headline, with Statuspage semantics. The worst signal wins, from either source:
 *
 *   1. CRITICAL    "Major System Outage"    any service MAJOR_OUTAGE or any active CRITICAL incident
 *   2. MAJOR       "Partial System Outage"  any service PARTIAL_OUTAGE or any active MAJOR incident
 *   3. MINOR       "Minor Service Outage"   any active MINOR incident, or
 *                  "Degraded Performance"   when the only signal is DEGRADED_PERFORMANCE services
 *   4. MAINTENANCE "Service Under Maintenance"  something is under maintenance and nothing is broken
 *   5. NONE        "All Systems Operational"
 *
 * Maintenance ranks below every outage: planned work must never hide an unplanned failure.
 * Callers pass only active incidents; an incident whose public impact is NONE does not count.
 */
export function overallStatus(
  services: readonly { status: ServiceStatus }[],
  activeIncidents: readonly { impact: StatusIndicator }[],
): OverallStatus {
  const service = (s: ServiceStatus) => services.some((x) => x.status === s);
  const incident = (i: StatusIndicator) => activeIncidents.some((x) => x.impact === i);

  if (service(ServiceStatus.MAJOR_OUTAGE) || incident(StatusIndicator.CRITICAL)) {
    return { indicator: StatusIndicator.CRITICAL, description: "Major System Outage" };
  }
  if (service(ServiceStatus.PARTIAL_OUTAGE) || incident(StatusIndicator.MAJOR)) {
    return { indicator: StatusIndicator.MAJOR, description: "Partial System Outage" };
  }
  if (incident(StatusIndicator.MINOR)) {
    return { indicator: StatusIndicator.MINOR, description: "Minor Service Outage" };
  }
  if (service(ServiceStatus.DEGRADED_PERFORMANCE)) {
    return { indicator: StatusIndicator.MINOR, description: "Degraded Performance" };
  }
  if (service(ServiceStatus.UNDER_MAINTENANCE) || incident(StatusIndicator.MAINTENANCE)) {
    return { indicator: StatusIndicator.MAINTENANCE, description: "Service Under Maintenance" };
  }
  return { indicator: StatusIndicator.NONE, description: "All Systems Operational" };
}

const SERVICE_LABELS: Readonly<Record<ServiceStatus, string>> = {
  [ServiceStatus.OPERATIONAL]: "Operational",
  [ServiceStatus.DEGRADED_PERFORMANCE]: "Degraded Performance",
  [ServiceStatus.PARTIAL_OUTAGE]: "Partial Outage",
  [ServiceStatus.MAJOR_OUTAGE]: "Major Outage",
  [ServiceStatus.UNDER_MAINTENANCE]: "Under Maintenance",
};

export function serviceStatusLabel(s: ServiceStatus): string {
  return SERVICE_LABELS[s];
}

const PUBLIC_LABELS: Readonly<Record<PublicStatus, string>> = {
  [PublicStatus.INVESTIGATING]: "Investigating",
  [PublicStatus.IDENTIFIED]: "Identified",
  [PublicStatus.MONITORING]: "Monitoring",
  [PublicStatus.RESOLVED]: "Resolved",
};

export function publicStatusLabel(s: PublicStatus): string {
  return PUBLIC_LABELS[s];
}

/** Severity order of service statuses, least to most severe (maintenance is planned, below any failure). */
const SERVICE_SEVERITY: readonly ServiceStatus[] = [
  ServiceStatus.OPERATIONAL,
  ServiceStatus.UNDER_MAINTENANCE,
  ServiceStatus.DEGRADED_PERFORMANCE,
  ServiceStatus.PARTIAL_OUTAGE,
  ServiceStatus.MAJOR_OUTAGE,
];

/** The status of a group of services (a Statuspage group component): its worst member's. */
export function worstServiceStatus(statuses: readonly ServiceStatus[]): ServiceStatus {
  let worst = ServiceStatus.OPERATIONAL;
  for (const s of statuses) {
    if (SERVICE_SEVERITY.indexOf(s) > SERVICE_SEVERITY.indexOf(worst)) worst = s;
  }
  return worst;
}
