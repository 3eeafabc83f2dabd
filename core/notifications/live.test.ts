import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { liveNotificationOf, publishNotification } from './live';

const notification = {
  id: 'assigned#wo-1#3#user-2',
  organizationId: 'org-1',
  recipientId: 'user-2',
  kind: 'assignment',
  subject: 'WO-7 was assigned to you',
  link: 'http://localhost:5173/work-orders/wo-1',
  createdAt: '2026-11-25T10:00:00.000Z',
};
const notifierRole = {
  userArn: 'arn:aws:sts::123456789012:assumed-role/notifier-role/notifier',
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return isDomainError(err) ? err.code : 'not a DomainError';
  }
  return undefined;
}

describe('publishNotification', () => {
  it('echoes a well-formed notification from a principal of the account', () => {
    expect(publishNotification(notifierRole, notification)).toEqual(notification);
  });

  it.each([
    ['no identity', undefined],
    ['a user-pool caller', { sub: 'user-2', claims: { sub: 'user-2' } }],
    ['user-pool claims without sub field', { claims: { sub: 'user-2' }, userArn: 'x' }],
    [
      'identity-pool credentials',
      { ...notifierRole, cognitoIdentityId: 'us-east-1:abc', cognitoIdentityPoolId: 'us-east-1:p' },
    ],
    ['an identity-pool id alone', { ...notifierRole, cognitoIdentityPoolId: 'us-east-1:p' }],
  ])('refuses %s as FORBIDDEN', (_label, identity) => {
    expect(codeOf(() => publishNotification(identity, notification))).toBe('FORBIDDEN');
  });

  it.each([
    ['a missing recipient', { ...notification, recipientId: undefined }],
    ['an unknown field', { ...notification, email: 'x@example.com' }],
    ['a date that is not one', { ...notification, createdAt: 'yesterday' }],
    ['a huge subject', { ...notification, subject: 'x'.repeat(501) }],
  ])('refuses %s as VALIDATION', (_label, args) => {
    expect(codeOf(() => publishNotification(notifierRole, args))).toBe('VALIDATION');
  });

  it('drops an empty link rather than pushing null', () => {
    expect(publishNotification(notifierRole, { ...notification, link: null })).not.toHaveProperty(
      'link',
    );
  });
});

describe('liveNotificationOf', () => {
  it('keeps the in-app fields and never the email address or delivery status', () => {
    const live = liveNotificationOf({
      ...notification,
      recipient: 'user-2',
      email: 'tech@example.com',
      status: 'PENDING',
      attempts: 1,
      updatedAt: notification.createdAt,
    });
    expect(live).toEqual(notification);
  });
});
