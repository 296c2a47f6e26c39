import { Field, ID, ObjectType } from "type-graphql";
import { PublicStatus, StatusIndicator } from "../domain/vocabulary";
import { Service } from "../services/service.entity";

// The GraphQL types of the public projection (./public-projection.ts builds the values).

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

  @Field(() => Date, { nullable: true, description: "When the next update was promised." })
  nextUpdateBy!: Date | null;
}

@ObjectType({ description: "An incident as the public sees it: no people, notes, description or history." })
export class PublicIncident {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The public title (the incident's title when none was written)." })
  title!: string;

  @Field(() => PublicStatus)
  status!: PublicStatus;

  @Field(() => StatusIndicator, {
    description:
      "The worst status the incident gives its services (major outage CRITICAL, partial MAJOR, degraded MINOR); without service impacts from the priority: P1 CRITICAL, P2 MAJOR, P3/P4 MINOR.",
  })
  impact!: StatusIndicator;

  @Field(() => [Service])
  services!: Service[];

  @Field(() => [PublicUpdateType], { description: "Newest first." })
  updates!: PublicUpdateType[];

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The post-incident review's public postmortem, once the review is completed.",
  })
  postmortem!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: "The latest update's promise of the next one; null once resolved.",
  })
  nextUpdateBy!: Date | null;
}
