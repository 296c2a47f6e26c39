import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * How far an outbox consumer has read (`event.seq`). Stored in the database so a restart, a crash
 * or a second instance continues exactly where the last committed batch ended.
 */
@Entity("outbox_cursor")
export class OutboxCursor {
  @PrimaryColumn("text")
  name!: string;

  @Column("bigint")
  seq!: string;
}

/** Secrets Beacon generates for itself once (e.g. the key that signs subscription links). */
@Entity("beacon_secret")
export class BeaconSecret {
  @PrimaryColumn("text")
  name!: string;

  @Column("text")
  value!: string;
}
