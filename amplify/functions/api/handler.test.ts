import { afterEach, describe, expect, it, vi } from 'vitest';

const WIRED = {
  ORGANIZATION_TABLE: 'Organization',
  ORGANIZATIONMEMBER_TABLE: 'OrganizationMember',
  WORKORDER_TABLE: 'WorkOrder',
  WORKORDEREVENT_TABLE: 'WorkOrderEvent',
  INVENTORYITEM_TABLE: 'InventoryItem',
  INVENTORYADJUSTMENT_TABLE: 'InventoryAdjustment',
  NOTIFICATION_TABLE: 'Notification',
  PROFILE_TABLE: 'Profile',
  USER_POOL_ID: 'pool',
};

describe('api handler module', () => {
  afterEach(() => {
    vi.doUnmock('$amplify/env/api');
    vi.resetModules();
  });

  it('builds the handler from the wired environment', async () => {
    vi.doMock('$amplify/env/api', () => ({ env: WIRED }));
    const { handler } = await import('./handler');
    expect(typeof handler).toBe('function');
  });

  it('fails the cold start when a table is not wired', async () => {
    vi.doMock('$amplify/env/api', () => ({ env: { ...WIRED, WORKORDER_TABLE: undefined } }));
    await expect(import('./handler')).rejects.toThrow(/WORKORDER_TABLE/);
  });
});
