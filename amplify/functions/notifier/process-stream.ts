import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  buildEmail,
  emailWorkOrderFrom,
  notificationsFor,
  type PlannedNotification,
} from '../../../core/notifications/rules';
import type { Image } from '../../../core/notifications/stream-image';
import type { EmailContent } from '../../../core/notifications/email-layout';
import { invitationFor } from '../../../core/notifications/invitations';
import { liveNotificationOf } from '../../../core/notifications/live';
import {
  buildLowStockEmail,
  LOW_STOCK_KIND,
  lowStockCrossing,
  lowStockKey,
  lowStockRecipients,
} from '../../../core/notifications/low-stock';
import {
  buildNewRequestEmail,
  newRequestKey,
  newRequestOf,
  newRequestRecipients,
} from '../../../core/notifications/new-requests';
import { wantsEmail, type PreferenceKind } from '../../../core/notifications/preferences';
import type { LivePublisher, ProfileStore } from '../../../core/ports';
import { type MemberRecord, type NotificationRecord } from '../../../core/records';
import { streamImages } from '../shared/stream-images';
import { deliverInvitation, type InvitationDeps } from './deliver-invitation';
import { sendOnce } from './send-once';

/** What the notifier needs: what invitations need, plus preferences and live pushes. */
export type NotifierDeps = InvitationDeps & {
  /** Email preferences of recipients (absent profile: every email on). */
  profiles: Pick<ProfileStore, 'get'>;
  /** Pushes each new in-app notification to its recipient's open sessions. */
  live: LivePublisher;
};

/**
 * Delivers one notification to one ACTIVE member: always an in-app Notification record (the
 * recipient reads it through the owner rule), and the email unless the member turned this kind
 * off — then the record is SKIPPED_BY_PREFERENCE and nothing is sent.
 */
async function deliverTo(
  deps: NotifierDeps,
  member: MemberRecord & { userId: string },
  notification: {
    kind: PreferenceKind;
    dedupeKey: string;
    content: EmailContent;
  },
): Promise<void> {
  const { kind, dedupeKey, content } = notification;
  const at = deps.clock.now().toISOString();
  const record: NotificationRecord = {
    id: dedupeKey,
    organizationId: member.organizationId,
    recipientId: member.userId,
    // The bare sub: the generated owner rule accepts it whatever the token's username is, so a
    // membership that recorded another username (an email) cannot hide the notification.
    recipient: member.userId,
    email: member.email,
    kind,
    subject: content.subject,
    link: content.link,
    status: 'PENDING',
    attempts: 1,
    createdAt: at,
    updatedAt: at,
  };
  const profile = await deps.profiles.get(member.userId);
  if (!wantsEmail(profile?.preferences, kind)) {
    const { email: _email, ...inApp } = record;
    const outcome = await deps.notifications.recordUnsent({
      ...inApp,
      status: 'SKIPPED_BY_PREFERENCE',
      attempts: 0,
    });
    deps.logger.info('email turned off by the recipient', { dedupeKey, outcome });
    if (outcome === 'CREATED') await announce(deps, record);
    return;
  }
  await sendOnce(
    deps,
    record,
    { to: member.email, subject: content.subject, html: content.html, text: content.text },
    (claimed) => announce(deps, claimed),
  );
}

/**
 * Pushes a new in-app notification live. Best effort by design: the record is already stored
 * and the app re-reads it (on reconnect and periodically), so a failed push is logged, never
 * retried at the cost of holding up the email or the records behind it.
 */
async function announce(deps: NotifierDeps, record: NotificationRecord): Promise<void> {
  try {
    await deps.live.publish(liveNotificationOf(record));
  } catch (err) {
    deps.logger.warn('live push failed; the app will read the notification on its next refresh', {
      dedupeKey: record.id,
      error: err as Error,
    });
  }
}

async function deliver(
  deps: NotifierDeps,
  planned: PlannedNotification,
  newImage: Image,
): Promise<void> {
  const member = await deps.memberships.find(planned.organizationId, planned.recipientId);
  if (member?.status !== 'ACTIVE' || !member.email) {
    // Retrying cannot create the member: skip, not fail.
    deps.logger.warn('recipient is not an active member with an email', {
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
  await deliverTo(
    deps,
    { ...member, userId: planned.recipientId },
    { kind: planned.kind, dedupeKey: planned.dedupeKey, content },
  );
}

/**
 * Emails a low-stock crossing to the organization's ACTIVE owners, admins and managers — read
 * from that organization's memberships, so nobody outside it ever hears of its stock.
 */
async function deliverLowStock(
  deps: NotifierDeps,
  oldImage: Image | undefined,
  newImage: Image,
): Promise<void> {
  const crossing = lowStockCrossing(oldImage, newImage);
  if (!crossing) return;
  const [members, organization] = await Promise.all([
    deps.memberships.listByOrganization(crossing.organizationId),
    deps.organizations.get(crossing.organizationId),
  ]);
  await everyOne(
    lowStockRecipients(crossing.organizationId, members).map((member) => async () => {
      const content = buildLowStockEmail({
        item: newImage,
        ...(organization ? { organizationName: organization.name } : {}),
        recipientName: member.displayName,
        appUrl: deps.appUrl,
      });
      await deliverTo(deps, member, {
        kind: LOW_STOCK_KIND,
        dedupeKey: lowStockKey(crossing, member.userId),
        content,
      });
    }),
  );
}

/**
 * Tells the organization's triagers (who may assign work) about a request that has just been
 * submitted — read from that organization's memberships, never the requester themself.
 */
async function deliverNewRequest(
  deps: NotifierDeps,
  oldImage: Image | undefined,
  newImage: Image,
): Promise<(() => Promise<void>)[]> {
  const request = newRequestOf(oldImage, newImage);
  if (!request) return [];
  const members = await deps.memberships.listByOrganization(request.organizationId);
  return newRequestRecipients(request, members).map((member) => async () => {
    const content = buildNewRequestEmail({
      workOrder: newImage,
      recipientName: member.displayName,
      appUrl: deps.appUrl,
    });
    await deliverTo(deps, member, {
      kind: request.kind,
      dedupeKey: newRequestKey(request, member.userId),
      content,
    });
  });
}

/**
 * Runs every delivery even when one fails, then throws the first failure, so one recipient's
 * bad luck does not hold back the others (the retry skips those already SENT).
 */
async function everyOne(deliveries: (() => Promise<void>)[]): Promise<void> {
  let failure: unknown;
  for (const delivery of deliveries) {
    try {
      await delivery();
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}

async function processRecord(deps: NotifierDeps, record: DynamoDBRecord): Promise<void> {
  const { oldImage, newImage } = streamImages(record);
  if (!newImage) return;
  // The notifier also consumes the OrganizationMember stream: invitations are all it mails there.
  if (newImage.__typename === 'OrganizationMember') {
    const invitation = invitationFor(oldImage, newImage);
    if (invitation) await deliverInvitation(deps, invitation);
    return;
  }
  if (newImage.__typename === 'InventoryItem') {
    await deliverLowStock(deps, oldImage, newImage);
    return;
  }
  await everyOne([
    ...notificationsFor(oldImage, newImage).map(
      (planned) => () => deliver(deps, planned, newImage),
    ),
    ...(await deliverNewRequest(deps, oldImage, newImage)),
  ]);
}

/**
 * Builds the stream handler: for each record, decides the notifications (core rules), claims each
 * delivery before sending and marks it SENT after, so redelivered records send nothing twice.
 * A record that fails is reported in `batchItemFailures` and retried by the event source.
 */
export function createNotifierHandler(deps: NotifierDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failed = new Map<DynamoDBRecord, unknown>();
    // One record, and one email, at a time in stream order: a crash can then repeat at most the
    // one email SES accepted but the claim did not yet record (side by side, every send in
    // flight at the crash could be repeated once its lease ends).
    for (const record of event.Records) {
      try {
        await processRecord(deps, record);
      } catch (err) {
        deps.logger.error('record failed', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: err as Error,
        });
        failed.set(record, err);
      }
    }
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      if (!failed.has(record)) continue;
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      // Without a sequence number the failure cannot be reported per record: fail the batch.
      if (!sequenceNumber) throw failed.get(record);
      batchItemFailures.push({ itemIdentifier: sequenceNumber });
    }
    return { batchItemFailures };
  };
}
