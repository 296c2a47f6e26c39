import express, { Router } from "express";
import type { Beacon } from "../kernel/context";
import { escapeHtml as esc, tokenForm as form, sendPlainPage, tokenPage } from "../kernel/plain-page";
import { listServices } from "../services";
import * as subs from "./subscription.service";

/**
 * The pages behind the links in subscription mails, server-rendered so they work from any mail
 * client without the web app. GET only shows a page with a button (mail scanners that follow links
 * change nothing); the POST acts. POST /subscriptions/unsubscribe is also the RFC 8058 one-click
 * target of `List-Unsubscribe-Post`. An expired or tampered token gets a clear page, nothing changed:
 * the GET pages check the link first, so nobody presses a button that cannot work.
 */
export function subscriptionPagesRouter(beacon: Beacon): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: "16kb" }));
  const send = sendPlainPage;
  const handle = (fn: Parameters<typeof tokenPage>[1]) => tokenPage(beacon.log, fn);

  router.get(
    "/confirm",
    handle(async (_req, res, token) => {
      subs.linkClaims(beacon, token, "confirm");
      send(
        res,
        200,
        "Confirm your subscription",
        `<p>Press the button to start receiving status updates by email. Every update mail has links to choose services or unsubscribe.</p>${form("/subscriptions/confirm", token, "Confirm subscription")}`,
      );
    }),
  );
  router.post(
    "/confirm",
    handle(async (_req, res, token) => {
      const sub = await subs.confirmSubscription(beacon, token);
      const links = beacon.deliveries.links(sub.id);
      send(
        res,
        200,
        "Subscription confirmed",
        `<p>You will receive status updates at <strong>${esc(sub.target)}</strong>.</p><p><a href="${esc(links.manageUrl)}">Choose services</a> · <a href="${esc(links.unsubscribeUrl)}">Unsubscribe</a></p>`,
        "ok",
      );
    }),
  );
  router.get(
    "/unsubscribe",
    handle(async (_req, res, token) => {
      subs.linkClaims(beacon, token, "unsubscribe");
      send(
        res,
        200,
        "Unsubscribe",
        `<p>Press the button to stop receiving status updates by email.</p>${form("/subscriptions/unsubscribe", token, "Unsubscribe")}`,
      );
    }),
  );
  router.post(
    "/unsubscribe",
    handle(async (_req, res, token) => {
      await subs.unsubscribe(beacon, token);
      send(
        res,
        200,
        "Unsubscribed",
        '<p>You will not receive any more status updates. Changed your mind? Use "Get updates" on the status page.</p>',
        "ok",
      );
    }),
  );
  router.get(
    "/manage",
    handle(async (_req, res, token) => {
      const sub = await subs.subscriptionOfManageToken(beacon, token);
      if (!sub) {
        send(res, 200, "Not subscribed", "<p>This address is not subscribed any more.</p>");
        return;
      }
      const services = await listServices(beacon.db.manager);
      // Grouped as on the status page: ungrouped services first, then each group in order.
      const groups = new Map<string, typeof services>();
      for (const s of services) {
        const name = s.group?.trim() || "";
        groups.set(name, [...(groups.get(name) ?? []), s]);
      }
      const ordered = [...groups].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : 0));
      const boxes = ordered
        .map(
          ([name, list]) =>
            `<fieldset><legend>${esc(name || "Services")}</legend>${list
              .map(
                (s) =>
                  `<label><input type="checkbox" name="serviceIds" value="${esc(s.id)}"${sub.serviceIds.includes(s.id) ? " checked" : ""}>${esc(s.name)}</label>`,
              )
              .join("")}</fieldset>`,
        )
        .join("");
      send(
        res,
        200,
        "Your subscription",
        `<p>Updates go to <strong>${esc(sub.target)}</strong>${sub.serviceIds.length === 0 ? ", for every service" : ""}.</p><p class="muted">Check the services you want updates about; with none checked you get every service.</p>${form("/subscriptions/manage", token, "Save", boxes)}<p><a href="/subscriptions/unsubscribe?token=${encodeURIComponent(token)}">Unsubscribe</a></p>`,
      );
    }),
  );
  router.post(
    "/manage",
    handle(async (req, res, token) => {
      const raw = (req.body as { serviceIds?: string | string[] }).serviceIds;
      const ids = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      await subs.setServicesByManageToken(beacon, token, ids);
      send(
        res,
        200,
        "Saved",
        `<p>Your choice is saved${ids.length === 0 ? ": you get updates for every service" : ""}.</p><p><a href="/subscriptions/manage?token=${encodeURIComponent(token)}">Change it again</a></p>`,
        "ok",
      );
    }),
  );
  return router;
}
