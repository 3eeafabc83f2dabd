import { z } from 'zod';
import { DomainError } from '../errors';
import { parseInput } from '../parse-input';
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

const liveSchema = z
  .object({
    id: z.string().min(1).max(512),
    organizationId: z.string().min(1).max(128),
    recipientId: z.string().min(1).max(128),
    kind: z.string().min(1).max(64),
    subject: z.string().min(1).max(500),
    link: z.string().max(2048).nullish(),
    createdAt: z.string().datetime({ offset: true }),
  })
  .strict();

/**
 * Who called: a signed-in person (user-pool token), a person through the identity pool, or a
 * principal of the deployment's own account (the notifier's role, signing with IAM).
 */
export type CallerIdentity = {
  sub?: string;
  claims?: Record<string, unknown>;
  userArn?: string;
  cognitoIdentityId?: string | null;
  cognitoIdentityPoolId?: string | null;
};

/**
 * `publishNotification`: only the deployment's own services may push a notification — never a
 * person, whether signed in with a user-pool token or with identity-pool credentials. It stores
 * nothing; its result is what onNotification delivers to the recipient.
 */
export function publishNotification(
  identity: CallerIdentity | null | undefined,
  args: unknown,
): LiveNotification {
  const person =
    !identity?.userArn ||
    identity.sub !== undefined ||
    identity.claims?.sub !== undefined ||
    Boolean(identity.cognitoIdentityId) ||
    Boolean(identity.cognitoIdentityPoolId);
  if (person) {
    throw new DomainError('FORBIDDEN', 'Only Steward itself publishes notifications.', {
      resolution: 'Notifications are created by the notifier when something happens.',
    });
  }
  const { link, ...input } = parseInput(liveSchema, args);
  return { ...input, ...(link ? { link } : {}) };
}
