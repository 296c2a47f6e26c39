import { Field, Float, Int, ObjectType } from "type-graphql";
import { ServiceStatus } from "../domain/vocabulary";

@ObjectType({ description: "One day of a service's uptime bar (UTC day), computed from its status history." })
export class UptimeDay {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)." })
  date!: string;

  @Field(() => Boolean, { description: "False before the service existed." })
  hasData!: boolean;

  @Field(() => Float, {
    description: "Major outage counts fully, partial outage 30%; degraded and maintenance not.",
  })
  uptimePercent!: number;

  @Field(() => ServiceStatus)
  worstStatus!: ServiceStatus;

  @Field(() => Int)
  downtimeMinutes!: number;

  @Field(() => [String], { description: "Titles of public incidents affecting the service that day." })
  incidents!: string[];

  @Field(() => Int, {
    description:
      "Minutes under scheduled maintenance that day; not counted as downtime unless BEACON_UPTIME_EXCLUDES_MAINTENANCE=0.",
  })
  maintenanceMinutes!: number;

  @Field(() => [String], { description: "Titles of maintenance windows that ran on the service that day." })
  maintenances!: string[];
}
