import type { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795818973553 implements MigrationInterface {
  name = "Initial1795818973553";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" text NOT NULL, "user_id" uuid NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c4f6ccad30c0862eb54af9fb0a" ON "api_key"  ("prefix") ');
    await queryRunner.query('CREATE INDEX "IDX_6a0830f03e537b239a53269b27" ON "api_key"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" text NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_a83507eb0338ac037780e02f2b" ON "session"  ("token_hash") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_30e98e8746699fb9af235410af" ON "session"  ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_3fa909d0e37c531ebc23770339" ON "app_user"  ("email") ');
    await queryRunner.query(
      'CREATE TABLE "event" ("seq" bigint NOT NULL, "kind" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "is_public" boolean NOT NULL, "incident_id" uuid, "service_id" uuid, "payload" jsonb NOT NULL, CONSTRAINT "PK_0c7ee394b5ab8874d2914624eb2" PRIMARY KEY ("seq"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_92dc288bd6cefb0535703aa41b" ON "event"  ("incident_id") ');
    await queryRunner.query(
      'CREATE TABLE "counter" ("name" text NOT NULL, "value" bigint NOT NULL, CONSTRAINT "PK_0dbbc0f411f4517f614933da0c3" PRIMARY KEY ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "change_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "version" integer NOT NULL, "author_id" uuid, "author_name" text NOT NULL, "description" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "changes" jsonb NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_44fec7524fb3068db1a08dfd85b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_e410032303b430ce156f20105e" ON "change_record"  ("subject_type", "subject_id", "version") ',
    );
    await queryRunner.query(
      'CREATE TABLE "incident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq_number" integer NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "impact" text NOT NULL, "urgency" text NOT NULL, "priority" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "is_public" boolean NOT NULL, "public_status" text, "owner_id" uuid NOT NULL, "queue_id" uuid, "assignee_id" uuid, "hold_reason" text, "resolution_code" text, "resolution_notes" text, "related_to_id" uuid, "problem_reference" text, "review" jsonb, "customer_confirmed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5f90b28b0b8238d89ee8edcf96e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_c8128c8b1ff05e62597de3f2eb" ON "incident"  ("seq_number") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_c1080fe417558d37eed261756f" ON "incident"  ("priority") ');
    await queryRunner.query('CREATE INDEX "IDX_1e126fbe271e664cc15396ef75" ON "incident"  ("state") ');
    await queryRunner.query('CREATE INDEX "IDX_692c200bb67d0981141e974d60" ON "incident"  ("owner_id") ');
    await queryRunner.query('CREATE INDEX "IDX_1f3ab34a8b3af3959a4708e636" ON "incident"  ("queue_id") ');
    await queryRunner.query('CREATE INDEX "IDX_8417b1889d6395840818c70f04" ON "incident"  ("assignee_id") ');
    await queryRunner.query(
      'CREATE TABLE "public_update" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "status" text NOT NULL, "message" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "author_id" uuid, CONSTRAINT "PK_b721d5fffb43192b66ab595ac21" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9ec38c693f3e28d141d0f61b4b" ON "public_update"  ("incident_id", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "timeline_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "incident_id" uuid NOT NULL, "seq" bigint NOT NULL, "kind" text NOT NULL, "author_id" uuid, "author_name" text NOT NULL, "body" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "data" jsonb, CONSTRAINT "PK_61a61c7f75f9c69d73d7a2fd666" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_824347395810c0de455bda91b2" ON "timeline_entry"  ("incident_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE TABLE "queue" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4adefbd9c73b3f9a49985a5529f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_47df683d488b532dc5c3978af2" ON "queue"  ("name") ');
    await queryRunner.query(
      'CREATE TABLE "service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "name" text NOT NULL, "description" text, "group" text, "position" integer NOT NULL DEFAULT \'0\', "status" text NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85a21558c006647cd76fdce044b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_4df47ef659e04d5be78ddb6b59" ON "service"  ("slug") ');
    await queryRunner.query(
      'CREATE TABLE "incident_service" ("incident_id" uuid NOT NULL, "service_id" uuid NOT NULL, CONSTRAINT "PK_630486dcd7fe1c3ccf7983d44b8" PRIMARY KEY ("incident_id", "service_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1e1f0a9cafdcc79d37af2a8db2" ON "incident_service"  ("incident_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_802e9d5ac7dcf3f8de61c83507" ON "incident_service"  ("service_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "queue_member" ("queue_id" uuid NOT NULL, "app_user_id" uuid NOT NULL, CONSTRAINT "PK_edf6a4cb620ba6d03908fe03c4b" PRIMARY KEY ("queue_id", "app_user_id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_b6cec891de44766f910777caa3" ON "queue_member"  ("queue_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_7d94fc85e6e1157db05e81d872" ON "queue_member"  ("app_user_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "incident_service" ADD CONSTRAINT "FK_1e1f0a9cafdcc79d37af2a8db24" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "incident_service" ADD CONSTRAINT "FK_802e9d5ac7dcf3f8de61c835074" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "queue_member" ADD CONSTRAINT "FK_b6cec891de44766f910777caa32" FOREIGN KEY ("queue_id") REFERENCES "queue"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
    await queryRunner.query(
      'ALTER TABLE "queue_member" ADD CONSTRAINT "FK_7d94fc85e6e1157db05e81d872f" FOREIGN KEY ("app_user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "queue_member" DROP CONSTRAINT "FK_7d94fc85e6e1157db05e81d872f"');
    await queryRunner.query('ALTER TABLE "queue_member" DROP CONSTRAINT "FK_b6cec891de44766f910777caa32"');
    await queryRunner.query(
      'ALTER TABLE "incident_service" DROP CONSTRAINT "FK_802e9d5ac7dcf3f8de61c835074"',
    );
    await queryRunner.query(
      'ALTER TABLE "incident_service" DROP CONSTRAINT "FK_1e1f0a9cafdcc79d37af2a8db24"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_7d94fc85e6e1157db05e81d872"');
    await queryRunner.query('DROP INDEX "public"."IDX_b6cec891de44766f910777caa3"');
    await queryRunner.query('DROP TABLE "queue_member"');
    await queryRunner.query('DROP INDEX "public"."IDX_802e9d5ac7dcf3f8de61c83507"');
    await queryRunner.query('DROP INDEX "public"."IDX_1e1f0a9cafdcc79d37af2a8db2"');
    await queryRunner.query('DROP TABLE "incident_service"');
    await queryRunner.query('DROP INDEX "public"."IDX_4df47ef659e04d5be78ddb6b59"');
    await queryRunner.query('DROP TABLE "service"');
    await queryRunner.query('DROP INDEX "public"."IDX_47df683d488b532dc5c3978af2"');
    await queryRunner.query('DROP TABLE "queue"');
    await queryRunner.query('DROP INDEX "public"."IDX_824347395810c0de455bda91b2"');
    await queryRunner.query('DROP TABLE "timeline_entry"');
    await queryRunner.query('DROP INDEX "public"."IDX_9ec38c693f3e28d141d0f61b4b"');
    await queryRunner.query('DROP TABLE "public_update"');
    await queryRunner.query('DROP INDEX "public"."IDX_8417b1889d6395840818c70f04"');
    await queryRunner.query('DROP INDEX "public"."IDX_1f3ab34a8b3af3959a4708e636"');
    await queryRunner.query('DROP INDEX "public"."IDX_692c200bb67d0981141e974d60"');
    await queryRunner.query('DROP INDEX "public"."IDX_1e126fbe271e664cc15396ef75"');
    await queryRunner.query('DROP INDEX "public"."IDX_c1080fe417558d37eed261756f"');
    await queryRunner.query('DROP INDEX "public"."IDX_c8128c8b1ff05e62597de3f2eb"');
    await queryRunner.query('DROP TABLE "incident"');
    await queryRunner.query('DROP INDEX "public"."IDX_e410032303b430ce156f20105e"');
    await queryRunner.query('DROP TABLE "change_record"');
    await queryRunner.query('DROP TABLE "counter"');
    await queryRunner.query('DROP INDEX "public"."IDX_92dc288bd6cefb0535703aa41b"');
    await queryRunner.query('DROP TABLE "event"');
    await queryRunner.query('DROP INDEX "public"."IDX_3fa909d0e37c531ebc23770339"');
    await queryRunner.query('DROP TABLE "app_user"');
    await queryRunner.query('DROP INDEX "public"."IDX_30e98e8746699fb9af235410af"');
    await queryRunner.query('DROP INDEX "public"."IDX_a83507eb0338ac037780e02f2b"');
    await queryRunner.query('DROP TABLE "session"');
    await queryRunner.query('DROP INDEX "public"."IDX_6a0830f03e537b239a53269b27"');
    await queryRunner.query('DROP INDEX "public"."IDX_c4f6ccad30c0862eb54af9fb0a"');
    await queryRunner.query('DROP TABLE "api_key"');
  }
}
