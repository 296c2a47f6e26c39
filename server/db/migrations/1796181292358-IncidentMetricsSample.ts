import type { MigrationInterface, QueryRunner } from "typeorm";

// incident_metrics_sample: what the reports read of each incident, kept by triggers
// (server/metrics/incident-metrics-sample.entity.ts says why). The row of an incident is recomputed
// from `incident` and `incident_sla` whenever a column it reads changes, in the same transaction;
// existing incidents are backfilled here. A clock is breached when the breach was recorded, or when
// it was met after its target: in its own measure for business-hours policies, else in wall-clock
// time, the resolve clock without its pauses (domain/metrics.ts summarize says the same).

/** The sample of every incident matching `where` (i: incident, s: its clocks). */
const SAMPLE = (where: string) => `
  SELECT i.id, i.created_at, i.state = 'CANCELED', i.priority, i.category_id, i.queue_id,
         EXTRACT(EPOCH FROM (s.ack_met_at - i.created_at))::float8,
         s.ack_business_seconds::float8,
         EXTRACT(EPOCH FROM (i.resolved_at - i.created_at))::float8,
         CASE WHEN i.resolved_at IS NOT NULL THEN s.resolve_business_seconds::float8 END,
         s.ack_met_at IS NOT NULL,
         COALESCE(s.ack_breached_at IS NOT NULL OR (s.ack_met_at IS NOT NULL AND
           CASE WHEN s.business_hours THEN s.ack_business_seconds > s.ack_target_seconds
                ELSE s.ack_met_at > i.created_at + s.ack_target_seconds * interval '1 second' END), false),
         s.resolve_met_at IS NOT NULL,
         COALESCE(s.resolve_breached_at IS NOT NULL OR (s.resolve_met_at IS NOT NULL AND
           CASE WHEN s.business_hours THEN s.resolve_business_seconds > s.resolve_target_seconds
                ELSE s.resolve_met_at > i.created_at + (s.resolve_target_seconds + s.paused_seconds) * interval '1 second' END), false)
    FROM incident i LEFT JOIN incident_sla s ON s.incident_id = i.id
   WHERE ${where}`;

const COLUMNS = `incident_id, created_at, canceled, priority, category_id, queue_id, ack_seconds,
  ack_business_seconds, resolve_seconds, resolve_business_seconds, ack_met, ack_breached, resolve_met,
  resolve_breached`;

/** The columns of incident and incident_sla a sample reads: a change to any other one leaves it alone. */
const INCIDENT_COLUMNS = "created_at, state, priority, category_id, queue_id, resolved_at";
const SLA_COLUMNS = `business_hours, ack_target_seconds, resolve_target_seconds, ack_met_at, resolve_met_at,
  ack_business_seconds, resolve_business_seconds, ack_breached_at, resolve_breached_at, paused_seconds`;

export class IncidentMetricsSample1796181292358 implements MigrationInterface {
  name = "IncidentMetricsSample1796181292358";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "incident_metrics_sample" ("incident_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "canceled" boolean NOT NULL, "priority" text NOT NULL, "category_id" uuid, "queue_id" uuid, "ack_seconds" double precision, "ack_business_seconds" double precision, "resolve_seconds" double precision, "resolve_business_seconds" double precision, "ack_met" boolean NOT NULL, "ack_breached" boolean NOT NULL, "resolve_met" boolean NOT NULL, "resolve_breached" boolean NOT NULL, CONSTRAINT "PK_cc0e1707d177e4511dd04c3b55e" PRIMARY KEY ("incident_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_bb941ae253a4965da4eae16ba2" ON "incident_metrics_sample"  ("created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "incident_metrics_sample" ADD CONSTRAINT "FK_cc0e1707d177e4511dd04c3b55e" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(`
      CREATE FUNCTION beacon_refresh_incident_metrics_sample(target uuid) RETURNS void LANGUAGE sql AS $$
        INSERT INTO incident_metrics_sample (${COLUMNS}) ${SAMPLE("i.id = target")}
        ON CONFLICT (incident_id) DO UPDATE SET
          (${COLUMNS}) = (${COLUMNS.replace(/(\w+)/g, "EXCLUDED.$1")})
      $$`);
    // plpgsql resolves NEW's fields when the branch runs, so one function serves both tables.
    await queryRunner.query(`
      CREATE FUNCTION beacon_incident_metrics_sample_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'incident' THEN
          PERFORM beacon_refresh_incident_metrics_sample(NEW.id);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM beacon_refresh_incident_metrics_sample(OLD.incident_id);
        ELSE
          PERFORM beacon_refresh_incident_metrics_sample(NEW.incident_id);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER incident_metrics_sample_incident AFTER INSERT OR UPDATE OF ${INCIDENT_COLUMNS} ON incident
        FOR EACH ROW EXECUTE FUNCTION beacon_incident_metrics_sample_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER incident_metrics_sample_sla AFTER INSERT OR DELETE OR UPDATE OF ${SLA_COLUMNS} ON incident_sla
        FOR EACH ROW EXECUTE FUNCTION beacon_incident_metrics_sample_changed()`);
    await queryRunner.query(`INSERT INTO incident_metrics_sample (${COLUMNS}) ${SAMPLE("true")}`);
    // Planned with its real size from the first report on (autovacuum would get there later).
    await queryRunner.query("ANALYZE incident_metrics_sample");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TRIGGER incident_metrics_sample_sla ON incident_sla");
    await queryRunner.query("DROP TRIGGER incident_metrics_sample_incident ON incident");
    await queryRunner.query("DROP FUNCTION beacon_incident_metrics_sample_changed()");
    await queryRunner.query("DROP FUNCTION beacon_refresh_incident_metrics_sample(uuid)");
    await queryRunner.query(
      'ALTER TABLE "incident_metrics_sample" DROP CONSTRAINT "FK_cc0e1707d177e4511dd04c3b55e"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_bb941ae253a4965da4eae16ba2"');
    await queryRunner.query('DROP TABLE "incident_metrics_sample"');
  }
}
