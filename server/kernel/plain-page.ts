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

/**
 * The pages' one style block: the Content-Security-Policy allows exactly this text by its hash. It
 * follows the status page's look (web/src/styles.css: colours, brand mark, cards, buttons, dark mode).
 */
export const PLAIN_PAGE_CSS = [
  ":root{color-scheme:light dark;--bg:#f6f7f9;--surface:#fff;--text:#1b1f24;--muted:#5b6471;--border:#e3e6eb;--border-strong:#cfd4dc;--link:#1f5cc4;--focus:#2f6fde;--brand:#1a7f4b;--ok-bg:#e8f5ee;--ok:#145c37;--err-bg:#fdebec;--err:#8a1c22;--primary:#1f2937;--on-primary:#fff}",
  "@media (prefers-color-scheme:dark){:root{--bg:#0f1318;--surface:#171c23;--text:#e6e9ee;--muted:#a3acb9;--border:#2a313b;--border-strong:#3d4652;--link:#8dbbff;--focus:#7fb0ff;--brand:#4cc38a;--ok-bg:#10291d;--ok:#8fe0b6;--err-bg:#361417;--err:#ffb8bc;--primary:#e6e9ee;--on-primary:#0f1318}}",
  "*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
  "a{color:var(--link)}:focus-visible{outline:2px solid var(--focus);outline-offset:2px}",
  ".top{background:var(--surface);border-bottom:1px solid var(--border)}.wrap{max-width:40rem;margin:0 auto;padding:0 1rem}",
  ".brand{display:inline-flex;align-items:center;gap:.5rem;min-height:60px;font-weight:750;font-size:1.1rem;color:var(--text);text-decoration:none}",
  ".mark{width:18px;height:18px;border-radius:50%;background:radial-gradient(circle at 35% 35%,#3ccf85,var(--brand));box-shadow:0 0 0 4px var(--ok-bg)}.sub{font-weight:450;color:var(--muted)}",
  ".card{background:var(--surface);border:1px solid var(--border);border-radius:10px;padding:1.25rem 1.5rem;margin:2rem 0 1rem;box-shadow:0 1px 3px rgba(16,24,40,.06)}",
  "h1{font-size:1.35rem;margin:0 0 .5rem}.ok{border-left:4px solid var(--brand)}.bad{border-left:4px solid var(--err)}",
  "button{font:inherit;font-weight:550;min-height:38px;padding:.45rem 1rem;border-radius:8px;border:1px solid var(--primary);background:var(--primary);color:var(--on-primary);cursor:pointer;margin-top:.75rem}",
  "fieldset{border:1px solid var(--border);border-radius:8px;margin:.75rem 0;padding:.4rem .9rem .6rem}legend{font-size:.85rem;font-weight:600;color:var(--muted);padding:0 .25rem}",
  "label{display:block;margin:.3rem 0}input[type=checkbox]{width:16px;height:16px;margin-right:.45rem;vertical-align:-2px}",
  "textarea{width:100%;font:inherit;color:inherit;background:var(--surface);border:1px solid var(--border-strong);border-radius:8px;padding:.5rem}",
  ".muted{color:var(--muted);font-size:.9rem}.back{font-size:.9rem}",
].join("\n");

/** `tone`: "ok" (done), "bad" (refused) or none; the card's left edge says it at a glance. */
function page(title: string, body: string, tone?: "ok" | "bad"): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Beacon</title>
<style>${PLAIN_PAGE_CSS}</style></head>
<body><header class="top"><div class="wrap"><a class="brand" href="/" aria-label="Beacon status, home"><span class="mark" aria-hidden="true"></span>Beacon <span class="sub">Status</span></a></div></header>
<main class="wrap"><div class="card${tone ? ` ${tone}` : ""}"><h1>${escapeHtml(title)}</h1>${body}</div><p class="back"><a href="/">Back to the status page</a></p></main></body></html>`;
}

/** Sends one page; `body` is HTML the caller has escaped. Never cached, never leaks the token as referrer. */
export function sendPlainPage(
  res: Response,
  status: number,
  title: string,
  body: string,
  tone?: "ok" | "bad",
): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res
    .status(status)
    .type("html")
    .send(page(title, body, tone ?? (status >= 400 ? "bad" : undefined)));
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
