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
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
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
        headers: mail.headers ?? {},
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
    });
    this.log.debug({ to: mail.to, messageId: info.messageId }, "mail sent");
  }

  close(): void {
    this.transport?.close();
  }
}
