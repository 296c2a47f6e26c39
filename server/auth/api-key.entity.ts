import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ApiScope } from "../domain/vocabulary";

/**
 * A partner system's key. It acts as the user who owns it, narrowed to its scopes. The secret is
 * shown once at creation; only its SHA-256 is kept (the secret is 32 random bytes, so a slow KDF
 * adds nothing but latency on every request).
 */
@ObjectType()
@Entity("api_key")
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field(() => String)
  @Column("text")
  name!: string;

  /** The public, non-secret part of the key ("bk_<prefix>_<secret>"), used to find it. */
  @Field(() => String)
  @Index({ unique: true })
  @Column("text")
  prefix!: string;

  @Column("text")
  secretHash!: string;

  @Index()
  @Column("uuid")
  userId!: string;

  @Field(() => [ApiScope])
  @Column("text", { array: true })
  scopes!: ApiScope[];

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  revokedAt!: Date | null;
}
