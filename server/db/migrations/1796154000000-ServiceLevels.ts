import type { MigrationInterface, QueryRunner } from "typeorm";

// Service levels (docs/service-levels.md): the policies per priority, seeded with the defaults, and
// one incident_sla row per incident. Existing incidents are backfilled here from what the database
// knows (acknowledged = first change to IN_PROGRESS, resolved = resolved_at; wall-clock breaches of
// 24x7 clocks); business-time figures need the configured calendar, so Beacon completes them at
// start (completeSlaBackfill in server/sla/).

export class ServiceLevels1796154000000 implements MigrationInterface {
  name = "ServiceLevels1796154000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "incident_sla" ("incident_id" uuid NOT NULL, "priority" text NOT NULL, "business_hours" boolean NOT NULL, "ack_target_seconds" integer NOT NULL, "resolve_target_seconds" integer NOT NULL, "cadence_minutes" integer, "ack_met_at" TIMESTAMP WITH TIME ZONE, "resolve_met_at" TIMESTAMP WITH TIME ZONE, "ack_business_seconds" integer, "resolve_business_seconds" integer, "ack_warned_at" TIMESTAMP WITH TIME ZONE, "ack_breached_at" TIMESTAMP WITH TIME ZONE, "resolve_warned_at" TIMESTAMP WITH TIME ZONE, "resolve_breached_at" TIMESTAMP WITH TIME ZONE, "paused_since" TIMESTAMP WITH TIME ZONE, "paused_seconds" integer NOT NULL DEFAULT \'0\', "paused_business_seconds" integer NOT NULL DEFAULT \'0\', "escalation_level" integer NOT NULL DEFAULT \'0\', "last_public_update_at" TIMESTAMP WITH TIME ZONE, "public_update_reminded_for" TIMESTAMP WITH TIME ZONE, "backfilled" boolean NOT NULL DEFAULT false, "auto_close" boolean NOT NULL, CONSTRAINT "PK_510a22126501e92aa4cb5a81d88" PRIMARY KEY ("incident_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_619e0f77da70aa02096f89a4da" ON "incident_sla"  ("priority") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_a08a0f49c104b0c47039ba8a4f" ON "incident_sla"  ("resolve_breached_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c359ab426f0ea4a37c86a8fc71" ON "incident_sla"  ("ack_breached_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sla_policy" ("priority" text NOT NULL, "acknowledge_minutes" integer NOT NULL, "resolve_minutes" integer NOT NULL, "business_hours" boolean NOT NULL, "public_update_every_minutes" integer, "auto_close" boolean NOT NULL, "version" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_cfec7c9211fb1429211df43c1f9" PRIMARY KEY ("priority"))',
    );
    await queryRunner.query('ALTER TABLE "queue" ADD "manager_id" uuid');
    await queryRunner.query('CREATE INDEX "IDX_0fd1a848dcdbadb316a3c2f2c8" ON "queue"  ("manager_id") ');
    await queryRunner.query(
      'ALTER TABLE "incident_sla" ADD CONSTRAINT "FK_510a22126501e92aa4cb5a81d88" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // The defaults as they were when this migration was written (domain/sla.ts DEFAULT_POLICIES):
    // a migration must not change when the code's defaults do.
    await queryRunner.query(`
      INSERT INTO sla_policy (priority, acknowledge_minutes, resolve_minutes, business_hours,
        public_update_every_minutes, auto_close, updated_at) VALUES
        ('P1', 15, 240, false, 30, false, now()),
        ('P2', 30, 480, false, 60, false, now()),
        ('P3', 240, 1440, true, NULL, true, now()),
        ('P4', 480, 2400, true, NULL, true, now())`);
    await queryRunner.query(`
      INSERT INTO incident_sla (incident_id, priority, business_hours, ack_target_seconds, resolve_target_seconds,
        cadence_minutes, ack_met_at, resolve_met_at, paused_since, last_public_update_at, auto_close, backfilled)
      SELECT i.id, i.priority, p.business_hours, p.acknowledge_minutes * 60, p.resolve_minutes * 60,
        p.public_update_every_minutes,
        COALESCE(
          (SELECT min(c.at) FROM change_record c WHERE c.subject_type = 'incident' AND c.subject_id = i.id
             AND c.changes->'state'->>'to' = 'IN_PROGRESS'),
          CASE WHEN i.state IN ('IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED') THEN i.updated_at END),
        i.resolved_at,
        CASE WHEN i.state IN ('ON_HOLD', 'CANCELED') THEN i.updated_at END,
        (SELECT max(u.at) FROM public_update u WHERE u.incident_id = i.id),
        p.auto_close AND i.priority NOT IN ('P1', 'P2'), true
      FROM incident i JOIN sla_policy p ON p.priority = i.priority`);
    // 24x7 clocks that were met late (or are still running past their target) breached at
    // opening + target; business clocks are judged at start, on the configured calendar.
    await queryRunner.query(`
      UPDATE incident_sla s SET ack_breached_at = i.created_at + s.ack_target_seconds * interval '1 second'
      FROM incident i WHERE i.id = s.incident_id AND NOT s.business_hours
        AND COALESCE(s.ack_met_at, now()) > i.created_at + s.ack_target_seconds * interval '1 second'
        AND i.state <> 'CANCELED'`);
    await queryRunner.query(`
      UPDATE incident_sla s SET resolve_breached_at = i.created_at + s.resolve_target_seconds * interval '1 second'
      FROM incident i WHERE i.id = s.incident_id AND NOT s.business_hours
        AND COALESCE(s.resolve_met_at, now()) > i.created_at + s.resolve_target_seconds * interval '1 second'
        AND i.state <> 'CANCELED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "incident_sla" DROP CONSTRAINT "FK_510a22126501e92aa4cb5a81d88"');
    await queryRunner.query('DROP INDEX "public"."IDX_0fd1a848dcdbadb316a3c2f2c8"');
    await queryRunner.query('ALTER TABLE "queue" DROP COLUMN "manager_id"');
    await queryRunner.query('DROP TABLE "sla_policy"');
    await queryRunner.query('DROP INDEX "public"."IDX_c359ab426f0ea4a37c86a8fc71"');
    await queryRunner.query('DROP INDEX "public"."IDX_a08a0f49c104b0c47039ba8a4f"');
    await queryRunner.query('DROP INDEX "public"."IDX_619e0f77da70aa02096f89a4da"');
    await queryRunner.query('DROP TABLE "incident_sla"');
  }
}
