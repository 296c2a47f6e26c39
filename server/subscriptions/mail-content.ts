import { MAINTENANCE_STATE_LABELS, type MaintenanceState } from "../domain/maintenance";
import { publicStatusLabel, serviceStatusLabel } from "../domain/status";
import { type PublicStatus, type ServiceStatus, StatusEventKind } from "../domain/vocabulary";
import { escapeHtml } from "../kernel/plain-page";
import type { Mail } from "../mail";

/** Public event payloads as stored in the outbox (JSON: dates are ISO strings). */
export interface EventServiceJson {
  id: string;
  name: string;
  slug: string;
  status: ServiceStatus;
}
export interface EventIncidentJson {
  id: string;
  title: string;
  status: PublicStatus;
  services: EventServiceJson[];
  updates: { id: string; status: PublicStatus; message: string; at: string }[];
  /** The completed review's public text, once published. */
  postmortem?: string | null;
}
export interface EventMaintenanceJson {
  id: string;
  title: string;
  description: string | null;
  state: MaintenanceState;
  services: EventServiceJson[];
  scheduledStart: string;
  scheduledEnd: string;
  /** Newest first. */
  updates: { id: string; state: MaintenanceState; message: string; at: string }[];
}
export interface PublicEventJson {
  seq: string;
  kind: string;
  payload: {
    service?: EventServiceJson;
    incident?: EventIncidentJson;
    maintenance?: EventMaintenanceJson;
    /** MAINTENANCE_REMINDER: minutes before the start. */
    leadMinutes?: number;
    withdrawnIncidentId?: string;
    /** The command that caused it ("completeReview" publishes the postmortem). */
    command?: string;
  };
}

export interface Links {
  publicUrl: string;
  unsubscribeUrl: string;
  manageUrl: string;
}

/**
 * Event kinds mailed to email subscribers (webhooks receive every public event): service status,
 * incident publication / public updates / resolution, and every maintenance announcement including
 * the reminders before a window starts (issue 12: "and (when maintenance exists) maintenance").
 * `updateMail` builds a mail for each of these; a unit test holds the two together.
 */
export const MAILED_KINDS: ReadonlySet<string> = new Set<StatusEventKind>([
  StatusEventKind.SERVICE_STATUS_CHANGED,
  StatusEventKind.INCIDENT_PUBLISHED,
  StatusEventKind.INCIDENT_UPDATED,
  StatusEventKind.INCIDENT_RESOLVED,
  StatusEventKind.MAINTENANCE_SCHEDULED,
  StatusEventKind.MAINTENANCE_UPDATED,
  StatusEventKind.MAINTENANCE_STARTED,
  StatusEventKind.MAINTENANCE_COMPLETED,
  StatusEventKind.MAINTENANCE_CANCELED,
  StatusEventKind.MAINTENANCE_REMINDER,
]);

const MAINTENANCE_HEADLINE: Partial<Record<string, string>> = {
  [StatusEventKind.MAINTENANCE_SCHEDULED]: "Scheduled maintenance",
  [StatusEventKind.MAINTENANCE_UPDATED]: "Maintenance update",
  [StatusEventKind.MAINTENANCE_STARTED]: "Maintenance in progress",
  [StatusEventKind.MAINTENANCE_COMPLETED]: "Maintenance completed",
  [StatusEventKind.MAINTENANCE_CANCELED]: "Maintenance canceled",
};

/** "in 1 day", "in 1 hour 30 minutes" */
export function inMinutes(total: number): string {
  const parts: string[] = [];
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (days) parts.push(unit(days, "day"));
  if (hours) parts.push(unit(hours, "hour"));
  if (minutes || parts.length === 0) parts.push(unit(minutes, "minute"));
  return `in ${parts.join(" ")}`;
}

/** A window's times in words, unambiguous for any reader: UTC, ISO-like. */
const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The update mail for one public event, or null if this kind of event is not mailed. */
export function updateMail(to: string, e: PublicEventJson, links: Links, pageName = "Beacon"): Mail | null {
  let subject: string;
  let lines: string[];
  let link: string;
  if (e.kind === "SERVICE_STATUS_CHANGED" && e.payload.service) {
    const s = e.payload.service;
    subject = `[${pageName}] ${s.name}: ${serviceStatusLabel(s.status)}`;
    lines = [`${s.name} is now: ${serviceStatusLabel(s.status)}.`];
    link = `${links.publicUrl}/`;
  } else if (
    ["INCIDENT_PUBLISHED", "INCIDENT_UPDATED", "INCIDENT_RESOLVED"].includes(e.kind) &&
    e.payload.incident
  ) {
    const i = e.payload.incident;
    const status = publicStatusLabel(i.status);
    const latest = i.updates[0];
    const services = `Affected services: ${i.services.length ? i.services.map((s) => s.name).join(", ") : "none named"}`;
    if (e.payload.command === "completeReview" && i.postmortem) {
      // What changed is the postmortem: that is the news, not the last status update again.
      subject = `[${pageName}] Postmortem: ${i.title}`;
      lines = [`${i.title}`, "Postmortem", "", ...i.postmortem.split("\n"), "", services];
    } else {
      subject = `[${pageName}] ${status}: ${i.title}`;
      lines = [`${i.title}`, `Status: ${status}`, ...(latest ? ["", latest.message] : []), "", services];
    }
    link = `${links.publicUrl}/incidents/${i.id}`;
  } else if (MAILED_KINDS.has(e.kind) && e.kind.startsWith("MAINTENANCE_") && e.payload.maintenance) {
    const w = e.payload.maintenance;
    const headline =
      e.kind === StatusEventKind.MAINTENANCE_REMINDER
        ? `Maintenance starts ${inMinutes(e.payload.leadMinutes ?? 0)}`
        : (MAINTENANCE_HEADLINE[e.kind] ?? "Maintenance");
    const latest = w.updates[0];
    subject = `[${pageName}] ${headline}: ${w.title}`;
    lines = [
      `${w.title}`,
      `Status: ${MAINTENANCE_STATE_LABELS[w.state] ?? w.state}`,
      `Window: ${utc(w.scheduledStart)} to ${utc(w.scheduledEnd)}`,
      ...(w.description ? ["", w.description] : []),
      // A reminder repeats nothing new: the window and what it is for say it all.
      ...(latest && e.kind !== StatusEventKind.MAINTENANCE_REMINDER ? ["", latest.message] : []),
      "",
      `Affected services: ${w.services.length ? w.services.map((s) => s.name).join(", ") : "none named"}`,
    ];
    // The status page announces upcoming and running windows; there is no page per window.
    link = `${links.publicUrl}/`;
  } else {
    return null;
  }
  const footer = [
    "",
    `Details: ${link}`,
    "",
    "--",
    `You receive this because you subscribed to updates from ${pageName}.`,
    `Change what you receive: ${links.manageUrl}`,
    `Unsubscribe: ${links.unsubscribeUrl}`,
  ];
  const text = [...lines, ...footer].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
${lines.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : "")).join("\n")}
<p><a href="${escapeHtml(link)}">View details</a></p>
<hr><p style="color:#666;font-size:12px">You receive this because you subscribed to updates from ${escapeHtml(pageName)}.
<a href="${escapeHtml(links.manageUrl)}">Manage</a> · <a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe</a></p>
</body></html>`;
  return {
    to,
    subject,
    text,
    html,
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
      "List-Unsubscribe": `<${links.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

export function confirmationMail(to: string, confirmUrl: string, pageName = "Beacon"): Mail {
  const text = [
    `Someone (hopefully you) asked to receive status updates from ${pageName} at this address.`,
    "",
    `Confirm your subscription: ${confirmUrl}`,
    "",
    "If you did not ask for this, ignore this mail: nothing will be sent to you.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<p>Someone (hopefully you) asked to receive status updates from ${escapeHtml(pageName)} at this address.</p>
<p><a href="${escapeHtml(confirmUrl)}">Confirm your subscription</a></p>
<p style="color:#666">If you did not ask for this, ignore this mail: nothing will be sent to you.</p>
</body></html>`;
  return { to, subject: `[${pageName}] Confirm your subscription to status updates`, text, html };
}

/** Webhook `type`: the event kind in lower dotted form, e.g. SERVICE_STATUS_CHANGED -> service.status_changed. */
export function webhookType(kind: string): string {
  // split() always yields at least one part; the default only satisfies the index check.
  const [head = "", ...rest] = kind.toLowerCase().split("_");
  return rest.length ? `${head}.${rest.join("_")}` : head;
}
