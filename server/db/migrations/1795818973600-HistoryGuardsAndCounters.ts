import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Hand-written: what entities cannot express.
 * - change_record is append-only at the database level: UPDATE, DELETE and TRUNCATE raise.
 *   (A superuser can still disable the trigger; the hash chain is what detects that.)
 * - the counters that give gap-free event seq and incident numbers.
 */
export class HistoryGuardsAndCounters1795818973600 implements MigrationInterface {
  name = "HistoryGuardsAndCounters1795818973600";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION beacon_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'change_record is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER change_record_append_only BEFORE UPDATE OR DELETE ON change_record
      FOR EACH ROW EXECUTE FUNCTION beacon_refuse_history_change()`);
    await q.query(`
      CREATE TRIGGER change_record_no_truncate BEFORE TRUNCATE ON change_record
      FOR EACH STATEMENT EXECUTE FUNCTION beacon_refuse_history_change()`);
    await q.query(`INSERT INTO counter (name, value) VALUES ('event', 0), ('incident_number', 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DELETE FROM counter WHERE name IN ('event', 'incident_number')");
    await q.query("DROP TRIGGER change_record_no_truncate ON change_record");
    await q.query("DROP TRIGGER change_record_append_only ON change_record");
    await q.query("DROP FUNCTION beacon_refuse_history_change()");
  }
}
