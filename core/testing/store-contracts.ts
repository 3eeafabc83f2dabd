import { describe, expect, it } from 'vitest';
import type {
  InboxStore,
  InventoryStore,
  MembershipStore,
  NotificationStore,
  OrganizationStore,
  ProfileStore,
  WorkOrderStore,
} from '../ports';
import type {
  InventoryItemRecord,
  MemberRecord,
  NotificationRecord,
  OrganizationRecord,
  WorkOrderEventRecord,
  WorkOrderRecord,
} from '../records';
import { WORK_ORDERS_PER_MONTH } from '../organizations/plans';
import { inventoryItemRecord, memberRecord, organizationRecord } from './records';

/**
 * What every implementation of a store port must do, written once and run against the in-memory
 * fakes the unit tests use (core/testing/fakes.ts) and against the DynamoDB stores on DynamoDB
 * Local: a fake that passes these behaves, for its callers, like the store it stands in for.
 */
export type Stores = {
  profiles: ProfileStore;
  organizations: OrganizationStore;
  memberships: MembershipStore;
  workOrders: WorkOrderStore;
  inventory: InventoryStore;
  notifications: NotificationStore;
  inbox: InboxStore;
};

const AT = '2026-03-05T10:00:00.000Z';
let counter = 0;
/** Ids unique within a run, so contracts can share one database. */
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

const organization = (): OrganizationRecord => organizationRecord(unique('org'), { ownerCount: 1 });

const ownerOf = (org: OrganizationRecord, userId = unique('user')): MemberRecord =>
  memberRecord(org.id, userId, 'OWNER', 'ACTIVE', { joinedAt: AT, version: 1 });

const workOrder = (organizationId: string, number: number): WorkOrderRecord => ({
  id: unique('wo'),
  organizationId,
  number,
  title: `Leak ${number}`,
  titleLower: `leak ${number}`,
  status: 'NEW',
  priority: 'HIGH',
  category: 'PLUMBING',
  type: 'CORRECTIVE',
  requester: 'req',
  requesterId: 'req',
  readGroups: [`${organizationId}:OWNER`],
  version: 1,
  createdAt: AT,
  updatedAt: AT,
});

const eventOf = (wo: WorkOrderRecord, kind: string): WorkOrderEventRecord => ({
  id: unique('ev'),
  organizationId: wo.organizationId,
  workOrderId: wo.id,
  at: AT,
  actorId: 'req',
  kind,
  requester: wo.requester,
  readGroups: wo.readGroups,
  createdAt: AT,
  updatedAt: AT,
});

const item = (organizationId: string, sku: string): InventoryItemRecord =>
  inventoryItemRecord(unique('item'), organizationId, { sku, quantity: 5 });

const notification = (recipientId: string): NotificationRecord => ({
  id: unique('note'),
  organizationId: 'org-n',
  recipientId,
  recipient: recipientId,
  kind: 'WORK_ORDER_ASSIGNED',
  subject: 'Assigned to you',
  status: 'PENDING',
  attempts: 1,
  createdAt: AT,
  updatedAt: AT,
});

/** Runs every store contract against the stores `make` gives (once, before the contracts). */
export function storeContracts(name: string, make: () => Stores): void {
  describe(`store contracts: ${name}`, () => {
    const stores = () => make();

    it('profiles: created once, read back, preferences replaced', async () => {
      const { profiles } = stores();
      const id = unique('profile');
      const profile = { id, email: `${id}@contract.example`, createdAt: AT };
      expect(await profiles.createOnce(profile)).toBe('CREATED');
      expect(await profiles.createOnce({ ...profile, email: 'other@contract.example' })).toBe(
        'EXISTS',
      );
      expect(await profiles.get(id)).toMatchObject(profile);
      const preferences = {
        assignment: false,
        statusChanges: true,
        lowStock: true,
        urgentRequests: true,
        newRequests: false,
      };
      await profiles.setPreferences(id, preferences, AT);
      expect((await profiles.get(id))?.preferences).toMatchObject(preferences);
      expect(await profiles.get(unique('missing'))).toBeUndefined();
    });

    it('organizations: the slug is claimed once; create and remove are all or nothing', async () => {
      const { organizations, memberships } = stores();
      const org = organization();
      const owner = ownerOf(org);
      expect(await organizations.isSlugTaken(org.slug)).toBe(false);
      expect(await organizations.create({ organization: org, owner })).toBe('CREATED');
      expect(await organizations.isSlugTaken(org.slug)).toBe(true);
      const twin = { ...organization(), slug: org.slug };
      expect(await organizations.create({ organization: twin, owner: ownerOf(twin) })).toBe(
        'SLUG_TAKEN',
      );
      expect(await organizations.get(twin.id)).toBeUndefined();
      expect(await organizations.get(org.id)).toMatchObject({ id: org.id, name: org.name });
      expect((await organizations.getMany([org.id, twin.id])).map((o) => o.id)).toEqual([org.id]);
      expect(await memberships.get(owner.id)).toMatchObject({ role: 'OWNER', status: 'ACTIVE' });
      await organizations.remove({ organization: org, owner });
      expect(await organizations.get(org.id)).toBeUndefined();
      expect(await memberships.get(owner.id)).toBeUndefined();
      expect(await organizations.isSlugTaken(org.slug)).toBe(false);
    });

    it('memberships: found by organization and user, listed by user, address and organization', async () => {
      const { organizations, memberships } = stores();
      const org = organization();
      const userId = unique('user');
      const owner = ownerOf(org, userId);
      await organizations.create({ organization: org, owner });
      expect(await memberships.find(org.id, userId)).toMatchObject({ id: owner.id });
      expect(await memberships.find(org.id, unique('nobody'))).toBeUndefined();
      expect((await memberships.listByUser(userId)).map((m) => m.id)).toEqual([owner.id]);
      expect((await memberships.listByEmail(owner.email)).map((m) => m.id)).toEqual([owner.id]);
      expect((await memberships.listByOrganization(org.id)).map((m) => m.id)).toEqual([owner.id]);
      expect(await memberships.listByOrganization(unique('org'))).toEqual([]);
    });

    it('work orders: numbers are taken in order, writes are conditioned on the version', async () => {
      const { organizations, workOrders } = stores();
      const org = organization();
      await organizations.create({ organization: org, owner: ownerOf(org) });
      const take = () =>
        workOrders.takeNumber({
          organizationId: org.id,
          month: '2026-03',
          monthlyLimits: WORK_ORDERS_PER_MONTH,
          at: AT,
        });
      expect(await take()).toEqual({ outcome: 'TAKEN', number: 1, countInMonth: 1 });
      expect(await take()).toEqual({ outcome: 'TAKEN', number: 2, countInMonth: 2 });
      expect(
        await workOrders.takeNumber({
          organizationId: unique('org'),
          month: '2026-03',
          monthlyLimits: WORK_ORDERS_PER_MONTH,
          at: AT,
        }),
      ).toEqual({ outcome: 'NOT_FOUND' });

      const wo = workOrder(org.id, 1);
      await workOrders.insert({ workOrder: wo, event: eventOf(wo, 'SUBMITTED') });
      expect(await workOrders.get(wo.id)).toMatchObject({ id: wo.id, title: wo.title, version: 1 });
      const next = { ...wo, status: 'ASSIGNED' as const, version: 2, updatedAt: AT };
      expect(
        await workOrders.replace({ next, expectedVersion: 1, event: eventOf(wo, 'ASSIGNED') }),
      ).toBe('UPDATED');
      expect(
        await workOrders.replace({
          next: { ...next, title: 'stale', version: 2 },
          expectedVersion: 1,
          event: eventOf(wo, 'ASSIGNED'),
        }),
      ).toBe('STALE');
      expect(await workOrders.get(wo.id)).toMatchObject({ status: 'ASSIGNED', title: wo.title });
      await workOrders.appendEvent(eventOf(wo, 'COMMENTED'));
    });

    it('inventory: one item per SKU in an organization; replaces conditioned on the version', async () => {
      const { inventory } = stores();
      const organizationId = unique('org');
      const first = item(organizationId, 'FLT-1');
      expect(await inventory.create(first)).toBe('CREATED');
      expect(await inventory.create(item(organizationId, 'flt-1'))).toBe('SKU_TAKEN');
      expect(await inventory.create(item(unique('org'), 'FLT-1'))).toBe('CREATED');
      expect(await inventory.get(first.id)).toMatchObject({ sku: 'FLT-1', quantity: 5 });
      const next = { ...first, quantity: 4, version: 2 };
      expect(await inventory.replace({ next, expectedVersion: 1 })).toBe('UPDATED');
      expect(await inventory.replace({ next: { ...next, quantity: 0 }, expectedVersion: 1 })).toBe(
        'STALE',
      );
      expect(await inventory.get(first.id)).toMatchObject({ quantity: 4, version: 2 });
    });

    it('notifications: claimed once, then SENT; a held lease is BUSY; in-app records once', async () => {
      const { notifications, inbox } = stores();
      const record = notification(unique('user'));
      const later = '2099-01-01T00:00:00.000Z';
      expect(await notifications.claim(record, later)).toBe('CLAIMED');
      expect(await notifications.claim(record, later)).toBe('BUSY');
      await notifications.markSent(record.id, 'ses-1', AT);
      expect(await notifications.claim(record, later)).toBe('SENT');
      expect(await inbox.get(record.id)).toMatchObject({ status: 'SENT', messageId: 'ses-1' });

      const unsent = { ...notification(unique('user')), status: 'SKIPPED_BY_PREFERENCE' as const };
      expect(await notifications.recordUnsent(unsent)).toBe('CREATED');
      expect(await notifications.recordUnsent(unsent)).toBe('EXISTS');
    });

    it('inbox: unread notifications of one recipient; only the recipient marks one read', async () => {
      const { notifications, inbox } = stores();
      const recipientId = unique('user');
      const mine = { ...notification(recipientId), status: 'SENT' as const };
      const theirs = { ...notification(unique('user')), status: 'SENT' as const };
      await notifications.recordUnsent(mine);
      await notifications.recordUnsent(theirs);
      expect((await inbox.listUnread(recipientId)).map((n) => n.id)).toEqual([mine.id]);
      expect(await inbox.markRead(mine.id, theirs.recipientId, AT)).toBe(false);
      expect(await inbox.markRead(mine.id, recipientId, AT)).toBe(true);
      expect(await inbox.markRead(mine.id, recipientId, AT)).toBe(false);
      expect(await inbox.listUnread(recipientId)).toEqual([]);
    });
  });
}
