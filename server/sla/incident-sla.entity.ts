import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, type Relation } from "typeorm";
import type { Priority } from "../domain/vocabulary";
import type { Incident } from "../incidents/incident.entity";

/**
 * The service-level clocks of one incident (docs/service-levels.md), one row per incident, created
 * in the transaction that opens it and maintained by every incident command in its own transaction
 * (server/sla/clocks.ts, called by the incident engine). The targets are copied from the policy of
 * the incident's priority when it opens or its priority changes; later policy changes do not touch
 * it. Read by the metrics (MTTA/MTTR, attainment, breaches).
 */
@Entity("incident_sla")
@Index(["ackBreachedAt"])
@Index(["resolveBreachedAt"])
@Index(["priority"])
// The war room's "due soonest" order (incidents(orderBy: DUE_SOONEST)) walks this index: ascending,
// nulls last, the btree's own order.
@Index(["nextDueAt"])
export class IncidentSlaRecord {
  @PrimaryColumn("uuid")
  incidentId!: string;

  @OneToOne("Incident", { onDelete: "CASCADE" })
  @JoinColumn({ name: "incident_id" })
  incident?: Relation<Incident>;

  /** The priority whose policy the targets come from. */
  @Column("text")
  priority!: Priority;

  /** Both clocks count business time only (business hours on business days). */
  @Column("boolean")
  businessHours!: boolean;

  /** In the clock's measure: business seconds when businessHours, else wall-clock seconds. */
  @Column("integer")
  ackTargetSeconds!: number;

  @Column("integer")
  resolveTargetSeconds!: number;

  /** Public update cadence while open and public; null: none. */
  @Column("integer", { nullable: true })
  cadenceMinutes!: number | null;

  /** The first time it reached IN_PROGRESS (acknowledged or work started); never cleared. */
  @Column("timestamptz", { nullable: true })
  ackMetAt!: Date | null;

  /** When it was resolved; cleared by a reopen (the clock runs on). */
  @Column("timestamptz", { nullable: true })
  resolveMetAt!: Date | null;

  /** Business time (business hours, whatever the policy) from opening to acknowledgement. */
  @Column("integer", { nullable: true })
  ackBusinessSeconds!: number | null;

  /** Business time from opening to resolution, time on hold (and resolved before a reopen) excluded. */
  @Column("integer", { nullable: true })
  resolveBusinessSeconds!: number | null;

  @Column("timestamptz", { nullable: true })
  ackWarnedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  ackBreachedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  resolveWarnedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  resolveBreachedAt!: Date | null;

  /** The resolve clock is stopped since then (ON_HOLD, or RESOLVED: see resolveMetAt). */
  @Column("timestamptz", { nullable: true })
  pausedSince!: Date | null;

  /** Wall-clock seconds the resolve clock stood still (holds, resolved-then-reopened). */
  @Column("integer", { default: 0 })
  pausedSeconds!: number;

  /** The same stand-still in business time (so a business clock and the business metrics can use it). */
  @Column("integer", { default: 0 })
  pausedBusinessSeconds!: number;

  /** 0: not escalated; 1: to the queue's manager; 2: to the incident managers. */
  @Column("integer", { default: 0 })
  escalationLevel!: number;

  /** The last public update posted (opening public, postPublicUpdate, resolve/reopen updates). */
  @Column("timestamptz", { nullable: true })
  lastPublicUpdateAt!: Date | null;

  /** The due time of the public update the last cadence reminder was about (one reminder per due time). */
  @Column("timestamptz", { nullable: true })
  publicUpdateRemindedFor!: Date | null;

  /**
   * The earliest due time of the running clocks (domain/sla.ts nextDueAt); null when none runs (on
   * hold, resolved, closed, canceled). Stored because a business clock's due time needs the
   * calendar, which SQL does not have; rewritten whenever the row is saved (saveIncidentSla).
   */
  @Column("timestamptz", { nullable: true })
  nextDueAt!: Date | null;

  /**
   * Written by a migration that could not work everything out in SQL (business time needs the
   * configured calendar; incidents older than service levels): sweepSla completes the row at start
   * and enqueues its timers.
   */
  @Column("boolean", { default: false })
  backfilled!: boolean;

  /** Close by rule once resolved and the closure requirements are met (never for P1/P2). */
  @Column("boolean")
  autoClose!: boolean;
}
