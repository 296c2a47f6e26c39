import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";

/** Only ordinary public unicast addresses may receive webhooks (server-side request forgery). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

export class UnsafeUrlError extends Error {}

/** Refuses URLs that are not http(s), or whose host resolves to a loopback/private/link-local address. */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError("webhookUrl is not a URL; give an absolute http:// or https:// address.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UnsafeUrlError("webhookUrl must start with http:// or https://.");
  }
  if (url.username || url.password) {
    throw new UnsafeUrlError(
      "webhookUrl must not carry a user name or password; authenticate with the signature.",
    );
  }
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host)
      ? [host]
      : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new UnsafeUrlError(`webhookUrl's host "${host}" does not resolve; check the address.`);
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
    throw new UnsafeUrlError(
      `webhookUrl's host "${host}" is a loopback, private or link-local address; use a public address (or set BEACON_WEBHOOK_ALLOW_PRIVATE=1 on a private network).`,
    );
  }
  return url;
}

/**
 * The address check again at connect time, inside the socket's own DNS lookup, so a name that
 * resolved to a public address at registration cannot be re-pointed at an internal one later.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 4);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    const first = list[0];
    if (bad || !first) {
      return callback(
        new UnsafeUrlError(`refused: ${hostname} resolves to ${bad?.address ?? "nothing"}`),
        "",
        4,
      );
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, first.address, first.family);
  });
};

export interface WebhookResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

/**
 * POSTs a Standard Webhooks message: `webhook-id` (the delivery id, the same on every retry),
 * `webhook-timestamp` and `webhook-signature` from the `standardwebhooks` library. A receiver that
 * does not answer within `timeoutMs` is cut off.
 */
export async function postWebhook(opts: {
  url: string;
  secret: string;
  msgId: string;
  body: string;
  now: Date;
  timeoutMs: number;
  allowPrivate: boolean;
}): Promise<WebhookResult> {
  const started = performance.now();
  const signature = new Webhook(opts.secret).sign(opts.msgId, opts.now, opts.body);
  const url = new URL(opts.url);
  const lib = url.protocol === "https:" ? https : http;
  return new Promise<WebhookResult>((resolve) => {
    const done = (r: Omit<WebhookResult, "latencyMs">) =>
      resolve({ ...r, latencyMs: Math.round(performance.now() - started) });
    const req = lib.request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Beacon-Webhooks/1",
          "webhook-id": opts.msgId,
          "webhook-timestamp": String(Math.floor(opts.now.getTime() / 1000)),
          "webhook-signature": signature,
        },
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup }),
        signal: AbortSignal.timeout(opts.timeoutMs),
        agent: false,
      },
      (res) => {
        // The body is not needed; drain it so the socket closes.
        res.resume();
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          const ok = code >= 200 && code < 300;
          done({ ok, statusCode: code, error: ok ? null : `receiver answered HTTP ${code}` });
        });
        res.on("error", (e) => done({ ok: false, statusCode: res.statusCode ?? null, error: e.message }));
      },
    );
    req.on("error", (e) => {
      const timedOut = e.name === "AbortError" || e.name === "TimeoutError";
      done({
        ok: false,
        statusCode: null,
        error: timedOut ? `no answer within ${opts.timeoutMs} ms (timed out)` : e.message,
      });
    });
    req.end(opts.body);
  });
}
