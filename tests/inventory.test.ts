import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  errorTypeOf as errorType,
  expectDomainError,
  type RefusalType,
} from './support/domain-error';
import {
  ADJUST,
  CREATE_ITEM as CREATE,
  GET_ITEM,
  type InventoryItem as Item,
  LEDGER,
  ON_INVENTORY_CHANGED,
  PARTS,
  SUBMIT,
  UPDATE_ITEM as UPDATE,
} from './support/operations';
import { useWorld } from './support/world';

describe('inventory on the local runtime', () => {
  const world = useWorld({
    name: 'inventory',
    people: {
      owner: { email: 'owner@inv.example', role: 'OWNER' },
      manager: { email: 'manager@inv.example', role: 'MANAGER' },
      tech: { email: 'tech@inv.example', role: 'TECHNICIAN' },
      member: { email: 'member@inv.example', role: 'MEMBER' },
      outsider: { email: 'outsider@inv.example', role: 'OWNER', of: 'elsewhere' },
    },
    organizations: {
      chapel: { owner: 'owner', name: 'Grace Chapel' },
      elsewhere: { owner: 'outsider', name: 'Elsewhere' },
    },
  });
  type Person = keyof typeof world.ids;
  let skuCounter = 0;

  const create = async (quantity: number, minQuantity: number, extra: { unitCost?: number } = {}) =>
    (
      await world.ok('manager', CREATE, {
        organizationId: world.organizationId,
        sku: `PART-${(skuCounter += 1)}`,
        name: 'Furnace filter',
        quantity,
        minQuantity,
        ...extra,
      })
    ).createInventoryItem;
  const adjust = (
    who: Person,
    itemId: string,
    delta: number,
    reason: string,
    extra: { workOrderId?: string; note?: string } = {},
  ) => world.gql(who, ADJUST, { itemId, delta, reason, ...extra });
  const ledger = async (itemId: string) =>
    (await world.ok('manager', LEDGER, { itemId })).adjustmentsByItem?.items ?? [];
  const read = async (id: string) =>
    (await world.ok('manager', GET_ITEM, { id })).getInventoryItem as Item;

  it('10 simultaneous CONSUMEs of 1 on a stock of 5: exactly 5 succeed, none goes below zero', async () => {
    const item = await create(5, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        adjust(i % 2 ? 'tech' : 'manager', item.id, -1, 'CONSUME'),
      ),
    );
    const succeeded = results.filter((r) => r.data?.adjustInventory);
    const refused = results.filter((r) => r.errors?.length);
    expect(succeeded).toHaveLength(5);
    expect(refused.map(errorType)).toEqual(Array(5).fill('INSUFFICIENT_STOCK'));
    expect(await read(item.id)).toMatchObject({ quantity: 0, version: 6 });
    const entries = await ledger(item.id);
    expect(entries).toHaveLength(5);
    expect(entries.map((e) => e.quantityAfter).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(entries.every((e) => e.delta === -1 && e.quantityBefore === e.quantityAfter + 1)).toBe(
      true,
    );
  }, 60_000);

  it("delivers stock changes live to the organization's members and refuses outsiders", async () => {
    const item = await create(9, 2);
    const live = await world.live('member', ON_INVENTORY_CHANGED, { o: world.organizationId });
    await expect(
      world.live('outsider', ON_INVENTORY_CHANGED, { o: world.organizationId }),
    ).rejects.toThrow(/refused|Unauthorized/i);
    await adjust('tech', item.id, -4, 'CONSUME');
    const event = await live.next(
      (e) => (e.onInventoryChanged as { id: string }).id === item.id,
      2000,
    );
    expect(event.onInventoryChanged).toMatchObject({
      quantity: 5,
      organizationId: world.organizationId,
    });
    live.close();
  });

  it('mixed simultaneous adjustments lose no update: the quantity is the sum of the ledger', async () => {
    const item = await create(20, 0);
    const deltas = [5, -3, 7, -2, -4, 6, -1, 3];
    const results = await Promise.all(
      deltas.map((delta) => adjust('manager', item.id, delta, delta > 0 ? 'RECEIVE' : 'CONSUME')),
    );
    expect(results.filter((r) => r.errors?.length)).toEqual([]);
    const after = await read(item.id);
    expect(after).toMatchObject({
      quantity: 20 + deltas.reduce((a, b) => a + b, 0),
      version: 1 + deltas.length,
    });
    const entries = await ledger(item.id);
    expect(entries.reduce((sum, e) => sum + e.delta, 20)).toBe(after.quantity);
  }, 60_000);

  it('a CONSUME for a work order lists on the work order with the unit cost', async () => {
    const item = await create(8, 2, { unitCost: 12.5 });
    const workOrder = (
      await world.ok('member', SUBMIT, { organizationId: world.organizationId, title: 'Boiler' })
    ).submitWorkOrder;
    const used = await adjust('tech', item.id, -3, 'CONSUME', {
      workOrderId: workOrder.id,
      note: 'Replaced',
    });
    expect(used.errors).toBeUndefined();
    const parts = (
      await world.ok('manager', PARTS, {
        workOrderId: workOrder.id,
      })
    ).adjustmentsByWorkOrder.items;
    expect(parts).toEqual([
      {
        itemId: item.id,
        sku: item.sku,
        reason: 'CONSUME',
        delta: -3,
        unitCost: 12.5,
        workOrderId: workOrder.id,
      },
    ]);
  }, 60_000);

  it('COUNT sets the quantity and lastCountedAt; update checks the version', async () => {
    const item = await create(8, 2);
    const counted = (await adjust('manager', item.id, 3, 'COUNT')).data?.adjustInventory;
    expect(counted).toMatchObject({ quantity: 3, version: 2 });
    expect(counted?.lastCountedAt).toBeTruthy();
    await expectDomainError(
      world.gql('manager', UPDATE, { id: item.id, v: 1, minQuantity: 4 }),
      'CONFLICT',
    );
    const updated = await world.ok('manager', UPDATE, {
      id: item.id,
      v: 2,
      minQuantity: 4,
    });
    expect(updated.updateInventoryItem).toMatchObject({ minQuantity: 4, quantity: 3, version: 3 });
  }, 60_000);

  it('SKUs are unique within the organization, even when created at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        world.gql('manager', CREATE, {
          organizationId: world.organizationId,
          sku: 'SAME-1',
          name: 'Valve',
          quantity: 1,
          minQuantity: 0,
        }),
      ),
    );
    expect(results.filter((r) => r.data?.createInventoryItem)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.length).map(errorType)).toEqual(
      Array(3).fill('CONFLICT'),
    );
  }, 60_000);

  /** createInventoryItem with the item code optional, as the web app sends it. */
  const CREATE_CODED = `mutation CreateCoded($organizationId: ID!, $sku: String, $name: String!, $quantity: Int!) {
    createInventoryItem(organizationId: $organizationId, sku: $sku, name: $name, unit: "each", quantity: $quantity, minQuantity: 0) { id organizationId sku name quantity version } }`;
  type Coded = { createInventoryItem: { id: string; organizationId: string; sku: string } };
  const createCoded = (who: Person, variables: Record<string, unknown>) =>
    world.gql<Coded, Record<string, unknown>>(who, CREATE_CODED, {
      organizationId: world.organizationId,
      quantity: 1,
      ...variables,
    });
  const INVENTORY = `query Stock($organizationId: ID!) {
    inventoryByOrganization(organizationId: $organizationId, limit: 500) { items { sku } } }`;
  const codesOf = async (organizationId: string, prefix: string) => {
    const items = (
      await world.gql<
        { inventoryByOrganization: { items: { sku: string }[] } },
        Record<string, unknown>
      >(organizationId === world.organizationId ? 'manager' : 'outsider', INVENTORY, {
        organizationId,
      })
    ).data?.inventoryByOrganization.items;
    return (items ?? [])
      .map((item) => item.sku)
      .filter((sku) => sku.toUpperCase().startsWith(prefix))
      .sort();
  };
  it('makes an item code from the name when it is left blank, unique in the organization', async () => {
    const name = 'Sanctuary hymnal light';
    // Another organization already has the code: it does not count.
    const theirs = await createCoded('outsider', { organizationId: world.org.elsewhere, name });
    expect(theirs.data?.createInventoryItem.sku).toBe('SANCTUARY-HYMNAL');

    const first = await createCoded('manager', { name });
    expect(first.errors).toBeUndefined();
    expect(first.data?.createInventoryItem).toMatchObject({
      sku: 'SANCTUARY-HYMNAL',
      organizationId: world.organizationId,
    });
    // Blank and null are "not given" as much as an absent argument.
    const second = await createCoded('owner', { name, sku: '' });
    const third = await createCoded('manager', { name, sku: null });
    expect(second.data?.createInventoryItem.sku).toBe('SANCTUARY-HYMNAL-2');
    expect(third.data?.createInventoryItem.sku).toBe('SANCTUARY-HYMNAL-3');

    // Generated codes hold their claim like typed ones: a typed copy is refused, whatever its case.
    await expectDomainError(
      createCoded('manager', { name: 'Other light', sku: 'sanctuary-hymnal-2' }),
      'CONFLICT',
      /Item code/,
    );
    const claim = await world.documents.send(
      new GetCommand({
        TableName: world.table('InventoryItem'),
        Key: { id: `sku#${world.organizationId}#sanctuary-hymnal-3` },
        ConsistentRead: true,
      }),
    );
    expect(claim.Item).toMatchObject({
      __typename: 'InventorySkuClaim',
      itemId: third.data?.createInventoryItem.id,
    });

    // Created at the same time, items of one name still get distinct codes.
    const together = await Promise.all(
      Array.from({ length: 4 }, () => createCoded('manager', { name: 'Chair dolly' })),
    );
    expect(together.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
    // (A creation that met another's transaction moves on to the next number, so which numbers
    // are used can vary; that they are distinct cannot.)
    const dollies = together.map((r) => r.data?.createInventoryItem.sku ?? '');
    expect(new Set(dollies).size).toBe(4);
    for (const sku of dollies) expect(sku).toMatch(/^CHAIR-DOLLY(-\d+)?$/);
    expect(await codesOf(world.organizationId, 'CHAIR-DOLLY')).toEqual([...dollies].sort());
    expect(await codesOf(world.organizationId, 'SANCTUARY-HYMNAL')).toEqual([
      'SANCTUARY-HYMNAL',
      'SANCTUARY-HYMNAL-2',
      'SANCTUARY-HYMNAL-3',
    ]);
    expect(await codesOf(world.org.elsewhere, 'SANCTUARY-HYMNAL')).toEqual(['SANCTUARY-HYMNAL']);
  }, 60_000);

  it('refuses bad input to a blank-coded item with a typed error, creating nothing', async () => {
    const name = 'Baptistry heater';
    const refusals: [Person, Record<string, unknown>, RefusalType, RegExp | undefined][] = [
      ['manager', { name: '  ' }, 'VALIDATION', /name/],
      ['manager', { name, sku: 'BAPT HEATER' }, 'VALIDATION', /sku/],
      ['manager', { name, sku: '-X' }, 'VALIDATION', /sku/],
      ['manager', { name, quantity: -1 }, 'VALIDATION', /quantity/],
      ['tech', { name }, 'FORBIDDEN', undefined],
      ['member', { name, sku: '' }, 'FORBIDDEN', undefined],
    ];
    for (const [who, variables, code, message] of refusals) {
      await expectDomainError(
        createCoded(who, variables),
        code,
        message,
        JSON.stringify(variables),
      );
    }
    await expectDomainError(
      createCoded('outsider', { name }),
      /FORBIDDEN|NOT_FOUND/,
      undefined,
      'an outsider',
    );
    expect(await codesOf(world.organizationId, 'BAPT')).toEqual([]);
    // Nothing was claimed either: the first real one still gets the plain code.
    expect((await createCoded('manager', { name })).data?.createInventoryItem.sku).toBe(
      'BAPTISTRY-HEATER',
    );
  }, 60_000);

  it('refuses what roles, outsiders and bad input may not do, changing nothing', async () => {
    const item = await create(5, 1);
    const refusals: [Person, number, string, Record<string, unknown>, string][] = [
      ['tech', 3, 'RECEIVE', {}, 'FORBIDDEN'],
      ['tech', 1, 'COUNT', {}, 'FORBIDDEN'],
      ['member', -1, 'CONSUME', {}, 'FORBIDDEN'],
      ['outsider', -1, 'CONSUME', {}, 'NOT_FOUND'],
      ['manager', -6, 'CONSUME', {}, 'INSUFFICIENT_STOCK'],
      ['manager', 1, 'CONSUME', {}, 'VALIDATION'],
      ['manager', -1, 'CONSUME', { workOrderId: 'wo-nope' }, 'NOT_FOUND'],
    ];
    for (const [who, delta, reason, extra, code] of refusals) {
      expect(
        errorType(await adjust(who, item.id, delta, reason, extra)),
        `${who} ${reason} ${delta}`,
      ).toBe(code);
    }
    // An unknown reason and a fractional delta never reach the server's logic: GraphQL refuses them.
    expect((await adjust('manager', item.id, 1, 'STEAL')).errors?.length).toBeGreaterThan(0);
    expect(
      (await world.gql('manager', ADJUST, { itemId: item.id, delta: 1.5, reason: 'RECEIVE' }))
        .errors?.length,
    ).toBeGreaterThan(0);
    expect(
      errorType(
        await world.gql('tech', CREATE, {
          organizationId: world.organizationId,
          sku: 'T-1',
          name: 'x',
          quantity: 1,
          minQuantity: 0,
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(await read(item.id)).toMatchObject({ quantity: 5, version: 1 });
    expect(await ledger(item.id)).toEqual([]);
    // The ledger is for staff; a MEMBER reads none of it.
    await adjust('manager', item.id, -1, 'CONSUME');
    const asMember = await world.gql('member', LEDGER, {
      itemId: item.id,
    });
    expect(asMember.data?.adjustmentsByItem?.items ?? []).toEqual([]);
  }, 60_000);
});
