import { createHash } from "node:crypto";
import { worstServiceStatus } from "../domain/status";
import type { ServiceStatus, StatusIndicator } from "../domain/vocabulary";
import type { PublicIncidentView } from "../incidents";
import type { MaintenanceView } from "../maintenance";
import type { PublicServiceView } from "../services";

/**
 * Beacon's public projection in the shapes of Atlassian Statuspage's public API v2
 * (`/api/v2/*.json`), field for field, so existing widgets, monitors and aggregators work unchanged.
 * Pure functions of the public views; `test/integration/statuspage-v2.test.ts` holds every body
 * against a recorded Statuspage example's field set.
 */

export interface PageInfo {
  name: string;
  url: string;
  timeZone: string;
  updatedAt: Date;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const lower = (s: string) => s.toLowerCase();
export const PAGE_ID = "beacon";

export function page(p: PageInfo) {
  return { id: PAGE_ID, name: p.name, url: p.url, time_zone: p.timeZone, updated_at: iso(p.updatedAt) };
}

export function status(s: { indicator: StatusIndicator; description: string }) {
  return { indicator: lower(s.indicator), description: s.description };
}

/** Statuspage ids groups like components; Beacon's group is a name, so its id is derived from it. */
export function groupId(name: string): string {
  const h = createHash("sha1").update(`group:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function component(s: PublicServiceView) {
  return {
    id: s.id,
    name: s.name,
    status: lower(s.status),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    position: s.position,
    description: s.description,
    showcase: true,
    start_date: null,
    group_id: s.group ? groupId(s.group) : null,
    page_id: PAGE_ID,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Components as Statuspage models groups: a group component (`group: true`, `components: [ids]`) per group. */
export function components(services: PublicServiceView[]) {
  const out: Record<string, unknown>[] = [];
  const groups = new Map<string, PublicServiceView[]>();
  for (const s of services) {
    if (s.group) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  }
  const seen = new Set<string>();
  for (const s of services) {
    if (s.group && !seen.has(s.group)) {
      seen.add(s.group);
      const members = groups.get(s.group)!;
      out.push({
        id: groupId(s.group),
        name: s.group,
        status: lower(worstServiceStatus(members.map((m) => m.status as ServiceStatus))),
        created_at: iso(new Date(Math.min(...members.map((m) => m.createdAt.getTime())))),
        updated_at: iso(new Date(Math.max(...members.map((m) => m.updatedAt.getTime())))),
        position: Math.min(...members.map((m) => m.position)),
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: PAGE_ID,
        group: true,
        only_show_if_degraded: false,
        components: members.map((m) => m.id),
      });
    }
    out.push(component(s));
  }
  return out;
}

export function incident(i: PublicIncidentView, publicUrl: string) {
  const updates = i.updates; // newest first, as Statuspage lists them
  const monitoring = [...updates].reverse().find((u) => u.status === "MONITORING");
  const latest = updates[0]?.at ?? i.startedAt;
  return {
    id: i.id,
    name: i.title,
    status: lower(i.status),
    created_at: iso(i.startedAt),
    updated_at: iso(i.resolvedAt && i.resolvedAt > latest ? i.resolvedAt : latest),
    monitoring_at: iso(monitoring?.at),
    resolved_at: iso(i.resolvedAt),
    impact: lower(i.impact) === "maintenance" ? "none" : lower(i.impact),
    shortlink: `${publicUrl}/incidents/${i.id}`,
    started_at: iso(i.startedAt),
    page_id: PAGE_ID,
    incident_updates: updates.map((u) => ({
      id: u.id,
      status: lower(u.status),
      body: u.message,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: i.services.map(component),
  };
}

/** Statuspage has no cancelled maintenance: a cancelled window ends as `completed`, its last update saying why. */
const maintenanceStatus = (state: string) => (state === "CANCELED" ? "completed" : lower(state));

export function scheduledMaintenance(w: MaintenanceView, publicUrl: string) {
  const verifying = [...w.updates].reverse().find((u) => u.state === "VERIFYING");
  return {
    id: w.id,
    name: w.title,
    status: maintenanceStatus(w.state),
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
    monitoring_at: iso(verifying?.at),
    resolved_at: iso(w.completedAt ?? w.canceledAt),
    impact: "maintenance",
    shortlink: `${publicUrl}/#maintenance-${w.id}`,
    started_at: iso(w.startedAt ?? w.createdAt),
    page_id: PAGE_ID,
    incident_updates: w.updates.map((u) => ({
      id: u.id,
      status: maintenanceStatus(u.state),
      body: u.message,
      incident_id: w.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: w.services.map(component),
    scheduled_for: iso(w.scheduledStart),
    scheduled_until: iso(w.scheduledEnd),
  };
}
