import type { NotificationRecord } from '../records';

/** What a recipient's open sessions receive when a notification is recorded for them. */
export type LiveNotification = Pick<
  NotificationRecord,
  'id' | 'organizationId' | 'recipientId' | 'kind' | 'subject' | 'link' | 'createdAt'
>;

/** The in-app part of a delivery record: what is pushed, never the email address or status. */
export function liveNotificationOf(record: NotificationRecord): LiveNotification {
  return {
    id: record.id,
    organizationId: record.organizationId,
    recipientId: record.recipientId,
    kind: record.kind,
    subject: record.subject,
    ...(record.link ? { link: record.link } : {}),
    createdAt: record.createdAt,
  };
}

/**
 * The longest value of each field of a live notification. The `publishNotification` resolver
 * (amplify/data/publish-notification.js, no Lambda) refuses longer ones; it repeats these because
 * APPSYNC_JS cannot import, and amplify/data/resolver-constants.test.ts ties the two.
 */
export const LIVE_NOTIFICATION_LIMITS = {
  id: 512,
  organizationId: 128,
  recipientId: 128,
  kind: 64,
  subject: 500,
  link: 2048,
} as const;
