import { Field, ID, ObjectType } from "type-graphql";
import { StatusEventKind, StatusIndicator } from "../domain/vocabulary";
import { PublicIncident } from "../incidents/public-incident.types";
import { MaintenanceType } from "../maintenance/maintenance.types";
import { Service } from "../services/service.entity";

@ObjectType()
export class StatusSummary {
  @Field(() => String, {
    description: "Last event seq this snapshot reflects; pass it to statusChanged(since:).",
  })
  seq!: string;

  @Field(() => StatusIndicator)
  indicator!: StatusIndicator;

  @Field(() => String, { description: 'e.g. "All Systems Operational".' })
  description!: string;

  @Field(() => [Service])
  services!: Service[];

  @Field(() => [PublicIncident])
  activeIncidents!: PublicIncident[];

  @Field(() => [PublicIncident], {
    description:
      "Resolved within the last BEACON_RECENT_DAYS days (default 3), most recently resolved first.",
  })
  recentlyResolved!: PublicIncident[];

  @Field(() => [MaintenanceType], { description: "Upcoming and in-progress maintenance, soonest first." })
  maintenances!: MaintenanceType[];

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class StatusEvent {
  @Field(() => String)
  seq!: string;

  @Field(() => StatusEventKind)
  kind!: StatusEventKind;

  @Field(() => Date)
  at!: Date;

  @Field(() => Service, { nullable: true })
  service!: Service | null;

  @Field(() => PublicIncident, { nullable: true })
  incident!: PublicIncident | null;

  @Field(() => ID, {
    nullable: true,
    description: "Set when an incident was taken off the status page (unpublished or canceled): drop it.",
  })
  withdrawnIncidentId!: string | null;

  @Field(() => MaintenanceType, { nullable: true, description: "Set by the MAINTENANCE_* kinds." })
  maintenance!: MaintenanceType | null;
}
