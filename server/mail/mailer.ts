import nodemailer, { type Transporter } from "nodemailer";
import type { DataSource, EntityManager } from "typeorm";
import type { BeaconConfig } from "../kernel/config";
import type { Logger } from "../kernel/log";
import { OutgoingMail } from "./outgoing-mail.entity";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** e.g. List-Unsubscribe / List-Unsubscribe-Post. */
  headers?: Record<string, string>;
  /** A stable Message-ID (`<id@host>`): a copy sent again after a crash is recognisably the same mail. */
  messageId?: string;
}

/**
 * Sends mail with nodemailer over SMTP_URL. Without SMTP_URL (the embedded default) every mail is
 * kept in the `outgoing_mail` table instead, which admins read in the war room (`outgoingMail`).
 * Callers are delivery jobs, never a writing transaction: a mail is never sent for a change that
 * did not commit.
 */
export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    private readonly config: BeaconConfig,
    private readonly db: DataSource,
    private readonly log: Logger,
  ) {
    // Pooled: thousands of update mails share a few SMTP connections instead of one each. The
    // timeouts keep a relay that stops answering from holding a delivery job until it expires.
    this.transport = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          pool: true,
          maxConnections: 5,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
        })
      : null;
  }

  get usesSmtp(): boolean {
    return this.transport !== null;
  }

  async send(mail: Mail, manager?: EntityManager): Promise<void> {
    if (!this.transport) {
      const m = manager ?? this.db.manager;
      await m.insert(OutgoingMail, {
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? null,
        headers: { ...mail.headers, ...(mail.messageId ? { "Message-ID": mail.messageId } : {}) },
        sent: false,
      });
      return;
    }
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: mail.headers,
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
    });
    this.log.debug({ to: mail.to, messageId: info.messageId }, "mail sent");
  }

  close(): void {
    this.transport?.close();
  }
}
