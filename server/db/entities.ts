import { ApiKey } from "../auth/api-key.entity";
import { Session } from "../auth/session.entity";
import { User } from "../auth/user.entity";
import { Category } from "../categories/category.entity";
import { Counter, EventRecord } from "../events/event.entity";
import { ChangeRecord } from "../history/change-record.entity";
import { Incident } from "../incidents/incident.entity";
import { PublicUpdate } from "../incidents/public-update.entity";
import { TimelineEntry } from "../incidents/timeline-entry.entity";
import { BeaconSecret, OutboxCursor } from "../jobs/cursor.entity";
import { OutgoingMail } from "../mail/outgoing-mail.entity";
import {
  Maintenance,
  MaintenanceReminder,
  MaintenanceService,
  MaintenanceUpdate,
} from "../maintenance/maintenance.entity";
import { IncidentMetricsSample } from "../metrics/incident-metrics-sample.entity";
import { Notification, NotificationPreference } from "../notifications/notification.entity";
import { Problem } from "../problems/problem.entity";
import { Queue } from "../queues/queue.entity";
import { ReviewActionItem } from "../reviews/action-item.entity";
import { Service } from "../services/service.entity";
import { ServiceUptimeDay } from "../services/uptime-day.entity";
import { IncidentSlaRecord } from "../sla/incident-sla.entity";
import { SlaPolicy } from "../sla/sla-policy.entity";
import { Delivery, DeliveryAttempt } from "../subscriptions/delivery.entity";
import { UpdateSubscription } from "../subscriptions/update-subscription.entity";

/** Every entity, listed explicitly (no globs: tsx, vitest and tsc all resolve these the same way). */
export const ENTITIES = [
  User,
  Session,
  ApiKey,
  Queue,
  Service,
  ServiceUptimeDay,
  ChangeRecord,
  EventRecord,
  Counter,
  Incident,
  TimelineEntry,
  PublicUpdate,
  OutboxCursor,
  BeaconSecret,
  OutgoingMail,
  UpdateSubscription,
  Delivery,
  DeliveryAttempt,
  Maintenance,
  MaintenanceService,
  MaintenanceUpdate,
  MaintenanceReminder,
  Category,
  Problem,
  ReviewActionItem,
  Notification,
  NotificationPreference,
  SlaPolicy,
  IncidentSlaRecord,
  IncidentMetricsSample,
];
