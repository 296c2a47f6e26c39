// Responder notifications as other features use them (dependency rule: .dependency-cruiser.cjs).
// Call `notifyUsers` inside your command's transaction; see docs/notifications.md.

export {
  adminIds,
  defineNotificationJobs,
  incidentManagerIds,
  NOTIFICATION_EMAIL_JOB,
  NOTIFICATION_EVENT,
  type NotifyInput,
  notifyUsers,
  queueMemberIds,
} from "./notification.service";
export { notificationLink, notificationMail } from "./notification-mail";
