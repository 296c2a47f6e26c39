import type { MigrationInterface, QueryRunner } from "typeorm";

export class RoomRoles1795820013064 implements MigrationInterface {
  name = "RoomRoles1795820013064";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "incident" ADD "room_roles" jsonb NOT NULL DEFAULT \'{}\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "room_roles"');
  }
}
