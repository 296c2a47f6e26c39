import { Field, InputType, Int, ObjectType } from "type-graphql";
import { Priority } from "../domain/vocabulary";

@ObjectType({ description: "One service-level clock of an incident (docs/service-levels.md)." })
export class SlaClock {
  @Field(() => Date, {
    nullable: true,
    description: "When the target is (or was) reached if nothing changes; null while paused or once met.",
  })
  dueAt!: Date | null;

  @Field(() => Int, {
    description: "The target, in the clock's measure (business seconds for business-hours policies).",
  })
  targetSeconds!: number;

  @Field(() => Int, { description: "Counted so far (time on hold excluded), in the clock's measure." })
  elapsedSeconds!: number;

  @Field(() => Int, { description: "targetSeconds - elapsedSeconds; negative once breached." })
  remainingSeconds!: number;

  @Field(() => Boolean, { description: "Stopped while the incident is on hold." })
  paused!: boolean;

  @Field(() => Int, {
    description:
      "How long the hold going on now has lasted (0 when not paused), in the clock's measure (business seconds for business-hours policies).",
  })
  pausedForSeconds!: number;

  @Field(() => Date, {
    nullable: true,
    description:
      "When the hold going on now began; null when not paused. A client counts time on hold from it.",
  })
  pausedSince!: Date | null;

  @Field(() => Boolean)
  warned!: boolean;

  @Field(() => Boolean)
  breached!: boolean;

  @Field(() => Date, { nullable: true, description: "When the clock stopped: acknowledged / resolved." })
  metAt!: Date | null;

  @Field(() => Boolean, { description: "Counts business hours on business days only (else 24x7)." })
  businessHours!: boolean;
}

@ObjectType({ description: "An incident's service levels: its two clocks and the update cadence." })
export class IncidentSla {
  @Field(() => SlaClock, { description: "From opening to acknowledgement (IN_PROGRESS the first time)." })
  acknowledge!: SlaClock;

  @Field(() => SlaClock, { description: "From opening to RESOLVED, paused while ON_HOLD." })
  resolve!: SlaClock;

  @Field(() => Date, {
    nullable: true,
    description:
      "The earlier due time of the running clocks (in the past once overdue); null when no clock runs (on hold, resolved, closed, canceled). The key of incidents(orderBy: DUE_SOONEST).",
  })
  nextDueAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "When the next public update is due (P1/P2 policies while open and public); null: none due.",
  })
  nextPublicUpdateDueAt!: Date | null;

  @Field(() => Int, {
    description: "0: not escalated; 1: to the queue's manager; 2: to the incident managers.",
  })
  escalationLevel!: number;
}

@InputType()
export class SlaPolicyInput {
  @Field(() => Priority)
  priority!: Priority;

  @Field(() => Int)
  acknowledgeMinutes!: number;

  @Field(() => Int)
  resolveMinutes!: number;

  @Field(() => Boolean)
  businessHours!: boolean;

  @Field(() => Int, { nullable: true })
  publicUpdateEveryMinutes?: number | null;

  @Field(() => Boolean)
  autoClose!: boolean;
}
