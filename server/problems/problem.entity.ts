import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ProblemState } from "../domain/vocabulary";

/**
 * A problem record: the investigation of the root cause behind one or more incidents. Written only
 * by problem.service, one transaction per command, each leaving a hash-chained change record
 * (subject "problem").
 */
@ObjectType()
@Entity("problem")
export class Problem {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** From the "problem_number" counter; shown as PRB-000001. */
  @Index({ unique: true })
  @Column("integer")
  seqNumber!: number;

  @Field(() => String)
  @Column("text")
  title!: string;

  @Field(() => String)
  @Column("text")
  description!: string;

  @Field(() => ProblemState)
  @Index()
  @Column("text")
  state!: ProblemState;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  rootCause!: string | null;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  workaround!: string | null;

  @Field(() => Int, { description: "Increments on every change; pass it back as expectedVersion." })
  @Column("integer")
  version!: number;

  @Column("uuid", { nullable: true })
  createdById!: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Field(() => Date)
  @Column("timestamptz")
  updatedAt!: Date;
}
