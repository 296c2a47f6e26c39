import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ServiceStatus } from "../domain/vocabulary";

/** A status-page component. Public: every field here may be shown to anonymous visitors. */
@ObjectType({ description: "A component shown on the status page." })
@Entity("service")
export class Service {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field(() => String)
  @Index({ unique: true })
  @Column("text")
  slug!: string;

  @Field(() => String)
  @Column("text")
  name!: string;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "Services with the same group are shown together." })
  @Column("text", { nullable: true })
  group!: string | null;

  @Field(() => Int, { description: "Display order on the status page, ascending." })
  @Column("integer", { default: 0 })
  position!: number;

  @Field(() => ServiceStatus)
  @Column("text")
  status!: ServiceStatus;

  @Field(() => Int, { description: "Change-history version of this service (1 at creation)." })
  @Column("integer")
  version!: number;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt!: Date;
}
