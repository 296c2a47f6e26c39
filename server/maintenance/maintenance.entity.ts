import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { MaintenanceState } from "../domain/maintenance";

/**
 * A scheduled maintenance window. Times are instants (timestamptz, shown in the viewer's zone), so
 * a window across a daylight-saving change keeps its real duration. Changed only through
 * maintenance.write.ts (lock, domain decision, change record, outbox event).
 */
@Entity("maintenance")
@Index(["state", "scheduledStart"])
export class Maintenance {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("text")
  title!: string;

  /** Public: shown on the status page. */
  @Column("text", { nullable: true })
  description!: string | null;

  @Column("text")
  state!: MaintenanceState;

  @Column("timestamptz")
  scheduledStart!: Date;

  @Column("timestamptz")
  scheduledEnd!: Date;

  @Column("timestamptz", { nullable: true })
  startedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  completedAt!: Date | null;

  @Column("timestamptz", { nullable: true })
  canceledAt!: Date | null;

  @Column("text", { nullable: true })
  cancelReason!: string | null;

  /** Start and finish by itself at the scheduled times (jobs; docs/maintenance.md). */
  @Column("boolean", { default: true })
  autoTransition!: boolean;

  /** Change-history version (1 when scheduled); every change takes expectedVersion. */
  @Column("integer")
  version!: number;

  @Column("uuid", { nullable: true })
  createdById!: string | null;

  @Column("timestamptz")
  createdAt!: Date;

  @Column("timestamptz")
  updatedAt!: Date;
}

/**
 * A service a window affects. When the window starts and puts the service under maintenance, the
 * status it had and the service version that change produced are kept here: at the end the
 * service goes back only if its version is still that one (nobody changed it meanwhile).
 */
@Entity("maintenance_service")
export class MaintenanceService {
  @PrimaryColumn("uuid")
  maintenanceId!: string;

  @Index()
  @PrimaryColumn("uuid")
  serviceId!: string;

  @Column("integer")
  position!: number;

  @Column("text", { nullable: true })
  previousStatus!: string | null;

  @Column("integer", { nullable: true })
  versionAfterStart!: number | null;
}

/** A public update posted on a window (Statuspage's incident_updates of a scheduled maintenance). */
@Entity("maintenance_update")
@Index(["maintenanceId", "position"], { unique: true })
export class MaintenanceUpdate {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column("uuid")
  maintenanceId!: string;

  /** 1, 2, ... per window (written under the window's row lock): the order, even within one instant. */
  @Column("integer")
  position!: number;

  @Column("text")
  state!: MaintenanceState;

  @Column("text")
  message!: string;

  @Column("timestamptz")
  at!: Date;

  /** Null when Beacon wrote it by itself (autoTransition). */
  @Column("uuid", { nullable: true })
  authorId!: string | null;
}

/**
 * One row per reminder sent: the reminder job inserts it in the transaction that publishes the
 * reminder, so a job that runs twice (at-least-once) still reminds once.
 */
@Entity("maintenance_reminder")
export class MaintenanceReminder {
  @PrimaryColumn("uuid")
  maintenanceId!: string;

  @PrimaryColumn("integer")
  leadMinutes!: number;

  @PrimaryColumn("timestamptz")
  forStart!: Date;

  @Column("timestamptz")
  sentAt!: Date;
}
