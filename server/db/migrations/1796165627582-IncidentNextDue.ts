import type { MigrationInterface, QueryRunner } from "typeorm";

// incident_sla.next_due_at: the earliest due time of an incident's running SLA clocks, the key of the
// war room's "due soonest" order (incidents(orderBy: DUE_SOONEST), docs/service-levels.md). Beacon
// writes it with domain/sla.ts nextDueAt whenever it saves the clocks.
//
// Existing rows are backfilled here in SQL, as domain/sla.ts clockDueAt would, clock by clock: a
// clock that is met, paused (on hold) or canceled has no due time; a running one is due at
// opening + target (+ time on hold for the resolve clock). That is exact for 24x7 clocks. A
// business-hours clock's due time needs the configured calendar (zone, holidays, business hours),
// which a migration does not have, so for those rows the same sum in wall-clock time is only a
// first approximation (it is too early: nights and weekends do not count), and the row is marked
// backfilled: sweepSla recomputes it with the domain function at start, before Beacon listens.
// Values are truncated to milliseconds, as the JavaScript dates Beacon writes are (list cursors
// carry them in milliseconds).
export class IncidentNextDue1796165627582 implements MigrationInterface {
  name = "IncidentNextDue1796165627582";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "incident_sla" ADD "next_due_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "IDX_64901dc3408afa1003dc4aca75" ON "incident_sla"  ("next_due_at") ',
    );
    // LEAST ignores NULLs: the earlier of the running clocks, NULL when neither runs.
    await queryRunner.query(`
      UPDATE incident_sla s SET next_due_at = date_trunc('milliseconds', LEAST(
        CASE WHEN s.ack_met_at IS NULL
          THEN i.created_at + s.ack_target_seconds * interval '1 second' END,
        CASE WHEN s.resolve_met_at IS NULL AND s.paused_since IS NULL
          THEN i.created_at + (s.resolve_target_seconds
            + CASE WHEN s.business_hours THEN s.paused_business_seconds ELSE s.paused_seconds END)
            * interval '1 second' END))
      FROM incident i WHERE i.id = s.incident_id AND i.state <> 'CANCELED'`);
    await queryRunner.query(
      "UPDATE incident_sla SET backfilled = true WHERE business_hours AND next_due_at IS NOT NULL",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_64901dc3408afa1003dc4aca75"');
    await queryRunner.query('ALTER TABLE "incident_sla" DROP COLUMN "next_due_at"');
  }
}
