import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  buildEmail,
  emailWorkOrderFrom,
  notificationsFor,
  type Image,
  type PlannedNotification,
} from '../../../core/notifications/rules';
import { invitationFor } from '../../../core/notifications/invitations';
import type {
  Clock,
  Mailer,
  MembershipStore,
  NotificationStore,
  OrganizationStore,
} from '../../../core/ports';
import { memberOwnerValue, type NotificationRecord } from '../../../core/records';
import { deliverInvitation } from './deliver-invitation';

/** How long a claimed delivery is reserved for the attempt that claimed it (the Lambda times out at 30 s). */
const LEASE_MS = 2 * 60_000;

/** What the notifier needs: ports plus its configuration. */
export type NotifierDeps = {
  clock: Clock;
  memberships: MembershipStore;
  /** Organization names for invitation emails. */
  organizations: Pick<OrganizationStore, 'get'>;
  notifications: NotificationStore;
  mailer: Mailer;
  mailFrom: string;
  appUrl: string;
  logger: Logger;
};

const imageOf = (image: unknown): Image | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

async function deliver(
  deps: NotifierDeps,
  planned: PlannedNotification,
  newImage: Image,
): Promise<void> {
  const { logger } = deps;
  const member = await deps.memberships.find(planned.organizationId, planned.recipientId);
  if (member?.status !== 'ACTIVE' || !member.email) {
    // Retrying cannot create the member: skip, not fail.
    logger.warn('recipient is not an active member with an email', {
      dedupeKey: planned.dedupeKey,
    });
    return;
  }
  const content = buildEmail({
    kind: planned.kind,
    workOrder: emailWorkOrderFrom(newImage),
    appUrl: deps.appUrl,
    recipientName: member.displayName,
  });
  const now = deps.clock.now();
  const at = now.toISOString();
  const record: NotificationRecord = {
    id: planned.dedupeKey,
    organizationId: planned.organizationId,
    recipientId: planned.recipientId,
    recipient: memberOwnerValue(member, planned.recipientId),
    email: member.email,
    kind: planned.kind,
    subject: content.subject,
    link: content.link,
    status: 'PENDING',
    attempts: 1,
    createdAt: at,
    updatedAt: at,
  };
  const claim = await deps.notifications.claim(
    record,
    new Date(now.getTime() + LEASE_MS).toISOString(),
  );
  switch (claim) {
    case 'SENT':
      logger.info('already sent', { dedupeKey: planned.dedupeKey });
      return;
    case 'BUSY':
      throw new Error(`Delivery ${planned.dedupeKey} is held by another attempt`);
    case 'CLAIMED':
      break;
    default: {
      const unexpected: never = claim;
      throw new Error(`Unexpected claim outcome ${String(unexpected)}`);
    }
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: deps.mailFrom,
      to: member.email,
      subject: content.subject,
      html: content.html,
      text: content.text,
    }));
  } catch (err) {
    // Leave it retryable: FAILED and unleased, so the redelivered record claims it again.
    await deps.notifications.markFailed(
      record.id,
      err instanceof Error ? err.message : String(err),
      deps.clock.now().toISOString(),
    );
    throw err;
  }
  await deps.notifications.markSent(record.id, messageId, deps.clock.now().toISOString());
  logger.info('sent', { dedupeKey: planned.dedupeKey, messageId });
}

async function processRecord(deps: NotifierDeps, record: DynamoDBRecord): Promise<void> {
  const newImage = imageOf(record.dynamodb?.NewImage);
  const oldImage = imageOf(record.dynamodb?.OldImage);
  if (!newImage) return;
  // The notifier also consumes the OrganizationMember stream: invitations are all it mails there.
  if (newImage.__typename === 'OrganizationMember') {
    const invitation = invitationFor(oldImage, newImage);
    if (invitation) await deliverInvitation(deps, invitation);
    return;
  }
  for (const planned of notificationsFor(oldImage, newImage)) {
    await deliver(deps, planned, newImage);
  }
}

/**
 * Builds the stream handler: for each record, decides the notifications (core rules), claims each
 * delivery before sending and marks it SENT after, so redelivered records send nothing twice.
 * A record that fails is reported in `batchItemFailures` and retried by the event source.
 */
export function createNotifierHandler(deps: NotifierDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await processRecord(deps, record);
      } catch (err) {
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        deps.logger.error('record failed', {
          eventID: record.eventID,
          sequenceNumber,
          error: err as Error,
        });
        if (sequenceNumber) batchItemFailures.push({ itemIdentifier: sequenceNumber });
        else throw err;
      }
    }
    return { batchItemFailures };
  };
}
