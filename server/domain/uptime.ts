import { coveredMs } from "./maintenance";
import { ServiceStatus } from "./vocabulary";

/**
 * Per-day uptime of a service from its recorded status history, the way Statuspage counts it:
 * a major outage is downtime, a partial outage counts 30%, degraded performance and planned
 * maintenance are not downtime. Days are UTC days, so every viewer sees the same bars.
 */
export interface StatusChange {
  at: Date;
  status: ServiceStatus;
}

export interface UptimeDay {
  /** "YYYY-MM-DD" (UTC). */
  date: string;
  /** False for days before the service existed; such days report 100% and OPERATIONAL. */
  hasData: boolean;
  uptimePercent: number;
  worstStatus: ServiceStatus;
  downtimeMinutes: number;
  /** Minutes of scheduled maintenance that day (excluded from the uptime when windows are given). */
  maintenanceMinutes: number;
}

/** A maintenance window as epoch milliseconds [from, to). */
export interface ExcludedRange {
  from: number;
  to: number;
}

export const DOWNTIME_WEIGHT: Readonly<Record<ServiceStatus, number>> = {
  [ServiceStatus.OPERATIONAL]: 0,
  [ServiceStatus.UNDER_MAINTENANCE]: 0,
  [ServiceStatus.DEGRADED_PERFORMANCE]: 0,
  [ServiceStatus.PARTIAL_OUTAGE]: 0.3,
  [ServiceStatus.MAJOR_OUTAGE]: 1,
};

export const SEVERITY: Readonly<Record<ServiceStatus, number>> = {
  [ServiceStatus.OPERATIONAL]: 0,
  [ServiceStatus.UNDER_MAINTENANCE]: 1,
  [ServiceStatus.DEGRADED_PERFORMANCE]: 2,
  [ServiceStatus.PARTIAL_OUTAGE]: 3,
  [ServiceStatus.MAJOR_OUTAGE]: 4,
};

const DAY = 86_400_000;

/** Midnight (UTC) of the day `at` falls in, epoch ms. */
export const dayStartOf = (at: number) => Math.floor(at / DAY) * DAY;
export const dateOf = (dayStart: number) => new Date(dayStart).toISOString().slice(0, 10);
export const DAY_MS = DAY;

/**
 * One day's bar: the day [dayStart, dayStart + 1 day) observed up to `until` (the end of the day,
 * or now for today). `sorted` is the whole status history, oldest first. Used for today on every
 * read and, once, for each finished day stored as a rollup (services/uptime-rollup.ts).
 */
export function dayBar(
  sorted: readonly StatusChange[],
  dayStart: number,
  until: number,
  maintenance: readonly ExcludedRange[] = [],
): UptimeDay {
  const dayEnd = Math.min(dayStart + DAY, until);
  const date = dateOf(dayStart);
  const created = sorted[0]?.at.getTime();
  if (created === undefined || created >= dayEnd) {
    return {
      date,
      hasData: false,
      uptimePercent: 100,
      worstStatus: ServiceStatus.OPERATIONAL,
      downtimeMinutes: 0,
      maintenanceMinutes: 0,
    };
  }
  let downtimeMs = 0;
  let worst = ServiceStatus.OPERATIONAL;
  const observedFrom = Math.max(dayStart, created);
  for (const [k, change] of sorted.entries()) {
    const from = Math.max(change.at.getTime(), observedFrom);
    const to = Math.min(sorted[k + 1]?.at.getTime() ?? Number.POSITIVE_INFINITY, dayEnd);
    if (to <= from) continue;
    const status = change.status;
    const counted = to - from - coveredMs(maintenance, from, to);
    downtimeMs += counted * DOWNTIME_WEIGHT[status];
    // A status held only inside maintenance does not colour the day as an outage.
    if ((counted > 0 || status === ServiceStatus.UNDER_MAINTENANCE) && SEVERITY[status] > SEVERITY[worst]) {
      worst = status;
    }
  }
  const inMaintenance = coveredMs(maintenance, observedFrom, dayEnd);
  const observed = dayEnd - observedFrom - inMaintenance;
  const uptime = observed > 0 ? 100 * (1 - downtimeMs / observed) : 100;
  return {
    date,
    hasData: true,
    uptimePercent: Math.round(uptime * 100) / 100,
    worstStatus: worst,
    downtimeMinutes: Math.round(downtimeMs / 60_000),
    maintenanceMinutes: Math.round(inMaintenance / 60_000),
  };
}

/**
 * `history` is every status the service has had, oldest first, starting with its creation.
 * Returns `days` entries, oldest first, the last one being today (counted up to `now`).
 */
export function uptimeDays(
  history: readonly StatusChange[],
  now: Date,
  days: number,
  /** Maintenance windows: their time counts neither as up nor as down (and marks the day). */
  maintenance: readonly ExcludedRange[] = [],
): UptimeDay[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError("days must be a positive whole number");
  const todayStart = dayStartOf(now.getTime());
  const sorted = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: UptimeDay[] = [];
  for (let i = days - 1; i >= 0; i--)
    out.push(dayBar(sorted, todayStart - i * DAY, now.getTime(), maintenance));
  return out;
}

/** Overall uptime across the days that have data (time-weighted by day, as the bars show it). */
export function overallUptime(days: readonly UptimeDay[]): number | null {
  const withData = days.filter((d) => d.hasData);
  if (withData.length === 0) return null;
  const avg = withData.reduce((sum, d) => sum + d.uptimePercent, 0) / withData.length;
  return Math.round(avg * 100) / 100;
}
