import { publicStatusLabel, serviceStatusLabel } from "../domain/status";
import type { PublicStatus, ServiceStatus } from "../domain/vocabulary";
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
export interface PublicEventJson {
  seq: string;
  kind: string;
  payload: {
    service?: EventServiceJson;
    incident?: EventIncidentJson;
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
