import { GraphQLJSON } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One documented change to an incident or a service. Append-only: the database refuses UPDATE and
 * DELETE on this table (trigger in the migrations), and each row's hash covers the previous row's
 * hash, so a row edited behind the trigger's back is found by `verify`.
 */
@ObjectType({
  description: "One documented change. Versions run 1..n without gaps; hash chains to the previous record.",
})
@Entity("change_record")
@Index(["subjectType", "subjectId", "version"], { unique: true })
export class ChangeRecord {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** "incident" or "service". */
  @Column("text")
  subjectType!: string;

  @Column("uuid")
  subjectId!: string;

  @Field(() => Int)
  @Column("integer")
  version!: number;

  @Column("uuid", { nullable: true })
  authorId!: string | null;

  @Field(() => String)
  @Column("text")
  authorName!: string;

  @Field(() => String)
  @Column("text")
  description!: string;

  @Field(() => Date)
  @Column("timestamptz")
  at!: Date;

  @Field(() => GraphQLJSON)
  @Column("jsonb")
  changes!: Record<string, { from: unknown; to: unknown }>;

  @Field(() => String)
  @Column("text")
  prevHash!: string;

  @Field(() => String)
  @Column("text")
  hash!: string;
}
