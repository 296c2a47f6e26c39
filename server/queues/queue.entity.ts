import { Field, ID, ObjectType } from "type-graphql";
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
import type { User } from "../auth/user.entity";

/** An escalation queue (support group). Members may acknowledge the incidents assigned to it. */
@ObjectType()
@Entity("queue")
export class Queue {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field(() => String)
  @Index({ unique: true })
  @Column("text")
  name!: string;

  /**
   * Who an unacknowledged incident in this queue is escalated to first (docs/service-levels.md);
   * null: straight to the incident managers. Set by admins (setQueueManager).
   */
  @Index()
  @Column("uuid", { nullable: true })
  managerId!: string | null;

  @ManyToMany("User")
  @JoinTable({ name: "queue_member" })
  members?: Relation<User>[];

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
