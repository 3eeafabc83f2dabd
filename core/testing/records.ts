import {
  membershipId,
  type InventoryItemRecord,
  type MemberRecord,
  type OrganizationRecord,
} from '../records';

/**
 * Records as the tests seed them, one builder each: the in-memory tables add them directly
 * (core/testing/fakes.ts), the store contracts write them through a store (store-contracts.ts).
 */

const SEEDED_AT = '2026-01-01T00:00:00.000Z';

/** An ACTIVE organization on the free plan, with one member and no work orders yet. */
export const organizationRecord = (
  id: string,
  patch: Partial<OrganizationRecord> = {},
): OrganizationRecord => ({
  id,
  name: `Organization ${id}`,
  slug: id,
  plan: 'FREE',
  status: 'ACTIVE',
  ownerId: 'owner',
  workOrderCounter: 0,
  memberCount: 1,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
  ...patch,
});

/** The membership of `userId` in `organizationId`, under the id every membership check reads. */
export const memberRecord = (
  organizationId: string,
  userId: string,
  role: MemberRecord['role'],
  status: MemberRecord['status'] = 'ACTIVE',
  patch: Partial<MemberRecord> = {},
): MemberRecord => ({
  id: membershipId(organizationId, userId),
  organizationId,
  userId,
  email: `${userId}@example.org`,
  displayName: userId,
  role,
  status,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
  ...patch,
});

/** An inventory item well above its minimum. */
export const inventoryItemRecord = (
  id: string,
  organizationId: string,
  patch: Partial<InventoryItemRecord> = {},
): InventoryItemRecord => ({
  id,
  organizationId,
  sku: `SKU-${id}`,
  name: `Item ${id}`,
  unit: 'each',
  quantity: 10,
  minQuantity: 2,
  version: 1,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
  ...patch,
});

/** A live notification as the notifier pushes it: an assignment, with its link. */
export const liveNotificationSample = {
  id: 'assigned#wo-1#3#user-2',
  organizationId: 'org-1',
  recipientId: 'user-2',
  kind: 'assignment',
  subject: 'WO-7 was assigned to you',
  link: 'http://localhost:5173/work-orders/wo-1',
  createdAt: '2026-11-25T10:00:00.000Z',
} as const;
