import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

/**
 * One thing a user was told (docs/notifications.md). Written only by `notifyUsers`, inside the
 * transaction of the command that caused it; the user marks it read. `seq` is the outbox event that
 * announced it, so `notificationAdded(since:)` resumes exactly.
 */
@ObjectType({ description: "Something the signed-in user was told (the war room's bell)." })
@Entity("notification")
@Index(["userId", "createdAt"])
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid")
  userId!: string;

  @Field(() => String, { description: "QUEUE_ASSIGNED, MAJOR_INCIDENT, INCIDENT_COMMANDER, ..." })
  @Column("text")
  kind!: string;

  @Field(() => String)
  @Column("text")
  title!: string;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  body!: string | null;

  @Column("uuid", { nullable: true })
  incidentId!: string | null;

  @Column("timestamptz", { nullable: true })
  readAt!: Date | null;

  @Field(() => Date, { name: "at", description: "When it was raised." })
  @Column("timestamptz")
  createdAt!: Date;

  @Field(() => String, {
    description: "The outbox seq that announced it: notificationAdded(since: <seq>) resumes after it.",
  })
  @Column("bigint")
  seq!: string;

  /** Set when the email copy was sent (or kept in the local outbox): a retried job sends none. */
  @Column("timestamptz", { nullable: true })
  emailedAt!: Date | null;
}

/** A user's channels. No row: the defaults (in-app always, email on for every kind). */
@Entity("notification_preference")
export class NotificationPreference {
  @PrimaryColumn("uuid")
  userId!: string;

  @Column("boolean", { default: true })
  email!: boolean;

  /** Kinds whose email copy is off (the in-app notification still comes). */
  @Column("text", { array: true, default: () => "'{}'" })
  mutedEmailKinds!: string[];

  @Column("timestamptz")
  updatedAt!: Date;
}
