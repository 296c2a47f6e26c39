import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

export { HistoryVerification } from "../history/history.types";

import { User } from "../auth/user.entity";
import { Impact, IncidentState, Priority, RoomRole, ServiceStatus, Urgency } from "../domain/vocabulary";
import { Incident } from "./incident.entity";
import { TimelineEntry } from "./timeline-entry.entity";

@InputType()
export class RequesterInput {
  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(320)
  email?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(40)
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  organization?: string | null;
}

@ObjectType()
export class Requester {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  organization!: string | null;
}

@InputType({
  description: "The post-incident review document; given fields replace the draft's, blank clears.",
})
export class ReviewDraftInput {
  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true, description: "Drafted from the incident's own timeline." })
  timelineExcerpt?: string | null;

  @Field(() => String, { nullable: true })
  rootCause?: string | null;

  @Field(() => String, { nullable: true })
  wentWell?: string | null;

  @Field(() => String, { nullable: true })
  wentBadly?: string | null;

  @Field(() => String, { nullable: true })
  lessons?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Explicitly no action items." })
  noActionItems?: boolean | null;

  @Field(() => String, { nullable: true, description: "Written for the public; shown on the status page." })
  publicPostmortem?: string | null;
}

@ObjectType({ description: "The post-incident review document (a draft until completedAt is set)." })
export class ReviewDocumentType {
  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => String, { nullable: true })
  timelineExcerpt!: string | null;

  @Field(() => String, { nullable: true })
  rootCause!: string | null;

  @Field(() => String, { nullable: true })
  wentWell!: string | null;

  @Field(() => String, { nullable: true })
  wentBadly!: string | null;

  @Field(() => String, { nullable: true })
  lessons!: string | null;

  @Field(() => Boolean)
  noActionItems!: boolean;

  @Field(() => String, { nullable: true })
  publicPostmortem!: string | null;
}

@ObjectType({ description: "Whether a hash chain still adds up, and the first row that does not." })
export class ChainVerification {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int, { description: "Rows checked (up to the first broken one)." })
  checked!: number;

  @Field(() => String, {
    nullable: true,
    description: "Id of the first entry or public update that does not add up.",
  })
  firstBrokenAt!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "Who removed an entry's text, when and why." })
export class Redaction {
  @Field(() => String)
  authorName!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String)
  reason!: string;
}

@InputType({ description: "A service's status while the incident lasts (Statuspage's component picker)." })
export class ServiceImpactInput {
  @Field(() => ID)
  serviceId!: string;

  @Field(() => ServiceStatus, {
    description: "DEGRADED_PERFORMANCE, PARTIAL_OUTAGE or MAJOR_OUTAGE; OPERATIONAL in an update: recovered.",
  })
  status!: ServiceStatus;
}

@ObjectType({ description: "One item of the closure checklist, in the war room's words." })
export class ClosureRequirement {
  @Field(() => String, { description: "RESOLVED, CUSTOMER_CONFIRMATION_OR_ATTEMPTS, REVIEW or PROBLEM." })
  key!: string;

  @Field(() => String, { description: "What is needed, as a sentence." })
  label!: string;

  @Field(() => Boolean)
  met!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'What was found so far, e.g. "2 of 3 attempts, 1 of 2 methods, 3 of 5 business days".',
  })
  detail!: string | null;
}

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

  @Field(() => ID, { nullable: true, description: "A category or subcategory (categories)." })
  categoryId?: string | null;

  @Field(() => RequesterInput, { nullable: true, description: "Who reported it." })
  requester?: RequesterInput | null;

  @Field(() => [ServiceImpactInput], {
    nullable: true,
    description: "Public incidents: set these services' status in the same command.",
  })
  @ArrayMaxSize(100)
  serviceImpacts?: ServiceImpactInput[] | null;

  @Field(() => String, { nullable: true, description: "What customers see; defaults to the title." })
  @MaxLength(200)
  publicTitle?: string | null;
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

  @Field(() => String, {
    nullable: true,
    description: "Why; required when lowering impact or urgency after work started (incident managers).",
  })
  @MaxLength(10_000)
  reason?: string | null;

  @Field(() => ID, { nullable: true, description: "A category or subcategory (categories)." })
  categoryId?: string | null;

  @Field(() => RequesterInput, { nullable: true, description: "Who reported it." })
  requester?: RequesterInput | null;

  @Field(() => [ServiceImpactInput], {
    nullable: true,
    description: "Public incidents: set these services' status in the same command.",
  })
  @ArrayMaxSize(100)
  serviceImpacts?: ServiceImpactInput[] | null;

  @Field(() => String, { nullable: true, description: "What customers see; defaults to the title." })
  @MaxLength(200)
  publicTitle?: string | null;
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

  @Field(() => ID, {
    nullable: true,
    description: "Incidents in this category, or in one of its subcategories when it is a top-level one.",
  })
  categoryId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Matches the number (INC-000042 or 42), title, description or category name.",
  })
  @MaxLength(200)
  search?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Only incidents I own or am assigned to, and those waiting in one of my queues for acknowledgement.",
  })
  mine?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Only incidents that need me now: waiting in one of my queues (or on me) for acknowledgement, assigned to me and being worked or on hold, opened by me and not yet taken, or resolved and mine to close.",
  })
  needsMe?: boolean | null;
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

  @Field(() => String, { nullable: true })
  timelineExcerpt?: string | null;

  @Field(() => String, { nullable: true })
  wentWell?: string | null;

  @Field(() => String, { nullable: true })
  wentBadly?: string | null;

  @Field(() => Boolean, { nullable: true })
  noActionItems?: boolean | null;

  @Field(() => String, { nullable: true })
  publicPostmortem?: string | null;

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
