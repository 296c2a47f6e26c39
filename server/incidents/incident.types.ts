import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

export { HistoryVerification } from "../history/history.types";

import { User } from "../auth/user.entity";
import { Impact, IncidentState, Priority, RoomRole, Urgency } from "../domain/vocabulary";
import { Incident } from "./incident.entity";
import { TimelineEntry } from "./timeline-entry.entity";

@InputType()
export class OpenIncidentInput {
  @Field(() => String)
  @MaxLength(200)
  title!: string;

  @Field(() => String)
  @MaxLength(10_000)
  description!: string;

  @Field(() => Impact)
  impact!: Impact;

  @Field(() => Urgency)
  urgency!: Urgency;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(100)
  serviceIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Default false; true publishes it on the status page.",
  })
  public?: boolean | null;
}

@InputType()
export class UpdateIncidentInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => Impact, { nullable: true })
  impact?: Impact | null;

  @Field(() => Urgency, { nullable: true })
  urgency?: Urgency | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the linked services." })
  @ArrayMaxSize(100)
  serviceIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true publishes it on the status page; false withdraws it from there.",
  })
  public?: boolean | null;
}

@InputType()
export class IncidentFilter {
  @Field(() => [IncidentState], { nullable: true })
  states?: IncidentState[] | null;

  @Field(() => [Priority], { nullable: true })
  priorities?: Priority[] | null;

  @Field(() => ID, { nullable: true })
  serviceId?: string | null;

  @Field(() => ID, { nullable: true })
  queueId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Matches the number (INC-000042 or 42), title or description.",
  })
  @MaxLength(200)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Only incidents I own or am assigned to." })
  mine?: boolean | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class IncidentEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Incident)
  node!: Incident;
}

@ObjectType()
export class IncidentConnection {
  @Field(() => [IncidentEdge])
  edges!: IncidentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Matching incidents in all pages." })
  totalCount!: number;
}

@ObjectType({ description: "The completed post-incident review." })
export class IncidentReview {
  @Field(() => String)
  summary!: string;

  @Field(() => String)
  rootCause!: string;

  @Field(() => String)
  lessons!: string;

  @Field(() => Date)
  completedAt!: Date;

  @Field(() => String)
  authorName!: string;
}

@ObjectType({ description: "Something happened to an incident: its current state and the entry it added." })
export class IncidentEvent {
  @Field(() => String)
  seq!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => Incident, { description: "The incident as it is now (not as it was at this event)." })
  incident!: Incident;

  @Field(() => TimelineEntry, { nullable: true, description: "The timeline entry this event added, if any." })
  entry!: TimelineEntry | null;
}

@ObjectType()
export class RoomRoleAssignment {
  @Field(() => RoomRole)
  role!: RoomRole;

  @Field(() => User)
  user!: User;
}
