import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export enum DeliveryState {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  /** Every retry failed: visible to admins, who can retry it. */
  FAILED = "FAILED",
  /** Not sent: the subscription was removed or paused before its turn. */
  SKIPPED = "SKIPPED",
}

/**
 * One event for one subscription. Its id is the Standard Webhooks `webhook-id`, the same on every
 * retry so receivers can de-duplicate. Unique per (subscription, event): the outbox consumer may
 * run again over the same events after a crash and still creates one.
 */
@Entity("delivery")
@Index("uq_delivery_event", ["subscriptionId", "eventSeq"], { unique: true, where: "test = false" })
export class Delivery {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Index()
  @Column("uuid")
  subscriptionId!: string;

  @Column("bigint")
  eventSeq!: string;

  /** A "send test event" delivery (not from the outbox). */
  @Column("boolean", { default: false })
  test!: boolean;

  @Column("text")
  state!: DeliveryState;

  @Column("integer", { default: 0 })
  attempts!: number;

  @Column("integer", { nullable: true })
  lastStatusCode!: number | null;

  @Column("text", { nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Column("timestamptz", { nullable: true })
  finishedAt!: Date | null;
}

/** One try of a delivery: the delivery log. */
@Entity("delivery_attempt")
export class DeliveryAttempt {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Index()
  @Column("uuid")
  deliveryId!: string;

  @Column("integer")
  attempt!: number;

  @Column("integer", { nullable: true })
  statusCode!: number | null;

  @Column("boolean")
  ok!: boolean;

  @Column("text", { nullable: true })
  error!: string | null;

  @Column("integer")
  latencyMs!: number;

  @Column("timestamptz")
  at!: Date;
}
