import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { PublicStatus } from "../domain/vocabulary";

/** A message to end users, shown on the status page. Only these words leave through public fields. */
@ObjectType()
@Entity("public_update")
@Index(["incidentId", "at"])
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
}
