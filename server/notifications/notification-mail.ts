import { NOTIFICATION_KIND_LABELS } from "../domain/notify";
import { escapeHtml } from "../kernel/plain-page";
import type { Mail } from "../mail";

/** The link a notification opens: the incident's war room, else the war room. */
export function notificationLink(publicUrl: string, incidentId: string | null): string {
  return incidentId
    ? `${publicUrl}/war-room/incidents/${encodeURIComponent(incidentId)}`
    : `${publicUrl}/war-room`;
}

/** The email copy of one notification: plain text and HTML, the link to the room, how to stop them. */
export function notificationMail(
  to: { email: string; name: string },
  n: { kind: string; title: string; body: string | null; incidentId: string | null },
  publicUrl: string,
  incidentSeqNumber: number | null,
): Mail {
  const link = notificationLink(publicUrl, n.incidentId);
  const reference = incidentSeqNumber !== null ? `INC-${String(incidentSeqNumber).padStart(6, "0")}` : null;
  const open = reference ? `Open ${reference} in the war room` : "Open the war room";
  const why = NOTIFICATION_KIND_LABELS[n.kind];
  const settings = `${publicUrl}/war-room`;
  const footer =
    `You get this because ${why ? `of your setting "${why}"` : "you are a Beacon responder"}. ` +
    "Choose which notifications reach you by email in the war room: the bell in the header, then Email settings.";
  const text = [
    `Hello ${to.name},`,
    "",
    n.title,
    ...(n.body ? ["", n.body] : []),
    "",
    `${open}: ${link}`,
    "",
    "--",
    footer,
    settings,
    "",
  ].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(to.name)},</p>`,
    `<p><strong>${escapeHtml(n.title)}</strong></p>`,
    ...(n.body ? [`<p>${escapeHtml(n.body).replace(/\n/g, "<br>")}</p>`] : []),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(open)}</a></p>`,
    `<hr><p style="color:#555;font-size:12px">${escapeHtml(footer)} <a href="${escapeHtml(settings)}">Notification settings</a></p>`,
  ].join("\n");
  return { to: to.email, subject: `[Beacon] ${n.title}`, text, html };
}
