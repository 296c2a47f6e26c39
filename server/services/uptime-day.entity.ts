import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";
import type { ServiceStatus } from "../domain/vocabulary";

/**
 * One finished day of a service's uptime bar, computed once from its status history (the same
 * `dayBar` as today's live bar) and read from here afterwards (docs/performance.md, "Uptime
 * rollups"). A finished day never changes: status changes are recorded at the time they happen,
 * and maintenance windows cannot be placed in the past. Kept per value of the maintenance setting,
 * so changing BEACON_UPTIME_EXCLUDES_MAINTENANCE computes the other variant instead of reusing.
 */
@Entity("service_uptime_day")
export class ServiceUptimeDay {
  @PrimaryColumn("uuid")
  serviceId!: string;

  /** The UTC day, "YYYY-MM-DD". */
  @PrimaryColumn("date")
  day!: string;

  @PrimaryColumn("boolean")
  excludesMaintenance!: boolean;

  @Column("boolean")
  hasData!: boolean;

  @Column("double precision")
  uptimePercent!: number;

  @Column("text")
  worstStatus!: ServiceStatus;

  @Column("integer")
  downtimeMinutes!: number;

  @Column("integer")
  maintenanceMinutes!: number;

  @CreateDateColumn({ type: "timestamptz" })
  computedAt!: Date;
}
