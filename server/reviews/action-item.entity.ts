import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * An action item of a post-incident review: who does what by when. Added while the review is
 * written (a change to the incident, in its history); its done state is tracked on its own and may
 * change after the incident closed (each change is a change record with subject "action_item").
 */
@ObjectType("ReviewActionItem")
@Entity("review_action_item")
export class ReviewActionItem {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Index()
  @Column("uuid")
  incidentId!: string;

  @Field(() => String)
  @Column("text")
  title!: string;

  @Column("uuid", { nullable: true })
  ownerId!: string | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  dueAt!: Date | null;

  @Field(() => Boolean)
  @Column("boolean", { default: false })
  done!: boolean;

  @Column("integer", { default: 1 })
  version!: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
