import express, { Router } from "express";
import type { Beacon } from "../kernel/context";
import { escapeHtml as esc, sendPlainPage as send, tokenForm, tokenPage } from "../kernel/plain-page";
import { confirmResolutionAsRequester, requesterConfirmationOf } from "./commands/requester-confirmation";

/**
 * The page behind the link mailed to an incident's requester: GET shows what is confirmed and a
 * button (a mail scanner following the link confirms nothing); POST confirms, once.
 */
export function requesterPagesRouter(beacon: Beacon): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: "16kb" }));
  const action = "/incidents/confirm-resolution";

  router.get(
    "/confirm-resolution",
    tokenPage(beacon.log, async (_req, res, token) => {
      const c = await requesterConfirmationOf(beacon, token);
      if (c.confirmed) {
        send(
          res,
          200,
          "Already confirmed",
          `<p>Thank you, ${esc(c.requesterName)}: ${esc(c.number)} is confirmed.</p>`,
        );
        return;
      }
      const note =
        '<label for="note">Anything to add? (optional)</label><textarea id="note" name="note" rows="3" maxlength="2000"></textarea>';
      send(
        res,
        200,
        `Is ${c.number} resolved for you?`,
        `<p>${esc(c.requesterName)}, the team resolved the incident you reported: <strong>${esc(c.title)}</strong>.</p>` +
          `<p>If everything works for you again, please confirm. If not, reply to the mail instead.</p>${tokenForm(action, token, "Yes, it is resolved", note)}`,
      );
    }),
  );
  router.post(
    "/confirm-resolution",
    tokenPage(beacon.log, async (req, res, token) => {
      const note = (req.body as { note?: unknown } | undefined)?.note;
      await confirmResolutionAsRequester(beacon, token, typeof note === "string" ? note : null);
      send(
        res,
        200,
        "Thank you",
        "<p>Your confirmation is recorded. The team can now close the incident.</p>",
      );
    }),
  );
  return router;
}
