import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Notification } from "./notification.entity";

@ObjectType({
  description:
    "The bell's snapshot: newest notifications, the unread count, and the seq they reflect (subscribe to notificationAdded(since: seq) to continue without a gap).",
})
export class NotificationInbox {
  @Field(() => String)
  seq!: string;

  @Field(() => Int)
  unreadCount!: number;

  @Field(() => [Notification])
  notifications!: Notification[];
}

@ObjectType({
  description:
    "Notifications their user marked read, in any session (another tab or device): the bell there follows.",
})
export class NotificationsRead {
  @Field(() => String, { description: "The event's seq (resume with notificationsRead(since: seq))." })
  seq!: string;

  @Field(() => [ID], { description: "The notifications now read." })
  ids!: string[];
}

@ObjectType({ description: "Whether one kind of notification is also sent by email." })
export class NotificationKindSetting {
  @Field(() => String)
  kind!: string;

  @Field(() => String)
  label!: string;

  @Field(() => Boolean, { description: "Sent by email (needs email on as well)." })
  email!: boolean;
}

@ObjectType({ description: "The signed-in user's notification channels." })
export class NotificationPreferences {
  @Field(() => Boolean, { description: "In the war room (the bell): always on." })
  inApp!: boolean;

  @Field(() => Boolean, { description: "Email copies at all." })
  email!: boolean;

  @Field(() => [String], { description: "Kinds whose email copy is off." })
  mutedEmailKinds!: string[];

  @Field(() => [NotificationKindSetting])
  kinds!: NotificationKindSetting[];
}

@InputType()
export class NotificationPreferencesInput {
  @Field(() => Boolean, { description: "false: no email copies at all (in-app stays on)." })
  email!: boolean;

  @Field(() => [String], { nullable: true, description: "Kinds whose email copy is off." })
  @ArrayMaxSize(50)
  @MaxLength(64, { each: true })
  mutedEmailKinds?: string[] | null;
}
