import { Field, ID, ObjectType } from "type-graphql";
import { PublicStatus, StatusEventKind, StatusIndicator } from "../domain/vocabulary";
import { Service } from "../services/service.entity";

@ObjectType("PublicUpdate", { description: "A message to end users on the status page." })
export class PublicUpdateType {
  @Field(() => ID)
  id!: string;

  @Field(() => PublicStatus)
  status!: PublicStatus;

  @Field(() => String)
  message!: string;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({ description: "An incident as the public sees it: no people, notes, description or history." })
export class PublicIncident {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => PublicStatus)
  status!: PublicStatus;

  @Field(() => StatusIndicator, { description: "P1 CRITICAL, P2 MAJOR, P3/P4 MINOR." })
  impact!: StatusIndicator;

  @Field(() => [Service])
  services!: Service[];

  @Field(() => [PublicUpdateType], { description: "Newest first." })
  updates!: PublicUpdateType[];

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;
}

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
}
