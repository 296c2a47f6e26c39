import type { MigrationInterface, QueryRunner } from "typeorm";

export class Reach1796131801813 implements MigrationInterface {
  name = "Reach1796131801813";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "outbox_cursor" ("name" text NOT NULL, "seq" bigint NOT NULL, CONSTRAINT "PK_a9d62674481cec7aefcc3f97dcb" PRIMARY KEY ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "beacon_secret" ("name" text NOT NULL, "value" text NOT NULL, CONSTRAINT "PK_2d54197b26e829291caf4d90b3c" PRIMARY KEY ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "outgoing_mail" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "to" text NOT NULL, "subject" text NOT NULL, "text" text NOT NULL, "html" text, "headers" jsonb NOT NULL DEFAULT \'{}\', "sent" boolean NOT NULL DEFAULT false, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ed85381cac829352bf9e8238ff8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subscription_id" uuid NOT NULL, "event_seq" bigint NOT NULL, "test" boolean NOT NULL DEFAULT false, "state" text NOT NULL, "attempts" integer NOT NULL DEFAULT \'0\', "last_status_code" integer, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ffad7bf84e68716cd9af89003b0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_304e4e2426c00c9b22ba12ea42" ON "delivery"  ("subscription_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_delivery_event" ON "delivery"  ("subscription_id", "event_seq") WHERE test = false',
    );
    await queryRunner.query(
      'CREATE TABLE "delivery_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "status_code" integer, "ok" boolean NOT NULL, "error" text, "latency_ms" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a43b0e18756fc86d042eeef093b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f9f738277033dbcf77c82b93b4" ON "delivery_attempt"  ("delivery_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "update_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel" text NOT NULL, "target" text NOT NULL, "service_ids" uuid array NOT NULL DEFAULT \'{}\', "confirmed" boolean NOT NULL DEFAULT false, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmation_sent_at" TIMESTAMP WITH TIME ZONE, "since_seq" bigint, "paused" boolean NOT NULL DEFAULT false, "paused_reason" text, "consecutive_failures" integer NOT NULL DEFAULT \'0\', "secret" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ed9d11abdbc444fb93600b9f491" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_update_subscription_email" ON "update_subscription"  ("target") WHERE channel = \'EMAIL\'',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."uq_update_subscription_email"');
    await queryRunner.query('DROP TABLE "update_subscription"');
    await queryRunner.query('DROP INDEX "public"."IDX_f9f738277033dbcf77c82b93b4"');
    await queryRunner.query('DROP TABLE "delivery_attempt"');
    await queryRunner.query('DROP INDEX "public"."uq_delivery_event"');
    await queryRunner.query('DROP INDEX "public"."IDX_304e4e2426c00c9b22ba12ea42"');
    await queryRunner.query('DROP TABLE "delivery"');
    await queryRunner.query('DROP TABLE "outgoing_mail"');
    await queryRunner.query('DROP TABLE "beacon_secret"');
    await queryRunner.query('DROP TABLE "outbox_cursor"');
  }
}
