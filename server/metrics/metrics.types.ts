import { Field, Float, Int, ObjectType } from "type-graphql";
import { MetricsGroup } from "../domain/vocabulary";

// Definitions: docs/reports.md. Times are seconds; "business" figures count only business hours on
// business days (whatever the policy), and for resolving without the time on hold.

@ObjectType({
  description: "Incident metrics of one group (or, as `trends`, a service or category on the rise).",
})
export class MetricsRow {
  @Field(() => String, {
    description:
      'Priority ("P1"), service / category / queue id, local date ("YYYY-MM-DD" in the business time zone), or "none".',
  })
  key!: string;

  @Field(() => String, { description: 'Words for the key: "P1", the name, "Network › VPN", the date.' })
  label!: string;

  @Field(() => Int, {
    description: "Incidents opened in the range (trends: in the last 7 days), canceled ones left out.",
  })
  count!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Mean wall-clock seconds from opening to the first IN_PROGRESS.",
  })
  mttaSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Median of the same." })
  mttaMedianSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Mean business-hours seconds from opening to the first IN_PROGRESS.",
  })
  mttaBusinessSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Median of the same." })
  mttaBusinessMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean wall-clock seconds from opening to resolved." })
  mttrSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Median of the same." })
  mttrMedianSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Mean business-hours seconds from opening to resolved, time on hold excluded.",
  })
  mttrBusinessSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Median of the same." })
  mttrBusinessMedianSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "0..1: of the resolve clocks settled (met or breached), the share met in time; null: none settled.",
  })
  slaAttainment!: number | null;

  @Field(() => Float, { nullable: true, description: "0..1: the same for the acknowledge clocks." })
  ackAttainment!: number | null;

  @Field(() => Int, { description: "Incidents that breached their acknowledge or resolve target (or both)." })
  breaches!: number;

  @Field(() => Int)
  ackBreaches!: number;

  @Field(() => Int)
  resolveBreaches!: number;

  @Field(() => MetricsGroup, { nullable: true, description: "Trends only: SERVICE or CATEGORY." })
  group!: MetricsGroup | null;

  @Field(() => Float, {
    nullable: true,
    description: "Trends only: the weekly mean of the 4 weeks before the last 7 days.",
  })
  baselineWeekly!: number | null;
}

@ObjectType({
  description: "Incident metrics over a range (incidents opened in [from, to)); docs/reports.md.",
})
export class IncidentMetrics {
  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => MetricsGroup)
  groupBy!: MetricsGroup;

  @Field(() => String, { description: "The business time zone days are counted in (BEACON_TIME_ZONE)." })
  timeZone!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Mean time from open to first acknowledgement (IN_PROGRESS).",
  })
  mttaSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttaMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttaBusinessSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttaBusinessMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "Mean time from open to resolved." })
  mttrSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttrMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttrBusinessSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  mttrBusinessMedianSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: "0..1 of resolve clocks met." })
  slaAttainment!: number | null;

  @Field(() => Float, { nullable: true, description: "0..1 of acknowledge clocks met." })
  ackAttainment!: number | null;

  @Field(() => Int)
  breaches!: number;

  @Field(() => Int)
  ackBreaches!: number;

  @Field(() => Int)
  resolveBreaches!: number;

  @Field(() => [MetricsRow], {
    description:
      "One row per group; an incident on several services counts in each of their rows. DAY: every day of the range, empty ones too.",
  })
  rows!: MetricsRow[];

  @Field(() => [MetricsRow], {
    description:
      "Services and categories whose incidents in the 7 days before `to` (or now) exceed their 4-week baseline.",
  })
  trends!: MetricsRow[];
}
