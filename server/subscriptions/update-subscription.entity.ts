import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export enum SubscriptionChannel {
  EMAIL = "EMAIL",
  WEBHOOK = "WEBHOOK",
}

/**
 * Someone outside Beacon who wants to hear about public changes: an email address (double opt-in)
 * or a partner's webhook URL. No account: the person manages it through signed links.
 */
@Entity("update_subscription")
@Index("uq_update_subscription_email", ["target"], { unique: true, where: "channel = 'EMAIL'" })
export class UpdateSubscription {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("text")
  channel!: SubscriptionChannel;

  /** Email address (lower-cased) or webhook URL. */
  @Column("text")
  target!: string;

  /** Empty: every service. */
  @Column("uuid", { array: true, default: () => "'{}'" })
  serviceIds!: string[];

  @Column("boolean", { default: false })
  confirmed!: boolean;

  @Column("timestamptz", { nullable: true })
  confirmedAt!: Date | null;

  /** When the last confirmation mail went out (at most one pending confirmation per address). */
  @Column("timestamptz", { nullable: true })
  confirmationSentAt!: Date | null;

  /**
   * Events with seq above this are delivered to it: the seq current when it was confirmed (webhooks:
   * created), so a subscriber never receives what happened before it subscribed.
   */
  @Column("bigint", { nullable: true })
  sinceSeq!: string | null;

  /** Deliveries stop (a failing webhook endpoint); an admin resumes it. */
  @Column("boolean", { default: false })
  paused!: boolean;

  @Column("text", { nullable: true })
  pausedReason!: string | null;

  /** Deliveries that failed for good in a row; reset by a success. */
  @Column("integer", { default: 0 })
  consecutiveFailures!: number;

  /** Standard Webhooks signing secret ("whsec_..."); webhooks only, shown once at creation. */
  @Column("text", { nullable: true })
  secret!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
