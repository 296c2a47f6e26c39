import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** A login. The bearer token itself is never stored, only its SHA-256. */
@Entity("session")
export class Session {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Index({ unique: true })
  @Column("text")
  tokenHash!: string;

  @Index()
  @Column("uuid")
  userId!: string;

  @Column("timestamptz")
  expiresAt!: Date;

  @Column("timestamptz", { nullable: true })
  revokedAt!: Date | null;

  /** Moved forward at most once a minute (domain/session.ts): idle sessions end. */
  @Column("timestamptz", { default: () => "now()" })
  lastUsedAt!: Date;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
