import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * The outbox. `seq` comes from the `counter` row "event", incremented inside the writing
 * transaction: the row lock makes seq order equal commit order, so a reader that has seen seq N
 * has seen every event below N.
 */
@Entity("event")
export class EventRecord {
  /** bigint, carried as a string in TypeScript and GraphQL. */
  @PrimaryColumn("bigint")
  seq!: string;

  @Column("text")
  kind!: string;

  @Column("timestamptz")
  at!: Date;

  /** Visible on the public status stream. */
  @Column("boolean")
  isPublic!: boolean;

  @Index()
  @Column("uuid", { nullable: true })
  incidentId!: string | null;

  @Column("uuid", { nullable: true })
  serviceId!: string | null;

  @Column("jsonb")
  payload!: Record<string, unknown>;
}

/** Named counters that must never skip: event seq, incident numbers. */
@Entity("counter")
export class Counter {
  @PrimaryColumn("text")
  name!: string;

  @Column("bigint")
  value!: string;
}
