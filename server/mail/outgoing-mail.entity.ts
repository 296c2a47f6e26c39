import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/**
 * The local mail outbox: with no SMTP_URL, every mail Beacon would send is kept here for admins to
 * read in the war room (`outgoingMail`), so a newcomer sees exactly what would have gone out.
 */
@Entity("outgoing_mail")
export class OutgoingMail {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("text")
  to!: string;

  @Column("text")
  subject!: string;

  @Column("text")
  text!: string;

  @Column("text", { nullable: true })
  html!: string | null;

  @Column("jsonb", { default: () => "'{}'" })
  headers!: Record<string, string>;

  @Column("boolean", { default: false })
  sent!: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  at!: Date;
}
