// The bell's operations (signed in): docs/notifications.md.
import { graphql, type ResultOf } from "../../graphql";

export const NOTIFICATION_FIELDS = graphql(`
  fragment NotificationFields on Notification {
    id kind title body read at seq
    incident { id number }
  }
`);

export const NOTIFICATION_INBOX = graphql(
  `
  query NotificationInbox($first: Int) {
    notificationInbox(first: $first) { seq unreadCount notifications { ...NotificationFields } }
  }
`,
  [NOTIFICATION_FIELDS],
);

export const NOTIFICATION_ADDED = graphql(
  `
  subscription NotificationAdded($since: String) {
    notificationAdded(since: $since) { ...NotificationFields }
  }
`,
  [NOTIFICATION_FIELDS],
);

export const NOTIFICATIONS_READ = graphql(`
  subscription NotificationsRead { notificationsRead { seq ids } }
`);

export const MARK_NOTIFICATIONS_READ = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) { markNotificationsRead(ids: $ids) }
`);

export const NOTIFICATION_PREFERENCES = graphql(`
  query NotificationPreferences {
    notificationPreferences { inApp email mutedEmailKinds kinds { kind label email } }
  }
`);

export const SET_NOTIFICATION_PREFERENCES = graphql(`
  mutation SetNotificationPreferences($input: NotificationPreferencesInput!) {
    setNotificationPreferences(input: $input) { inApp email mutedEmailKinds kinds { kind label email } }
  }
`);

export type NotificationItem = ResultOf<typeof NOTIFICATION_ADDED>["notificationAdded"];
export type Preferences = ResultOf<typeof NOTIFICATION_PREFERENCES>["notificationPreferences"];
