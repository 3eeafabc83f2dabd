import { describe, expect, it } from 'vitest';
import { liveNotificationOf } from './live';

const notification = {
  id: 'assigned#wo-1#3#user-2',
  organizationId: 'org-1',
  recipientId: 'user-2',
  kind: 'assignment',
  subject: 'WO-7 was assigned to you',
  link: 'http://localhost:5173/work-orders/wo-1',
  createdAt: '2026-11-25T10:00:00.000Z',
};
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
