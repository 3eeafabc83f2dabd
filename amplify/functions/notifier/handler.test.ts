import { afterEach, describe, expect, it, vi } from 'vitest';

const WIRED = {
  NOTIFICATION_TABLE: 'Notification',
  ORGANIZATION_TABLE: 'Organization',
  ORGANIZATIONMEMBER_TABLE: 'OrganizationMember',
  WORKORDER_TABLE: 'WorkOrder',
  PROFILE_TABLE: 'Profile',
  MAIL_FROM: 'steward@example.org',
  APP_URL: 'http://localhost:5173',
};

describe('notifier handler module', () => {
  afterEach(() => {
    vi.doUnmock('$amplify/env/notifier');
    vi.resetModules();
  });

  it('builds the handler from the wired environment', async () => {
    vi.doMock('$amplify/env/notifier', () => ({ env: WIRED }));
    const { handler } = await import('./handler');
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });

  it('fails the cold start when APP_URL is not a URL', async () => {
    vi.doMock('$amplify/env/notifier', () => ({ env: { ...WIRED, APP_URL: 'localhost' } }));
    await expect(import('./handler')).rejects.toThrow(/APP_URL/);
  });
});
