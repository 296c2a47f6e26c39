import { IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MAX_DESCRIPTION, MAX_TITLE, MaintenanceState } from "../domain/maintenance";
import { Service } from "../services/service.entity";

registerEnumType(MaintenanceState, {
  name: "MaintenanceState",
  description: "Statuspage's vocabulary: SCHEDULED -> IN_PROGRESS -> VERIFYING -> COMPLETED, or CANCELED.",
});

@ObjectType("MaintenanceUpdate", { description: "A public update on a maintenance window." })
export class MaintenanceUpdateType {
  @Field(() => ID)
  id!: string;

  @Field(() => MaintenanceState)
  state!: MaintenanceState;

  @Field(() => String)
  message!: string;

  @Field(() => Date)
  at!: Date;
}

@ObjectType("Maintenance", {
  description:
    "(public) A scheduled maintenance window. Every field is public: it is shown on the status page.",
})
export class MaintenanceType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => MaintenanceState)
  state!: MaintenanceState;

  @Field(() => [Service])
  services!: Service[];

  @Field(() => Date)
  scheduledStart!: Date;

  @Field(() => Date)
  scheduledEnd!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => Boolean, { description: "Start/finish by itself at the scheduled times." })
  autoTransition!: boolean;

  @Field(() => [MaintenanceUpdateType], { description: "Newest first." })
  updates!: MaintenanceUpdateType[];

  @Field(() => Int)
  version!: number;
}

@InputType()
export class ScheduleMaintenanceInput {
  @Field(() => String)
  @MaxLength(MAX_TITLE)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @Field(() => [ID])
  serviceIds!: string[];

  @Field(() => Date)
  scheduledStart!: Date;

  @Field(() => Date)
  scheduledEnd!: Date;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  autoTransition?: boolean | null;
}

@InputType()
export class UpdateMaintenanceInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_TITLE)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @Field(() => [ID], { nullable: true })
  serviceIds?: string[] | null;

  @Field(() => Date, { nullable: true })
  scheduledStart?: Date | null;

  @Field(() => Date, { nullable: true })
  scheduledEnd?: Date | null;

  @Field(() => Boolean, { nullable: true })
  autoTransition?: boolean | null;
}
