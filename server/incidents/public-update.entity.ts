import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { PublicStatus } from "../domain/vocabulary";

/**
 * A message to end users, shown on the status page. Only these words leave through public fields.
 * Append-only like the timeline (trigger; an admin's redaction may only replace the message with
 * REDACTED_PUBLIC_MESSAGE) and hash-chained per incident by position over the message's digest.
 */
@ObjectType()
@Entity("public_update")
@Index(["incidentId", "at"])
@Index(["incidentId", "position"], { unique: true })
export class PublicUpdate {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid")
  incidentId!: string;

  @Field(() => PublicStatus)
  @Column("text")
  status!: PublicStatus;

  @Field(() => String)
  @Column("text")
  message!: string;

  @Field(() => Date)
  @Column("timestamptz")
  at!: Date;

  @Column("uuid", { nullable: true })
  authorId!: string | null;

  /** When the next update is promised (shown on the card); null: no promise. */
  @Column("timestamptz", { nullable: true })
  nextUpdateBy!: Date | null;

  /** 1, 2, 3 ... per incident: the chain's order. */
  @Column("integer")
  position!: number;

  @Column("text")
  messageDigest!: string;

  @Column("text")
  prevHash!: string;

  @Column("text")
  hash!: string;
}
