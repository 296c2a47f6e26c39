import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A real SMTP server on loopback for tests: every mail is parsed with mailparser and kept. */
export class MailSink {
  readonly mails: ParsedMail[] = [];
  private server: SMTPServer;
  port = 0;
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.mails.push(mail);
            for (const w of this.waiters.splice(0)) w();
            callback();
          })
          .catch((e: Error) => callback(e));
      },
    });
  }

  /** Connection errors (a sender killed mid-mail resets its connection): kept, not thrown. */
  readonly errors: Error[] = [];

  async start(): Promise<string> {
    this.server.on("error", (e: Error) => this.errors.push(e));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ParsedMail[] {
    return this.mails.filter((m) =>
      (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)),
    );
  }

  /** Resolves with the mails to `address` once there are at least n. */
  async waitFor(address: string, n: number, timeoutMs = 15_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < n) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `expected ${n} mails to ${address}, got ${this.to(address).length}: ${this.to(address)
            .map((m) => m.subject)
            .join(" | ")}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.to(address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first URL in a text that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string {
  const m = text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\S+`));
  if (!m) throw new Error(`no link starting with ${prefix} in:\n${text}`);
  return m[0];
}
