import type { Request, Response } from "express";
import { GraphQLError } from "graphql";
import type { Logger } from "./log";

// Small server-rendered pages behind links in mails (subscriptions, a requester's confirmation):
// they must work from any mail client, without the web app or JavaScript.

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** The pages' one style block: the Content-Security-Policy allows exactly this text by its hash. */
export const PLAIN_PAGE_CSS =
  "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}\n" +
  "button{font:inherit;padding:.5rem 1rem;cursor:pointer}label{display:block;margin:.25rem 0}textarea{width:100%;font:inherit}";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Beacon</title>
<style>${PLAIN_PAGE_CSS}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}<p><a href="/">Back to the status page</a></p></main></body></html>`;
}

/** Sends one page; `body` is HTML the caller has escaped. Never cached, never leaks the token as referrer. */
export function sendPlainPage(res: Response, status: number, title: string, body: string): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.status(status).type("html").send(page(title, body));
}

/** A form that POSTs back to `action` with the token (GET only shows it: mail scanners change nothing). */
export const tokenForm = (action: string, token: string, label: string, extra = "") =>
  `<form method="post" action="${action}?token=${encodeURIComponent(token)}">${extra}<button type="submit">${escapeHtml(label)}</button></form>`;

const tokenOf = (req: Request) =>
  String(req.query.token ?? (req.body as { token?: string } | undefined)?.token ?? "");

/**
 * An Express handler for a page behind a signed link: hands `fn` the token; a refusal (a tampered
 * or expired link, a state that moved on) becomes a page with its message, anything else a generic
 * page and an error log. Nothing is half done: `fn` acts through one command.
 */
export const tokenPage =
  (log: Logger, fn: (req: Request, res: Response, token: string) => Promise<void>) =>
  async (req: Request, res: Response) => {
    try {
      await fn(req, res, tokenOf(req));
    } catch (e) {
      if (e instanceof GraphQLError) {
        sendPlainPage(res, 400, "This link does not work", `<p>${escapeHtml(e.message)}</p>`);
        return;
      }
      log.error({ err: e, path: req.path }, "link page failed");
      sendPlainPage(res, 500, "Something went wrong", "<p>Please try again in a minute.</p>");
    }
  };
