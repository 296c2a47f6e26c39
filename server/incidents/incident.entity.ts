import { Field, ID, Int, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from "typeorm";
import {
  HoldReason,
  Impact,
  IncidentState,
  Priority,
  PublicStatus,
  ResolutionCode,
  RoomRole,
  Urgency,
} from "../domain/vocabulary";
import type { Service } from "../services/service.entity";

/**
 * An incident. Only IncidentService writes this table, inside one transaction per command that
 * also appends the change record, the timeline entry and the outbox event. Relations (owner,
 * queue, assignee, services, history, timeline) are resolved by the resolver's field resolvers.
 */
@ObjectType()
@Entity("incident")
export class Incident {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  /** Sequential, gap-free, from the "incident_number" counter. Shown as INC-000042. */
  @Index({ unique: true })
  @Column("integer")
  seqNumber!: number;

  @Field(() => String)
  @Column("text")
  title!: string;

  @Field(() => String)
  @Column("text")
  description!: string;

  @Field(() => Impact)
  @Column("text")
  impact!: Impact;

  @Field(() => Urgency)
  @Column("text")
  urgency!: Urgency;

  @Field(() => Priority, { description: "Derived from impact x urgency; never set directly." })
  @Index()
  @Column("text")
  priority!: Priority;

  @Field(() => IncidentState)
  @Index()
  @Column("text")
  state!: IncidentState;

  @Field(() => Int, { description: "Increments on every change; pass it back as expectedVersion." })
  @Column("integer")
  version!: number;

  @Field(() => Boolean, { name: "public", description: "Shown on the public status page." })
  @Column("boolean", { name: "is_public" })
  isPublic!: boolean;

  @Field(() => PublicStatus, { nullable: true })
  @Column("text", { nullable: true })
  publicStatus!: PublicStatus | null;

  @Index()
  @Column("uuid")
  ownerId!: string;

  @Index()
  @Column("uuid", { nullable: true })
  queueId!: string | null;

  @Index()
  @Column("uuid", { nullable: true })
  assigneeId!: string | null;

  @Field(() => HoldReason, { nullable: true })
  @Column("text", { nullable: true })
  holdReason!: HoldReason | null;

  @Field(() => ResolutionCode, { nullable: true })
  @Column("text", { nullable: true })
  resolutionCode!: ResolutionCode | null;

  @Field(() => String, { nullable: true })
  @Column("text", { nullable: true })
  resolutionNotes!: string | null;

  @Column("uuid", { nullable: true })
  relatedToId!: string | null;

  @Field(() => String, { nullable: true, description: "Linked problem record (root cause investigation)." })
  @Column("text", { nullable: true })
  problemReference!: string | null;

  @Column("jsonb", { nullable: true })
  review!: {
    summary: string;
    rootCause: string;
    lessons: string;
    completedAt: string;
    authorName: string;
  } | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  customerConfirmedAt!: Date | null;

  /** War-room roles: role -> user id. Changed only through assignRoomRole (documented). */
  @Column("jsonb", { default: {} })
  roomRoles!: Partial<Record<RoomRole, string>>;

  @ManyToMany("Service")
  @JoinTable({ name: "incident_service" })
  services?: Relation<Service>[];

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;

  @Field(() => Date)
  @Column("timestamptz")
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  closedAt!: Date | null;
}
