import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One node of the admin-managed classification tree (category -> subcategory). Names are unique
 * among siblings (case-insensitively, enforced in the service and by the unique index on the
 * lower-cased name). Categories are never deleted: incidents keep pointing at them.
 */
@ObjectType()
@Entity("category")
@Index(["parentKey", "nameKey"], { unique: true })
export class Category {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field(() => String)
  @Column("text")
  name!: string;

  /** Lower-cased name, for the sibling uniqueness. */
  @Column("text")
  nameKey!: string;

  @Index()
  @Column("uuid", { nullable: true })
  parentId!: string | null;

  /** parentId, or "" for top level: NULLs never collide in a unique index. */
  @Column("text")
  parentKey!: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
