import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The table rate-limiter-flexible counts sign-in attempts in (server/rate-limit/), in its own
 * layout. Created here rather than by the library on first use: its first use is the first
 * sign-in, whose three limiters each ran CREATE TABLE at once (DDL racing at runtime).
 */
export class RateLimitTable1796149000000 implements MigrationInterface {
  name = "RateLimitTable1796149000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE IF NOT EXISTS "rate_limit" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS "rate_limit"');
  }
}
