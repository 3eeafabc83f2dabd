import { afterEach, describe, expect, it, vi } from 'vitest';

const WIRED = {
  NOTIFICATION_TABLE: 'Notification',
  ORGANIZATION_TABLE: 'Organization',
  ORGANIZATIONMEMBER_TABLE: 'OrganizationMember',
  WORKORDER_TABLE: 'WorkOrder',
  PROFILE_TABLE: 'Profile',
  MAIL_FROM: 'steward@example.org',
  APP_URL: 'http://localhost:5173',
  AMPLIFY_DATA_GRAPHQL_ENDPOINT: 'http://127.0.0.1:1/graphql',
  AWS_REGION: 'us-east-1',
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

  it('fails the cold start without the data API endpoint for live pushes', async () => {
    const { AMPLIFY_DATA_GRAPHQL_ENDPOINT: _endpoint, ...unwired } = WIRED;
    vi.doMock('$amplify/env/notifier', () => ({ env: unwired }));
    await expect(import('./handler')).rejects.toThrow(/AMPLIFY_DATA_GRAPHQL_ENDPOINT/);
  });

  it('fails the cold start when APP_URL is not a URL', async () => {
    vi.doMock('$amplify/env/notifier', () => ({ env: { ...WIRED, APP_URL: 'localhost' } }));
    await expect(import('./handler')).rejects.toThrow(/APP_URL/);
  });
});
