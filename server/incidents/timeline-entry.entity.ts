import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { TimelineKind } from "../domain/vocabulary";

/** One documented interaction on an incident. Append-only, ordered by seq. */
@ObjectType()
@Entity("timeline_entry")
@Index(["incidentId", "seq"])
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
}
