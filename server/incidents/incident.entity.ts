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
  ServiceStatus,
  Urgency,
} from "../domain/vocabulary";
import type { Service } from "../services/service.entity";

export interface RequesterData {
  name: string;
  email: string | null;
  phone: string | null;
  organization: string | null;
}

/** The post-incident review as a document. Older completed reviews have only the first three. */
export interface ReviewDocument {
  summary: string;
  rootCause: string;
  lessons: string;
  timelineExcerpt?: string | null;
  wentWell?: string | null;
  wentBadly?: string | null;
  /** Explicitly no action items (completing needs at least one item, or this). */
  noActionItems?: boolean;
  /** Written for the public; shown on the status page's incident page once the review is completed. */
  publicPostmortem?: string | null;
}

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

  @Field(() => String, {
    nullable: true,
    description: "What customers see as the title on the status page; the title when not set.",
  })
  @Column("text", { nullable: true })
  publicTitle!: string | null;

  /**
   * What this incident does to its services while it lasts (service id -> status), set with
   * serviceImpacts and released when it is resolved, canceled or withdrawn (docs/public-story.md).
   */
  @Column("jsonb", { default: {} })
  serviceImpacts!: Record<string, ServiceStatus>;

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

  @Field(() => Priority, {
    description: "The highest priority it ever had; the closure requirements follow it.",
  })
  @Column("text")
  peakPriority!: Priority;

  /** Major once major (peak P1): a lowered major incident still gets the major-incident process. */
  @Column("boolean", { default: false })
  major!: boolean;

  /** Work started at some point (acknowledged or started), even if it was handed back since. */
  @Column("boolean", { default: false })
  workStarted!: boolean;

  @Index()
  @Column("uuid", { nullable: true })
  categoryId!: string | null;

  /** Who reported it: the person contact attempts and the confirmation are about. */
  @Column("jsonb", { nullable: true })
  requester!: RequesterData | null;

  /** The problem record (PRB-...) investigating its root cause, when linked to one in Beacon. */
  @Index()
  @Column("uuid", { nullable: true })
  problemId!: string | null;

  /** The post-incident review document while it is written (completed: `review`). */
  @Column("jsonb", { nullable: true })
  reviewDraft!: ReviewDocument | null;

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
  review!: (ReviewDocument & { completedAt: string; authorName: string }) | null;

  @Field(() => Date, { nullable: true })
  @Column("timestamptz", { nullable: true })
  customerConfirmedAt!: Date | null;

  /** War-room roles: role -> user id. Changed only through assignRoomRole (documented). */
  @Column("jsonb", { default: {} })
  roomRoles!: Partial<Record<RoomRole, string>>;

  @ManyToMany("Service")
  @JoinTable({ name: "incident_service" })
  services?: Relation<Service>[];

  /** Indexed: reports select incidents by when they were opened (docs/reports.md). */
  @Field(() => Date)
  @Index()
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
