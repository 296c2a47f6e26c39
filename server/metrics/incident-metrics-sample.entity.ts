import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, type Relation } from "typeorm";
import type { Priority } from "../domain/vocabulary";
import type { Incident } from "../incidents/incident.entity";

/**
 * What the reports read of one incident (incidentMetrics, metrics.service.ts), one row per incident,
 * written only by PostgreSQL triggers on `incident` and `incident_sla` (migration
 * IncidentMetricsSample), in the transaction that changes either row.
 *
 * Why a copy: computing these per incident at report time (incident joined to its SLA clocks, then a
 * dozen expressions per row) was most of a report's time, several times the aggregates themselves;
 * a report over a year of incidents (100,000) missed its half-second goal. Every figure here depends
 * only on the stored rows, never on the time of the report, so it can be computed once per change.
 * Triggers rather than the incident engine: every writer of those columns (commands, the SLA timers,
 * migrations, a category removed and its incidents set to none) keeps the copy right without having
 * to remember it. test/integration/metrics.test.ts checks the reports against `summarize` (domain).
 */
@Entity("incident_metrics_sample")
@Index(["createdAt"])
export class IncidentMetricsSample {
  @PrimaryColumn("uuid")
  incidentId!: string;

  @OneToOne("Incident", { onDelete: "CASCADE" })
  @JoinColumn({ name: "incident_id" })
  incident?: Relation<Incident>;

  /** The incident's opening time: a report's range is over it. */
  @Column("timestamptz")
  createdAt!: Date;

  /** Canceled incidents count in no figure. */
  @Column("boolean")
  canceled!: boolean;

  @Column("text")
  priority!: Priority;

  @Column("uuid", { nullable: true })
  categoryId!: string | null;

  @Column("uuid", { nullable: true })
  queueId!: string | null;

  /** Wall-clock seconds from opening to acknowledgement; null until acknowledged. */
  @Column("float8", { nullable: true })
  ackSeconds!: number | null;

  /** Business seconds from opening to acknowledgement (incident_sla.ack_business_seconds). */
  @Column("float8", { nullable: true })
  ackBusinessSeconds!: number | null;

  /** Wall-clock seconds from opening to resolution; null while unresolved. */
  @Column("float8", { nullable: true })
  resolveSeconds!: number | null;

  /** Business seconds to resolution, time on hold excluded; null while unresolved. */
  @Column("float8", { nullable: true })
  resolveBusinessSeconds!: number | null;

  @Column("boolean")
  ackMet!: boolean;

  /** The breach was recorded, or the clock was met after its target. */
  @Column("boolean")
  ackBreached!: boolean;

  @Column("boolean")
  resolveMet!: boolean;

  @Column("boolean")
  resolveBreached!: boolean;
}
