import type { MigrationInterface, QueryRunner } from "typeorm";

export class Maintenance1796133554625 implements MigrationInterface {
  name = "Maintenance1796133554625";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "maintenance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "description" text, "state" text NOT NULL, "scheduled_start" TIMESTAMP WITH TIME ZONE NOT NULL, "scheduled_end" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "canceled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "auto_transition" boolean NOT NULL DEFAULT true, "version" integer NOT NULL, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_542fb6a28537140d2df95faa52a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f12f724de3be31acb0c214929a" ON "maintenance"  ("state", "scheduled_start") ',
    );
    await queryRunner.query(
      'CREATE TABLE "maintenance_service" ("maintenance_id" uuid NOT NULL, "service_id" uuid NOT NULL, "position" integer NOT NULL, "previous_status" text, "version_after_start" integer, CONSTRAINT "PK_37862112894d4d30a47e729f51b" PRIMARY KEY ("maintenance_id", "service_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_55fa58e09cae2678bef306e2ab" ON "maintenance_service"  ("service_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "maintenance_update" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "maintenance_id" uuid NOT NULL, "position" integer NOT NULL, "state" text NOT NULL, "message" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "author_id" uuid, CONSTRAINT "PK_a4b2a2fd2fbffc3ebc42c7a3ac8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_e352fd4749f85f17a24baf007f" ON "maintenance_update"  ("maintenance_id", "position") ',
    );
    await queryRunner.query(
      'CREATE TABLE "maintenance_reminder" ("maintenance_id" uuid NOT NULL, "lead_minutes" integer NOT NULL, "for_start" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3b0c9973e92e1a5ca10a4c4fe00" PRIMARY KEY ("maintenance_id", "lead_minutes", "for_start"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "maintenance_reminder"');
    await queryRunner.query('DROP INDEX "public"."IDX_e352fd4749f85f17a24baf007f"');
    await queryRunner.query('DROP TABLE "maintenance_update"');
    await queryRunner.query('DROP INDEX "public"."IDX_55fa58e09cae2678bef306e2ab"');
    await queryRunner.query('DROP TABLE "maintenance_service"');
    await queryRunner.query('DROP INDEX "public"."IDX_f12f724de3be31acb0c214929a"');
    await queryRunner.query('DROP TABLE "maintenance"');
  }
}
