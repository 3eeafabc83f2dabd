import { describe, expect, it } from 'vitest';
import { liveNotificationOf } from './live';
import { liveNotificationSample as notification } from '../testing/records';

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
