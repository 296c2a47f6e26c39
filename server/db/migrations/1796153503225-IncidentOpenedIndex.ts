import type { MigrationInterface, QueryRunner } from "typeorm";

export class IncidentOpenedIndex1796153503225 implements MigrationInterface {
  name = "IncidentOpenedIndex1796153503225";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_2a7828c5ec85dafc7449b8c4ab" ON "incident"  ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_2a7828c5ec85dafc7449b8c4ab"');
  }
}
