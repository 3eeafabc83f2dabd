import type { Logger } from '@aws-lambda-powertools/logger';
import {
  buildInvitationEmail,
  INVITATION_KIND,
  invitationLink,
  invitationPage,
  type PlannedInvitation,
} from '../../../core/notifications/invitations';
import type {
  Clock,
  Mailer,
  MembershipStore,
  NotificationStore,
  OrganizationStore,
} from '../../../core/ports';
import { memberName, type NotificationRecord } from '../../../core/records';
import { sendOnce } from './send-once';

/** What sending an invitation needs: ports plus the notifier's configuration. */
export type InvitationDeps = {
  clock: Clock;
  memberships: MembershipStore;
  /** Organization names for invitation and low-stock emails. */
  organizations: Pick<OrganizationStore, 'get'>;
  notifications: NotificationStore;
  mailer: Mailer;
  mailFrom: string;
  appUrl: string;
  logger: Logger;
};

/**
 * Emails an invitation to the invited address, exactly once per (invitation, token). The
 * Notification record keeps the page without the token and an owner value no identity has
 * (`invitation::<email>`): the secret lives only in the email.
 */
export async function deliverInvitation(
  deps: InvitationDeps,
  planned: PlannedInvitation,
): Promise<void> {
  const organization = await deps.organizations.get(planned.organizationId);
  if (!organization) {
    // Retrying cannot bring the organization back: skip, not fail.
    deps.logger.warn('invitation to a missing organization', { dedupeKey: planned.dedupeKey });
    return;
  }
  const inviter = planned.invitedBy
    ? await deps.memberships.find(planned.organizationId, planned.invitedBy)
    : undefined;
  const content = buildInvitationEmail({
    organizationName: organization.name,
    ...(inviter ? { inviterName: memberName(inviter) } : {}),
    role: planned.role,
    ...(planned.inviteExpiresAt ? { expiresAt: planned.inviteExpiresAt } : {}),
    link: invitationLink(deps.appUrl, planned.memberId, planned.token, {
      organizationName: organization.name,
      role: planned.role,
      email: planned.email,
    }),
  });
  const at = deps.clock.now().toISOString();
  const record: NotificationRecord = {
    id: planned.dedupeKey,
    organizationId: planned.organizationId,
    recipientId: planned.memberId,
    recipient: `invitation::${planned.email}`,
    email: planned.email,
    kind: INVITATION_KIND,
    subject: content.subject,
    link: invitationPage(deps.appUrl, planned.memberId),
    status: 'PENDING',
    attempts: 1,
    createdAt: at,
    updatedAt: at,
  };
  await sendOnce(deps, record, { to: planned.email, ...content });
}
