import { describe, expect, it } from 'vitest';
import type { MemberRecord } from '../records';
import { buildLowStockEmail, lowStockCrossing, lowStockKey, lowStockRecipients } from './low-stock';

const item = (quantity: number, minQuantity: number, version: number, extra: object = {}) => ({
  __typename: 'InventoryItem',
  id: 'item-1',
  organizationId: 'org-1',
  sku: 'FLT-20',
  name: 'Furnace filter',
  unit: 'each',
  quantity,
  minQuantity,
  version,
  ...extra,
});

describe('lowStockCrossing', () => {
  it.each([
    // [quantity before, min before, quantity after, min after, crosses]
    ['above → above', 10, 3, 4, 3, false],
    ['above → exactly at the minimum', 4, 3, 3, 3, true],
    ['above → below the minimum', 10, 3, 1, 3, true],
    ['above → zero', 5, 3, 0, 3, true],
    ['at → below (already low: no second email)', 3, 3, 2, 3, false],
    ['below → lower', 2, 3, 1, 3, false],
    ['below → at (still low)', 1, 3, 3, 3, false],
    ['below → above (re-arms, no email)', 1, 3, 10, 3, false],
    ['minimum raised over the stock', 5, 3, 5, 5, true],
    ['minimum lowered under the stock', 3, 3, 3, 2, false],
    ['minimum 0, down to 0', 1, 0, 0, 0, true],
    ['unchanged', 5, 3, 5, 3, false],
  ])('%s', (_name, qBefore, mBefore, qAfter, mAfter, crosses) => {
    const crossing = lowStockCrossing(item(qBefore, mBefore, 4), item(qAfter, mAfter, 5));
    expect(crossing).toEqual(
      crosses ? { itemId: 'item-1', organizationId: 'org-1', version: 5 } : undefined,
    );
  });

  it.each([
    ['a new item created low', undefined, item(0, 3, 1)],
    ['a removed item', item(5, 3, 4), undefined],
    [
      'a SKU claim',
      { __typename: 'InventorySkuClaim', id: 'sku#x' },
      { __typename: 'InventorySkuClaim', id: 'sku#x' },
    ],
    [
      'a work order that looks like stock',
      { ...item(5, 3, 1), __typename: 'WorkOrder' },
      { ...item(1, 3, 2), __typename: 'WorkOrder' },
    ],
    ['an image without a version', item(5, 3, 1), { ...item(1, 3, 2), version: undefined }],
    ['a non-integer quantity', item(5, 3, 1), item(1.5, 3, 2)],
    [
      'an item moved between organizations',
      item(5, 3, 1),
      item(1, 3, 2, { organizationId: 'org-2' }),
    ],
  ])('ignores %s', (_name, before, after) => {
    expect(lowStockCrossing(before, after)).toBeUndefined();
  });

  it('gives each crossing its own key, so a later crossing mails again', () => {
    const first = lowStockCrossing(item(5, 3, 1), item(2, 3, 2));
    const again = lowStockCrossing(item(6, 3, 3), item(3, 3, 4));
    expect(first && lowStockKey(first, 'u-1')).toBe('low-stock:item-1:2:u-1');
    expect(again && lowStockKey(again, 'u-1')).toBe('low-stock:item-1:4:u-1');
  });
});

describe('lowStockRecipients', () => {
  const member = (
    userId: string | undefined,
    role: MemberRecord['role'],
    status: MemberRecord['status'] = 'ACTIVE',
    organizationId = 'org-1',
  ): MemberRecord => ({
    id: `${organizationId}#${userId ?? 'invite'}`,
    organizationId,
    ...(userId ? { userId } : {}),
    email: `${userId ?? 'x'}@example.org`,
    role,
    status,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  it('is the ACTIVE owners, admins and managers of the organization only', () => {
    const recipients = lowStockRecipients('org-1', [
      member('owner', 'OWNER'),
      member('admin', 'ADMIN'),
      member('manager', 'MANAGER'),
      member('tech', 'TECHNICIAN'),
      member('member', 'MEMBER'),
      member('viewer', 'VIEWER'),
      member('suspended', 'MANAGER', 'SUSPENDED'),
      member(undefined, 'MANAGER', 'INVITED'),
      member('foreign', 'OWNER', 'ACTIVE', 'org-2'),
      member('owner', 'OWNER'),
    ]);
    expect(recipients.map((m) => m.userId)).toEqual(['owner', 'admin', 'manager']);
  });
});

describe('buildLowStockEmail', () => {
  it('links the item and the preferences page, in HTML and text, escaping names', () => {
    const email = buildLowStockEmail({
      item: item(1, 3, 5, { name: 'Filter <20">', reorderQuantity: 12, storageLocation: 'Shed' }),
      organizationName: 'Grace Chapel',
      recipientName: 'Ann',
      appUrl: 'http://localhost:5173/',
    });
    expect(email.subject).toBe('Low stock: Filter <20"> (FLT-20)');
    expect(email.link).toBe('http://localhost:5173/inventory/item-1');
    expect(email.text).toContain('is down to 1 each, at or below its minimum of 3');
    expect(email.text).toContain('Reorder quantity: 12');
    expect(email.text).toContain('http://localhost:5173/inventory/item-1');
    expect(email.text).toContain('http://localhost:5173/settings');
    expect(email.html).toContain('href="http://localhost:5173/inventory/item-1"');
    expect(email.html).toContain('href="http://localhost:5173/settings"');
    expect(email.html).toContain('Filter &lt;20&quot;&gt;');
    expect(email.html).not.toContain('<20">');
  });
});
