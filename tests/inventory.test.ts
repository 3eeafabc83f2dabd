import { rmSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/organizations/roles';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import type { LocalRuntime } from '../local/main';
import { seedActiveMember } from './support/members';
import { openRealtime, subscribe } from './support/realtime';
import { signUpPeople, startSuiteRuntime } from './support/suite';

const PASSWORD = 'Test-pass-123';
const ITEM = 'id organizationId sku name unit quantity minQuantity unitCost lastCountedAt version';
const CREATE = `mutation Create($organizationId: ID!, $sku: String!, $name: String!, $quantity: Int!, $minQuantity: Int!, $unitCost: Float) {
  createInventoryItem(organizationId: $organizationId, sku: $sku, name: $name, unit: "each", quantity: $quantity, minQuantity: $minQuantity, unitCost: $unitCost) { ${ITEM} } }`;
const UPDATE = `mutation Update($id: ID!, $v: Int!, $minQuantity: Int, $name: String) {
  updateInventoryItem(id: $id, expectedVersion: $v, minQuantity: $minQuantity, name: $name) { ${ITEM} } }`;
const ADJUST = `mutation Adjust($itemId: ID!, $delta: Int!, $reason: AdjustmentReason!, $workOrderId: ID, $note: String) {
  adjustInventory(itemId: $itemId, delta: $delta, reason: $reason, workOrderId: $workOrderId, note: $note) { ${ITEM} } }`;
const LEDGER = `query Ledger($itemId: ID!) {
  adjustmentsByItem(itemId: $itemId, limit: 500) { items { id reason delta quantityBefore quantityAfter unitCost workOrderId actorId } } }`;
const PARTS = `query Parts($workOrderId: ID!) {
  adjustmentsByWorkOrder(workOrderId: $workOrderId) { items { itemId sku reason delta unitCost workOrderId } } }`;
const GET = `query Get($id: ID!) { getInventoryItem(id: $id) { ${ITEM} } }`;

type Item = {
  id: string;
  sku: string;
  quantity: number;
  minQuantity: number;
  unitCost: number | null;
  lastCountedAt: string | null;
  version: number;
};
type Entry = {
  reason: string;
  delta: number;
  quantityBefore: number;
  quantityAfter: number;
  unitCost: number | null;
  workOrderId: string | null;
};

const PEOPLE = {
  owner: { email: 'owner@inv.example', role: 'OWNER' },
  manager: { email: 'manager@inv.example', role: 'MANAGER' },
  tech: { email: 'tech@inv.example', role: 'TECHNICIAN' },
  member: { email: 'member@inv.example', role: 'MEMBER' },
  outsider: { email: 'outsider@inv.example', role: 'OWNER' },
} as const satisfies Record<string, { email: string; role: Role }>;
type Person = keyof typeof PEOPLE;

describe('inventory on the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  let organizationId = '';
  const sessions = {} as Record<Person, Session>;
  const ids = {} as Record<Person, string>;
  let skuCounter = 0;

  const table = (model: string): string => runtime.tableName(model);
  const gql = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphql<T>(runtime.urls.graphql, sessions[who].accessToken, query, variables);
  const ok = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphqlOk<T>(runtime.urls.graphql, sessions[who].accessToken, query, variables);
  const create = async (
    quantity: number,
    minQuantity: number,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await ok<{ createInventoryItem: Item }>('manager', CREATE, {
        organizationId,
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
    extra: Record<string, unknown> = {},
  ) => gql<{ adjustInventory: Item }>(who, ADJUST, { itemId, delta, reason, ...extra });
  const errorType = (result: { errors?: { errorType?: string }[] }) =>
    result.errors?.[0]?.errorType;
  const ledger = async (itemId: string) =>
    (await ok<{ adjustmentsByItem: { items: Entry[] } }>('manager', LEDGER, { itemId }))
      .adjustmentsByItem.items;
  const read = async (id: string) =>
    (await ok<{ getInventoryItem: Item }>('manager', GET, { id })).getInventoryItem;

  /** Makes `who` an ACTIVE member the way the server records one: the item and its Cognito groups. */
  async function join(who: Person, organization: string): Promise<void> {
    const { email, role } = PEOPLE[who];
    await seedActiveMember({
      documents,
      cognito,
      table: table('OrganizationMember'),
      organizationId: organization,
      userId: ids[who],
      email,
      role,
      displayName: who,
    });
    sessions[who] = await cognito.signIn(email, PASSWORD);
  }

  beforeAll(async () => {
    ({ runtime, dataDirectory, cognito, documents } = await startSuiteRuntime('inventory'));
    await signUpPeople(cognito, PEOPLE, PASSWORD, sessions, ids);
    organizationId = (
      await ok<{ createOrganization: { id: string } }>(
        'owner',
        'mutation { createOrganization(name: "Grace Chapel") { id } }',
      )
    ).createOrganization.id;
    sessions.owner = await cognito.signIn(PEOPLE.owner.email, PASSWORD);
    const elsewhere = (
      await ok<{ createOrganization: { id: string } }>(
        'outsider',
        'mutation { createOrganization(name: "Elsewhere") { id } }',
      )
    ).createOrganization.id;
    sessions.outsider = await cognito.signIn(PEOPLE.outsider.email, PASSWORD);
    expect(elsewhere).not.toBe(organizationId);
    for (const who of ['manager', 'tech', 'member'] as const) await join(who, organizationId);
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

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
    const query = `subscription S($o: ID!) { onInventoryChanged(organizationId: $o) { id organizationId quantity version } }`;
    const memberToken = sessions.member.accessToken;
    const outsiderToken = sessions.outsider.accessToken;
    const memberSocket = await openRealtime(
      runtime.urls.realtime,
      runtime.urls.graphql,
      memberToken,
    );
    const outsiderSocket = await openRealtime(
      runtime.urls.realtime,
      runtime.urls.graphql,
      outsiderToken,
    );
    try {
      const live = await subscribe(memberSocket, runtime.urls.graphql, memberToken, query, {
        o: organizationId,
      });
      await expect(
        subscribe(outsiderSocket, runtime.urls.graphql, outsiderToken, query, {
          o: organizationId,
        }),
      ).rejects.toThrow(/refused|Unauthorized/i);
      const sent = Date.now();
      await adjust('tech', item.id, -4, 'CONSUME');
      const event = await live.next(
        (e) => (e.onInventoryChanged as { id: string }).id === item.id,
        2000,
      );
      expect(Date.now() - sent).toBeLessThan(2000);
      expect(event.onInventoryChanged).toMatchObject({ quantity: 5, organizationId });
    } finally {
      memberSocket.close();
      outsiderSocket.close();
    }
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
      await ok<{ submitWorkOrder: { id: string } }>(
        'member',
        `mutation S($organizationId: ID!) { submitWorkOrder(organizationId: $organizationId, title: "Boiler") { id } }`,
        { organizationId },
      )
    ).submitWorkOrder;
    const used = await adjust('tech', item.id, -3, 'CONSUME', {
      workOrderId: workOrder.id,
      note: 'Replaced',
    });
    expect(used.errors).toBeUndefined();
    const parts = (
      await ok<{ adjustmentsByWorkOrder: { items: Entry[] } }>('manager', PARTS, {
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
    expect(errorType(await gql('manager', UPDATE, { id: item.id, v: 1, minQuantity: 4 }))).toBe(
      'CONFLICT',
    );
    const updated = await ok<{ updateInventoryItem: Item }>('manager', UPDATE, {
      id: item.id,
      v: 2,
      minQuantity: 4,
    });
    expect(updated.updateInventoryItem).toMatchObject({ minQuantity: 4, quantity: 3, version: 3 });
  }, 60_000);

  it('SKUs are unique within the organization, even when created at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        gql<{ createInventoryItem: Item }>('manager', CREATE, {
          organizationId,
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
      (await gql('manager', ADJUST, { itemId: item.id, delta: 1.5, reason: 'RECEIVE' })).errors
        ?.length,
    ).toBeGreaterThan(0);
    expect(
      errorType(
        await gql('tech', CREATE, {
          organizationId,
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
    const asMember = await gql<{ adjustmentsByItem: { items: Entry[] } | null }>('member', LEDGER, {
      itemId: item.id,
    });
    expect(asMember.data?.adjustmentsByItem?.items ?? []).toEqual([]);
  }, 60_000);
});
