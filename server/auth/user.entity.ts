import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Role } from "../domain/vocabulary";

@ObjectType({ description: "A person who works incidents. Never exposed to anonymous callers." })
@Entity("app_user")
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** Stored lower-cased; unique. */
  @Field(() => String)
  @Index({ unique: true })
  @Column("text")
  email!: string;

  @Field(() => String)
  @Column("text")
  name!: string;

  @Field(() => Role)
  @Column("text")
  role!: Role;

  @Column("text")
  passwordHash!: string;

  @Field(() => Boolean, { description: "Inactive users cannot sign in; their API keys stop working." })
  @Column("boolean", { default: true })
  active!: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
