import type { MigrationInterface, QueryRunner } from "typeorm";

export class SessionIdle1796142267992 implements MigrationInterface {
  name = "SessionIdle1796142267992";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "session" ADD "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "session" DROP COLUMN "last_used_at"');
  }
}
