import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError, type ErrorCode } from '../errors';
import type { Role } from '../organizations/roles';
import type { WorkOrderRecord } from '../records';
import { callerFor, FakeClock, InMemoryTables, SequentialIds } from '../testing/fakes';
import { adjustInventory } from './adjust-inventory';
import { createInventoryItem } from './create-inventory-item';
import { NUMBERED_CODE_ATTEMPTS } from './item-code';
import { quantityAfter } from './stock';
import { updateInventoryItem } from './update-inventory-item';

const refusal = async (promise: Promise<unknown>, code: ErrorCode, field?: string) => {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDomainError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  if (field && isDomainError(err)) expect(err.field).toBe(field);
};

describe('quantityAfter', () => {
  it.each([
    ['RECEIVE', 5, 3, 8],
    ['CONSUME', 5, -2, 3],
    ['CONSUME', 5, -5, 0],
    ['ADJUST', 5, -1, 4],
    ['ADJUST', 5, 4, 9],
    ['COUNT', 5, 12, 12],
    ['COUNT', 5, 0, 0],
  ] as const)('%s %i by %i → %i', (reason, before, delta, after) => {
    expect(quantityAfter(reason, before, delta)).toBe(after);
  });

  it.each([
    ['RECEIVE', 0, 'VALIDATION'],
    ['RECEIVE', -1, 'VALIDATION'],
    ['CONSUME', 0, 'VALIDATION'],
    ['CONSUME', 1, 'VALIDATION'],
    ['CONSUME', -6, 'INSUFFICIENT_STOCK'],
    ['ADJUST', 0, 'VALIDATION'],
    ['ADJUST', -6, 'INSUFFICIENT_STOCK'],
    ['COUNT', -1, 'VALIDATION'],
  ] as const)('refuses %s by %i on a stock of 5 (%s)', (reason, delta, code) => {
    expect(() => quantityAfter(reason, 5, delta)).toThrow(
      expect.objectContaining({ code }) as Error,
    );
  });
});

describe('inventory operations', () => {
  let tables: InMemoryTables;
  let clock: FakeClock;
  let deps: Parameters<typeof adjustInventory>[0];

  const workOrder = (id: string, organizationId: string): WorkOrderRecord => ({
    id,
    organizationId,
    number: 1,
    title: 'Boiler',
    status: 'IN_PROGRESS',
    priority: 'HIGH',
    category: 'HVAC',
    type: 'CORRECTIVE',
    requester: 'm',
    requesterId: 'm',
    readGroups: [],
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  beforeEach(() => {
    tables = new InMemoryTables();
    clock = new FakeClock();
    deps = { ...tables, clock, ids: new SequentialIds() };
    for (const role of ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'MEMBER', 'VIEWER'] as Role[]) {
      tables.addMember('org-1', role.toLowerCase(), role);
    }
    tables.addMember('org-2', 'stranger', 'OWNER');
    tables.addMember('org-1', 'suspended', 'MANAGER', 'SUSPENDED');
    tables.addInventoryItem('item-1', 'org-1', { quantity: 5, minQuantity: 2, unitCost: 4.5 });
    tables.workOrderRows.set('wo-1', workOrder('wo-1', 'org-1'));
    tables.workOrderRows.set('wo-2', workOrder('wo-2', 'org-2'));
  });

  describe('adjustInventory', () => {
    it('consumes for a work order: quantity, version and a ledger entry with the unit cost', async () => {
      const next = await adjustInventory(deps, callerFor('technician'), {
        itemId: 'item-1',
        delta: -2,
        reason: 'CONSUME',
        workOrderId: 'wo-1',
        note: 'Valve',
      });
      expect(next).toMatchObject({ quantity: 3, version: 2, updatedBy: 'technician' });
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ quantity: 3, version: 2 });
      expect(tables.adjustmentRows).toEqual([
        {
          id: 'id-1',
          organizationId: 'org-1',
          itemId: 'item-1',
          sku: 'SKU-item-1',
          reason: 'CONSUME',
          delta: -2,
          quantityBefore: 5,
          quantityAfter: 3,
          unitCost: 4.5,
          workOrderId: 'wo-1',
          note: 'Valve',
          actorId: 'technician',
          actorName: 'technician',
          at: '2026-03-01T12:00:00.000Z',
          readGroups: [
            'org-1:OWNER',
            'org-1:ADMIN',
            'org-1:MANAGER',
            'org-1:TECHNICIAN',
            'org-1:VIEWER',
          ],
          createdAt: '2026-03-01T12:00:00.000Z',
          updatedAt: '2026-03-01T12:00:00.000Z',
        },
      ]);
    });

    it('counts: sets the quantity, stamps lastCountedAt and ledgers the difference', async () => {
      const next = await adjustInventory(deps, callerFor('manager'), {
        itemId: 'item-1',
        delta: 9,
        reason: 'COUNT',
      });
      expect(next).toMatchObject({ quantity: 9, lastCountedAt: '2026-03-01T12:00:00.000Z' });
      expect(tables.adjustmentRows[0]).toMatchObject({
        delta: 4,
        quantityBefore: 5,
        quantityAfter: 9,
      });
    });

    it.each([
      ['RECEIVE', 'technician', 3, 'FORBIDDEN'],
      ['ADJUST', 'technician', -1, 'FORBIDDEN'],
      ['COUNT', 'technician', 1, 'FORBIDDEN'],
      ['CONSUME', 'member', -1, 'FORBIDDEN'],
      ['CONSUME', 'viewer', -1, 'FORBIDDEN'],
      ['CONSUME', 'suspended', -1, 'NOT_FOUND'],
      ['CONSUME', 'stranger', -1, 'NOT_FOUND'],
    ] as const)('refuses %s by a %s (%s)', async (reason, who, delta, code) => {
      await refusal(
        adjustInventory(deps, callerFor(who), { itemId: 'item-1', delta, reason }),
        code,
      );
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ quantity: 5, version: 1 });
      expect(tables.adjustmentRows).toEqual([]);
    });

    it.each([
      [
        'an unknown reason',
        { itemId: 'item-1', delta: 1, reason: 'STEAL' },
        'VALIDATION',
        'reason',
      ],
      [
        'a non-integer delta',
        { itemId: 'item-1', delta: 1.5, reason: 'RECEIVE' },
        'VALIDATION',
        'delta',
      ],
      [
        'a string delta',
        { itemId: 'item-1', delta: '1', reason: 'RECEIVE' },
        'VALIDATION',
        'delta',
      ],
      ['a missing item id', { delta: 1, reason: 'RECEIVE' }, 'VALIDATION', 'itemId'],
      [
        'an unknown field',
        { itemId: 'item-1', delta: 1, reason: 'RECEIVE', quantity: 9 },
        'VALIDATION',
        'quantity',
      ],
      [
        'a consumption beyond stock',
        { itemId: 'item-1', delta: -6, reason: 'CONSUME' },
        'INSUFFICIENT_STOCK',
        'delta',
      ],
      [
        'a count below zero',
        { itemId: 'item-1', delta: -1, reason: 'COUNT' },
        'VALIDATION',
        'delta',
      ],
      ['an unknown item', { itemId: 'nope', delta: 1, reason: 'RECEIVE' }, 'NOT_FOUND', undefined],
      [
        'a foreign work order',
        { itemId: 'item-1', delta: -1, reason: 'CONSUME', workOrderId: 'wo-2' },
        'NOT_FOUND',
        'workOrderId',
      ],
      [
        'an unknown work order',
        { itemId: 'item-1', delta: -1, reason: 'CONSUME', workOrderId: 'wo-9' },
        'NOT_FOUND',
        'workOrderId',
      ],
      [
        'a work order on a RECEIVE',
        { itemId: 'item-1', delta: 1, reason: 'RECEIVE', workOrderId: 'wo-1' },
        'VALIDATION',
        'workOrderId',
      ],
    ] as const)('refuses %s and changes nothing', async (_name, args, code, field) => {
      await refusal(adjustInventory(deps, callerFor('owner'), args), code, field);
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ quantity: 5, version: 1 });
      expect(tables.adjustmentRows).toEqual([]);
    });

    it('recomputes from the fresh stock when someone else adjusted first', async () => {
      let raced = false;
      tables.beforeWrite = () => {
        if (raced) return;
        raced = true;
        const current = tables.inventoryRows.get('item-1');
        if (current) tables.inventoryRows.set('item-1', { ...current, quantity: 1, version: 2 });
      };
      await refusal(
        adjustInventory(deps, callerFor('technician'), {
          itemId: 'item-1',
          delta: -2,
          reason: 'CONSUME',
        }),
        'INSUFFICIENT_STOCK',
      );
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ quantity: 1, version: 2 });
      const next = await adjustInventory(deps, callerFor('technician'), {
        itemId: 'item-1',
        delta: -1,
        reason: 'CONSUME',
      });
      expect(next).toMatchObject({ quantity: 0, version: 3 });
    });

    it('never loses an update among simultaneous adjustments', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          adjustInventory(deps, callerFor('technician'), {
            itemId: 'item-1',
            delta: -1,
            reason: 'CONSUME',
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ quantity: 0, version: 6 });
      expect(tables.adjustmentRows.map((a) => a.quantityAfter).sort()).toEqual([0, 1, 2, 3, 4]);
    });
  });

  describe('createInventoryItem', () => {
    const input = {
      organizationId: 'org-1',
      sku: 'FLT-20',
      name: 'Filter',
      unit: 'each',
      quantity: 4,
      minQuantity: 2,
    };

    it('creates at version 1 for a manager', async () => {
      const item = await createInventoryItem(deps, callerFor('manager'), {
        ...input,
        unitCost: 3.2,
      });
      expect(item).toMatchObject({
        organizationId: 'org-1',
        sku: 'FLT-20',
        quantity: 4,
        version: 1,
        unitCost: 3.2,
      });
      expect(tables.inventoryRows.get(item.id)).toEqual(item);
    });

    it('refuses a SKU already used in the organization, whatever its case', async () => {
      await createInventoryItem(deps, callerFor('manager'), input);
      await refusal(
        createInventoryItem(deps, callerFor('owner'), { ...input, sku: 'flt-20' }),
        'CONFLICT',
        'sku',
      );
    });

    describe('with the item code left blank', () => {
      const blank = {
        organizationId: 'org-1',
        name: 'Furnace filter',
        unit: 'each',
        quantity: 1,
        minQuantity: 0,
      };
      const codeOf = async (who: string, args: Record<string, unknown>) =>
        (await createInventoryItem(deps, callerFor(who), args)).sku;

      it.each([
        ['absent', {}],
        ['null', { sku: null }],
        ['empty', { sku: '' }],
        ['spaces', { sku: '   ' }],
      ])('makes one from the name when it is %s', async (_name, sku) => {
        expect(await codeOf('manager', { ...blank, ...sku })).toBe('FURNACE-FILTER');
      });

      it('numbers the next items of the same name, skipping typed codes, per organization', async () => {
        expect(await codeOf('manager', blank)).toBe('FURNACE-FILTER');
        expect(await codeOf('manager', { ...blank, sku: 'furnace-filter-2' })).toBe(
          'furnace-filter-2',
        );
        expect(await codeOf('admin', blank)).toBe('FURNACE-FILTER-3');
        // Another organization's codes do not count.
        expect(await codeOf('stranger', { ...blank, organizationId: 'org-2' })).toBe(
          'FURNACE-FILTER',
        );
        // A typed code that a generated one took is refused as any taken code.
        await refusal(
          createInventoryItem(deps, callerFor('manager'), { ...blank, sku: 'Furnace-Filter' }),
          'CONFLICT',
          'sku',
        );
        expect([...tables.inventoryRows.values()].map((row) => row.sku).sort()).toEqual([
          'FURNACE-FILTER',
          'FURNACE-FILTER',
          'FURNACE-FILTER-3',
          'SKU-item-1',
          'furnace-filter-2',
        ]);
      });

      it('gives simultaneous creations of one name distinct codes', async () => {
        const codes = await Promise.all(Array.from({ length: 6 }, () => codeOf('manager', blank)));
        expect(new Set(codes.map((c) => c.toLowerCase())).size).toBe(6);
        expect(codes.sort()).toEqual([
          'FURNACE-FILTER',
          'FURNACE-FILTER-2',
          'FURNACE-FILTER-3',
          'FURNACE-FILTER-4',
          'FURNACE-FILTER-5',
          'FURNACE-FILTER-6',
        ]);
      });

      it('falls back to a code from the item id once the numbered codes are all taken', async () => {
        for (let n = 1; n <= NUMBERED_CODE_ATTEMPTS; n += 1) {
          await codeOf('manager', {
            ...blank,
            sku: n === 1 ? 'FURNACE-FILTER' : `FURNACE-FILTER-${n}`,
          });
        }
        const item = await createInventoryItem(deps, callerFor('manager'), blank);
        expect(item.sku).toBe(
          `FURNACE-FILTER-${item.id
            .replace(/[^A-Za-z0-9]/g, '')
            .slice(-8)
            .toUpperCase()}`,
        );
        expect(tables.inventoryRows.size).toBe(NUMBERED_CODE_ATTEMPTS + 2);
      });
    });

    it.each([
      ['a technician', 'technician', input, 'FORBIDDEN'],
      ['a stranger', 'stranger', input, 'FORBIDDEN'],
      ['a negative quantity', 'manager', { ...input, quantity: -1 }, 'VALIDATION'],
      ['a fractional minimum', 'manager', { ...input, minQuantity: 1.5 }, 'VALIDATION'],
      ['a SKU with spaces', 'manager', { ...input, sku: 'A B' }, 'VALIDATION'],
      ['a negative cost', 'manager', { ...input, unitCost: -1 }, 'VALIDATION'],
      ['a numeric SKU', 'manager', { ...input, sku: 20 }, 'VALIDATION'],
      ['a SKU too long', 'manager', { ...input, sku: 'A'.repeat(65) }, 'VALIDATION'],
      ['a blank SKU by a technician', 'technician', { ...input, sku: '' }, 'FORBIDDEN'],
      ['a blank SKU and no name', 'manager', { ...input, sku: '', name: ' ' }, 'VALIDATION'],
    ] as const)('refuses %s', async (_name, who, args, code) => {
      await refusal(createInventoryItem(deps, callerFor(who), args), code);
      expect(tables.inventoryRows.size).toBe(1);
    });
  });

  describe('updateInventoryItem', () => {
    it('changes thresholds, clears with null and moves the version', async () => {
      const next = await updateInventoryItem(deps, callerFor('admin'), {
        id: 'item-1',
        expectedVersion: 1,
        minQuantity: 6,
        unitCost: null,
        storageLocation: 'Shed',
      });
      expect(next).toMatchObject({
        minQuantity: 6,
        storageLocation: 'Shed',
        version: 2,
        quantity: 5,
      });
      expect(next).not.toHaveProperty('unitCost');
    });

    it.each([
      ['a stale version', 'manager', { id: 'item-1', expectedVersion: 7 }, 'CONFLICT'],
      ['a technician', 'technician', { id: 'item-1', expectedVersion: 1 }, 'FORBIDDEN'],
      ['a stranger', 'stranger', { id: 'item-1', expectedVersion: 1 }, 'NOT_FOUND'],
      [
        'a quantity (adjustments only)',
        'manager',
        { id: 'item-1', expectedVersion: 1, quantity: 1 },
        'VALIDATION',
      ],
    ] as const)('refuses %s', async (_name, who, args, code) => {
      await refusal(updateInventoryItem(deps, callerFor(who), args), code);
      expect(tables.inventoryRows.get('item-1')).toMatchObject({ version: 1, unitCost: 4.5 });
    });
  });
});
