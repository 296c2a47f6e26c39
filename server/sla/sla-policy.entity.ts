import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryColumn } from "typeorm";
import { Priority } from "../domain/vocabulary";

/**
 * The service level of one priority (docs/service-levels.md). Seeded with the defaults by the
 * migration; changed only by setSlaPolicy (documented in the change history, subject "sla_policy").
 * A change applies to incidents opened (or re-prioritised) afterwards: each incident copies its
 * targets into incident_sla when it opens.
 */
@ObjectType("SlaPolicy")
@Entity("sla_policy")
export class SlaPolicy {
  @Field(() => Priority)
  @PrimaryColumn("text")
  priority!: Priority;

  @Field(() => Int, { description: "Target from opening to acknowledgement (IN_PROGRESS the first time)." })
  @Column("integer")
  acknowledgeMinutes!: number;

  @Field(() => Int, { description: "Target from opening to RESOLVED, time on hold not counted." })
  @Column("integer")
  resolveMinutes!: number;

  @Field(() => Boolean, { description: "Count only business hours on business days (else 24x7)." })
  @Column("boolean")
  businessHours!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "A public update is due this often while the incident is open and public; null: none.",
  })
  @Column("integer", { nullable: true })
  publicUpdateEveryMinutes!: number | null;

  @Field(() => Boolean, {
    description: "Close resolved incidents by rule once the closure requirements are met.",
  })
  @Column("boolean")
  autoClose!: boolean;

  /** 0: the seeded default, never changed; each setSlaPolicy adds one (change history, "sla_policy"). */
  @Column("integer", { default: 0 })
  version!: number;

  @Column("timestamptz")
  updatedAt!: Date;
}
