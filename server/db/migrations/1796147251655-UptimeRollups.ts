import type { MigrationInterface, QueryRunner } from "typeorm";
import { backfillUptimeRollups } from "../../services/uptime.service";

export class UptimeRollups1796147251655 implements MigrationInterface {
  name = "UptimeRollups1796147251655";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "service_uptime_day" ("service_id" uuid NOT NULL, "day" date NOT NULL, "excludes_maintenance" boolean NOT NULL, "has_data" boolean NOT NULL, "uptime_percent" double precision NOT NULL, "worst_status" text NOT NULL, "downtime_minutes" integer NOT NULL, "maintenance_minutes" integer NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_be665504bf0373c2bd04707691e" PRIMARY KEY ("service_id", "day", "excludes_maintenance"))',
    );
    // Backfill: the finished days of the last year, for the default setting (time in maintenance
    // excluded); the other variant is computed on first read if the setting is changed.
    await backfillUptimeRollups(queryRunner.manager, new Date(), 366, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "service_uptime_day"');
  }
}
