import { createHash } from "node:crypto";
import type { MigrationInterface, QueryRunner } from "typeorm";

/*
 * Generated, then edited by hand: the new NOT NULL columns are added nullable, filled for the rows
 * that exist (peak = current priority; the timeline and public-update hash chains computed over
 * what is there), then made NOT NULL; then the append-only triggers. The hashing is copied here on
 * purpose (not imported from server/timeline/chain.ts): a migration must keep doing what it did.
 */
const REDACTED_PUBLIC_MESSAGE = "This message was removed.";
const GENESIS = "0".repeat(64);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}
const digest = (text: string | null) => sha256(canonical({ text }));

async function backfill(q: QueryRunner): Promise<void> {
  await q.query("UPDATE incident SET peak_priority = priority, major = (priority = 'P1')");
  await q.query(
    "UPDATE incident SET work_started = true WHERE state IN ('IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED')",
  );
  const entries: {
    id: string;
    incident_id: string;
    seq: string;
    kind: string;
    author_id: string | null;
    author_name: string;
    body: string | null;
    at: Date;
    data: Record<string, unknown> | null;
  }[] = await q.query("SELECT * FROM timeline_entry ORDER BY incident_id, seq");
  let prev = new Map<string, string>();
  for (const e of entries) {
    const prevHash = prev.get(e.incident_id) ?? GENESIS;
    const bodyDigest = digest(e.body);
    const hash = sha256(
      canonical({
        id: e.id,
        incidentId: e.incident_id,
        seq: String(e.seq),
        kind: e.kind,
        authorId: e.author_id,
        authorName: e.author_name,
        at: new Date(e.at).toISOString(),
        data: e.data,
        bodyDigest,
        prevHash,
      }),
    );
    await q.query("UPDATE timeline_entry SET body_digest = $2, prev_hash = $3, hash = $4 WHERE id = $1", [
      e.id,
      bodyDigest,
      prevHash,
      hash,
    ]);
    prev.set(e.incident_id, hash);
  }
  const updates: {
    id: string;
    incident_id: string;
    status: string;
    message: string;
    at: Date;
    author_id: string | null;
  }[] = await q.query("SELECT * FROM public_update ORDER BY incident_id, at, id");
  prev = new Map<string, string>();
  const positions = new Map<string, number>();
  for (const u of updates) {
    const position = (positions.get(u.incident_id) ?? 0) + 1;
    const prevHash = prev.get(u.incident_id) ?? GENESIS;
    const messageDigest = digest(u.message);
    const hash = sha256(
      canonical({
        id: u.id,
        incidentId: u.incident_id,
        position,
        status: u.status,
        at: new Date(u.at).toISOString(),
        authorId: u.author_id,
        messageDigest,
        prevHash,
      }),
    );
    await q.query(
      "UPDATE public_update SET position = $2, message_digest = $3, prev_hash = $4, hash = $5 WHERE id = $1",
      [u.id, position, messageDigest, prevHash, hash],
    );
    positions.set(u.incident_id, position);
    prev.set(u.incident_id, hash);
  }
}

export class RecordIntegrity1796140000000 implements MigrationInterface {
  name = "RecordIntegrity1796140000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "category" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "name_key" text NOT NULL, "parent_id" uuid, "parent_key" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9c4e4a89e3674fc9f382d733f03" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_1117b4fcb3cd4abb4383e1c274" ON "category"  ("parent_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_454d64b7214dfdded13f3acfd6" ON "category"  ("parent_key", "name_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "problem" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq_number" integer NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "root_cause" text, "workaround" text, "version" integer NOT NULL, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_119b5ca6f3371465bf1f0f90219" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7a88107a5598478e403627e9a9" ON "problem"  ("seq_number") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_7fa05ee192dda1b1abad0b2710" ON "problem"  ("state") ');
    await queryRunner.query(
      'CREATE TABLE "review_action_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "title" text NOT NULL, "owner_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE, "done" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eccc9daebd8d890753812e34ad9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_972336bcaf7d05b24cc344c1f2" ON "review_action_item"  ("incident_id") ',
    );
    await queryRunner.query('ALTER TABLE "incident" ADD "peak_priority" text NOT NULL');
    await queryRunner.query('ALTER TABLE "incident" ADD "major" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "incident" ADD "work_started" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "incident" ADD "category_id" uuid');
    await queryRunner.query('ALTER TABLE "incident" ADD "requester" jsonb');
    await queryRunner.query('ALTER TABLE "incident" ADD "problem_id" uuid');
    await queryRunner.query('ALTER TABLE "incident" ADD "review_draft" jsonb');
    await queryRunner.query('ALTER TABLE "public_update" ADD "position" integer NOT NULL');
    await queryRunner.query('ALTER TABLE "public_update" ADD "message_digest" text NOT NULL');
    await queryRunner.query('ALTER TABLE "public_update" ADD "prev_hash" text NOT NULL');
    await queryRunner.query('ALTER TABLE "public_update" ADD "hash" text NOT NULL');
    await queryRunner.query('ALTER TABLE "timeline_entry" ADD "body_digest" text NOT NULL');
    await queryRunner.query('ALTER TABLE "timeline_entry" ADD "prev_hash" text NOT NULL');
    await queryRunner.query('ALTER TABLE "timeline_entry" ADD "hash" text NOT NULL');
    await queryRunner.query('CREATE INDEX "IDX_692c022da87709980ea718aaa0" ON "incident"  ("category_id") ');
    await queryRunner.query('CREATE INDEX "IDX_dfee650a6353b4e43f70f9caf1" ON "incident"  ("problem_id") ');
    await backfill(queryRunner);
    for (const [table, cols] of [
      ["incident", ["peak_priority"]],
      ["public_update", ["position", "message_digest", "prev_hash", "hash"]],
      ["timeline_entry", ["body_digest", "prev_hash", "hash"]],
    ] as const) {
      for (const c of cols)
        await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${c}" SET NOT NULL`);
    }
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_442f7b28695c0096b094e7c097" ON "public_update"  ("incident_id", "position") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_2e02a5d81230754aedcbecc39c" ON "timeline_entry"  ("incident_id", "prev_hash") ',
    );
    await queryRunner.query("INSERT INTO counter (name, value) VALUES ('problem_number', 0)");
    // Append-only like change_record, with one narrow exception: an admin's redaction, which runs
    // with beacon.redact set to the row's id in its own transaction and may only remove the text
    // (timeline body -> NULL, public update message -> the fixed removal notice). Every other column
    // must stay exactly as it was, which to_jsonb(NEW) - 'text column' = to_jsonb(OLD) - ... checks.
    await queryRunner.query(`
      CREATE FUNCTION beacon_guard_timeline() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('beacon.redact', true) = OLD.id::text THEN
          -- Columns through to_jsonb: PL/pgSQL resolves OLD.body even for the other table.
          IF TG_TABLE_NAME = 'timeline_entry' AND to_jsonb(OLD)->>'body' IS NOT NULL
             AND to_jsonb(NEW)->>'body' IS NULL
             AND (to_jsonb(NEW) - 'body') = (to_jsonb(OLD) - 'body') THEN
            RETURN NEW;
          END IF;
          IF TG_TABLE_NAME = 'public_update' AND to_jsonb(NEW)->>'message' = '${REDACTED_PUBLIC_MESSAGE}'
             AND (to_jsonb(NEW) - 'message') = (to_jsonb(OLD) - 'message') THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION '% is append-only: % is not allowed. Correct a mistake with a new entry; an admin removes a pasted secret with redactTimelineEntry.', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ["timeline_entry", "public_update"]) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION beacon_guard_timeline()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION beacon_guard_timeline()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["timeline_entry", "public_update"]) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query("DROP FUNCTION beacon_guard_timeline()");
    await queryRunner.query("DELETE FROM counter WHERE name = 'problem_number'");
    await queryRunner.query('DROP INDEX "public"."IDX_2e02a5d81230754aedcbecc39c"');
    await queryRunner.query('DROP INDEX "public"."IDX_442f7b28695c0096b094e7c097"');
    await queryRunner.query('DROP INDEX "public"."IDX_dfee650a6353b4e43f70f9caf1"');
    await queryRunner.query('DROP INDEX "public"."IDX_692c022da87709980ea718aaa0"');
    await queryRunner.query('ALTER TABLE "timeline_entry" DROP COLUMN "hash"');
    await queryRunner.query('ALTER TABLE "timeline_entry" DROP COLUMN "prev_hash"');
    await queryRunner.query('ALTER TABLE "timeline_entry" DROP COLUMN "body_digest"');
    await queryRunner.query('ALTER TABLE "public_update" DROP COLUMN "hash"');
    await queryRunner.query('ALTER TABLE "public_update" DROP COLUMN "prev_hash"');
    await queryRunner.query('ALTER TABLE "public_update" DROP COLUMN "message_digest"');
    await queryRunner.query('ALTER TABLE "public_update" DROP COLUMN "position"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "review_draft"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "problem_id"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "requester"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "category_id"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "work_started"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "major"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "peak_priority"');
    await queryRunner.query('DROP INDEX "public"."IDX_972336bcaf7d05b24cc344c1f2"');
    await queryRunner.query('DROP TABLE "review_action_item"');
    await queryRunner.query('DROP INDEX "public"."IDX_7fa05ee192dda1b1abad0b2710"');
    await queryRunner.query('DROP INDEX "public"."IDX_7a88107a5598478e403627e9a9"');
    await queryRunner.query('DROP TABLE "problem"');
    await queryRunner.query('DROP INDEX "public"."IDX_454d64b7214dfdded13f3acfd6"');
    await queryRunner.query('DROP INDEX "public"."IDX_1117b4fcb3cd4abb4383e1c274"');
    await queryRunner.query('DROP TABLE "category"');
  }
}
