import http from "node:http";
import { Webhook } from "standardwebhooks";

/** What a receiver does with one request: answer this status (after delayMs), or never answer. */
export type Plan = number | "hang" | { status: number; delayMs: number };

export interface Received {
  path: string;
  /** The `webhook-id` header ("(no webhook-id)" if missing: never equal to a real one). */
  id: string;
  body: string;
  headers: Record<string, string>;
  /** The status answered; 0 while unanswered or cut off. */
  answered: number;
  /** The sender closed the connection before an answer (its timeout, or it died). */
  cutOff: boolean;
}

/**
 * A real HTTP receiver on loopback, as a partner would write one: it verifies each request's
 * Standard Webhooks signature with the `standardwebhooks` library (once the path's secret is
 * known), answers per its plan, and de-duplicates by `webhook-id`: the first 2xx answer for an id
 * accepts the message, later copies are answered 2xx too but counted as duplicates.
 */
export class WebhookReceiver {
  readonly got: Received[] = [];
  readonly plans = new Map<string, (attempt: number) => Plan>();
  /** Accepted messages by webhook-id. */
  readonly accepted = new Map<string, { path: string; body: string }>();
  duplicates = 0;
  badSignatures = 0;
  private readonly verifiers = new Map<string, Webhook>();
  private readonly server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const path = req.url ?? "/";
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const id = headers["webhook-id"] ?? "(no webhook-id)";
      const attempt = this.got.filter((g) => g.path === path && g.id === id).length;
      const r: Received = { path, id, body, headers, answered: 0, cutOff: false };
      this.got.push(r);
      const verifier = this.verifiers.get(path);
      if (verifier) {
        try {
          verifier.verify(body, headers);
        } catch {
          this.badSignatures++;
          r.answered = 400;
          res.writeHead(400).end();
          return;
        }
      }
      res.on("close", () => {
        if (!res.writableFinished) r.cutOff = true;
      });
      const plan = this.plans.get(path)?.(attempt) ?? 200;
      if (plan === "hang") return;
      const { status, delayMs } = typeof plan === "number" ? { status: plan, delayMs: 0 } : plan;
      const answer = () => {
        if (res.destroyed) return;
        if (status >= 200 && status < 300) {
          if (this.accepted.has(id)) this.duplicates++;
          else this.accepted.set(id, { path, body });
        }
        r.answered = status;
        res.writeHead(status).end();
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** From now on requests to `path` must carry a valid signature with this secret. */
  verifyWith(path: string, secret: string): void {
    this.verifiers.set(path, new Webhook(secret));
  }

  at(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }

  /** Accepted messages at `path`, parsed. */
  acceptedAt(path: string): { id: string; seq: string; type: string }[] {
    return [...this.accepted]
      .filter(([, a]) => a.path === path)
      .map(([id, a]) => {
        const body = JSON.parse(a.body) as { seq: string; type: string };
        return { id, seq: body.seq, type: body.type };
      });
  }

  async waitFor(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) {
        const summary = [...new Set(this.got.map((g) => g.path))].map(
          (p) => `${p}: ${this.at(p).length} requests, ${this.acceptedAt(p).length} accepted`,
        );
        throw new Error(`receiver: timed out waiting for ${what} (${summary.join("; ")})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}
