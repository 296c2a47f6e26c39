import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { TimelineKind } from "../domain/vocabulary";

/**
 * One documented interaction on an incident. Append-only, ordered by seq: the database refuses
 * UPDATE, DELETE and TRUNCATE (trigger in the migrations) except an admin's redaction, which may
 * only empty `body`. Each row is hash-chained to the previous one of its incident over the body's
 * digest (server/timeline/chain.ts), and the unique (incident, prevHash) keeps the chain a line.
 * Write it only through appendTimelineEntry.
 */
@ObjectType()
@Entity("timeline_entry")
@Index(["incidentId", "seq"])
@Index(["incidentId", "prevHash"], { unique: true })
export class TimelineEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid")
  incidentId!: string;

  /** The outbox seq of the event that added this entry. */
  @Field(() => String)
  @Column("bigint")
  seq!: string;

  @Field(() => TimelineKind)
  @Column("text")
  kind!: TimelineKind;

  @Column("uuid", { nullable: true })
  authorId!: string | null;

  @Field(() => String)
  @Column("text")
  authorName!: string;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  body!: string | null;

  @Field(() => Date)
  @Column("timestamptz")
  at!: Date;

  @Field(() => GraphQLJSON, { nullable: true })
  @Column("jsonb", { nullable: true })
  data!: Record<string, unknown> | null;

  /** SHA-256 of the body as written; kept when the body is redacted. */
  @Column("text")
  bodyDigest!: string;

  @Column("text")
  prevHash!: string;

  @Field(() => String, { description: "Chained to the previous entry's hash over the body's digest." })
  @Column("text")
  hash!: string;
}
