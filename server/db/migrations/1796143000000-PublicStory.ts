import type { MigrationInterface, QueryRunner } from "typeorm";

export class PublicStory1796143000000 implements MigrationInterface {
  name = "PublicStory1796143000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "incident" ADD "public_title" text');
    await queryRunner.query('ALTER TABLE "incident" ADD "service_impacts" jsonb NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "public_update" ADD "next_update_by" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "public_update" DROP COLUMN "next_update_by"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "service_impacts"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "public_title"');
  }
}
