import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { GraphQLArgument } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../../local/graphql-client';
import { workOrderReadGroups } from '../../core/organizations/roles';
import { ownerValue } from '../../core/records';
import { expectDomainError, type RefusalType } from '../support/domain-error';
import {
  CREATE_ITEM,
  GET_DESCRIPTION,
  SUBMIT,
  WHO_AM_I,
  WORK_ORDERS_WITH_REQUESTER,
} from '../support/operations';
import { useWorld } from '../support/world';
import {
  isTextArgument,
  type Operation,
  operationsOf,
  percentile,
  plausibleValue,
  requestFor,
  schemaOf,
  tablesSnapshot,
  TYPED_ERRORS,
  VALIDATION_MESSAGE,
} from './support/bad-input-operations';

/**
 * Bad input on every query and mutation of the finished API, from a signed-in owner: wrong
 * types, missing and unknown arguments and fields, 200 KB strings, unicode and null bytes, deep
 * and aliased bombs, batches and oversized bodies. Each is refused with a typed error, changes
 * nothing in any table, and the server keeps answering another person at their usual pace.
 */

const HUGE = 'x'.repeat(200_000);
/** Emoji, a ZWJ sequence, right-to-left text and an override, combining marks, a null byte, a lone surrogate. */
const UNICODE = '🛠️ 👩‍🔧 مرحبا \u202eevil\u202c e\u0301\u0301 a\u0000b \ud800 ☃';

type Result = GraphQLResponse<Record<string, unknown>>;

/** A refusal as the API types them: a validation message, or an error type other than INTERNAL. */
function expectTypedRefusal(result: Result, label: string): void {
  const detail = `${label}: ${JSON.stringify(result).slice(0, 400)}`;
  expect(result.status, detail).toBeLessThan(500);
  expect(result.errors?.length, detail).toBeGreaterThan(0);
  for (const error of result.errors ?? []) {
    // A data source's own refusal (an opaque nextToken that is not one) is typed `DynamoDB:…`.
    const typed = error.errorType
      ? TYPED_ERRORS.has(error.errorType) || error.errorType.startsWith('DynamoDB:')
      : VALIDATION_MESSAGE.test(error.message);
    expect(typed, detail).toBe(true);
  }
}

/** Refused with a type, or answered without error (a read of nothing); never INTERNAL or a 5xx. */
function expectHandled(result: Result, label: string): void {
  const detail = `${label}: ${JSON.stringify(result).slice(0, 400)}`;
  expect(result.status, detail).toBeLessThan(500);
  if (result.errors?.length) expectTypedRefusal(result, label);
  else expect(result.data, detail).toBeDefined();
}

describe('bad input', () => {
  const world = useWorld({
    name: 'bad-input',
    people: { owner: { email: 'owner@a.example' }, other: { email: 'other@b.example' } },
    organizations: { main: { owner: 'owner', name: 'Bad Input Org' } },
  });
  const ids: Record<string, string> = {};
  let operations: Operation[] = [];

  const asOwner = (query: string, variables?: Record<string, unknown>) =>
    world.gql('owner', query, variables) as Promise<Result>;
  const post = (body: string) => world.post('owner', body);
  const snapshot = async () => {
    await world.runtime.streamsIdle();
    return tablesSnapshot(world.documents, world.runtime.assembly);
  };
  const argsOf = (operation: Operation) => operation.field.args;
  /** Values for the required arguments; optional ones stay unset unless a case sets them. */
  const validVariables = (args: readonly GraphQLArgument[]) =>
    Object.fromEntries(
      args
        .filter((a) => String(a.type).endsWith('!'))
        .map((a) => [a.name, plausibleValue(a.type, a.name, ids)]),
    );

  beforeAll(async () => {
    ids.organizationId = world.organizationId;
    const submitted = await world.ok('owner', SUBMIT, {
      organizationId: ids.organizationId,
      title: 'Boiler',
    });
    ids.id = submitted.submitWorkOrder.id;
    ids.workOrderId = submitted.submitWorkOrder.id;
    const item = await world.ok('owner', CREATE_ITEM, {
      organizationId: ids.organizationId,
      sku: 'F-1',
      name: 'Filter',
      quantity: 5,
      minQuantity: 1,
    });
    ids.itemId = item.createInventoryItem.id;
    ids.memberId = `${ids.organizationId}#${world.ids.owner}`;
    ids.userId = world.ids.owner;
    ids.requesterId = world.ids.owner;
    ids.recipientId = world.ids.owner;
    operations = operationsOf(schemaOf(world.runtime.assembly));
  });

  it('finds every query and mutation of the finished API', () => {
    const names = operations.map((o) => o.name);
    for (const expected of [
      'me',
      'getWorkOrder',
      'inventoryByOrganization',
      'notificationsByRecipient',
      'createOrganization',
      'submitWorkOrder',
      'transitionWorkOrder',
      'adjustInventory',
      'markNotificationsRead',
      'updateNotificationPreferences',
    ]) {
      expect(names).toContain(expected);
    }
    console.log(`bad input: ${operations.length} operations`);
    expect(operations.length).toBeGreaterThanOrEqual(35);
  });

  it('refuses wrong types, missing and unknown arguments and fields on every operation, changing nothing', async () => {
    const before = await snapshot();
    let cases = 0;
    for (const operation of operations) {
      const args = argsOf(operation);
      const label = (what: string) => `${operation.name} (${what})`;
      const required = args.filter((a) => String(a.type).endsWith('!'));
      const selection = requestFor(operation, []).includes('{ __typename }')
        ? '{ __typename }'
        : '';
      if (required.length > 0) {
        expectTypedRefusal(
          await asOwner(`${operation.kind} { ${operation.name} ${selection} }`),
          label('missing arguments'),
        );
        cases += 1;
      }
      const inline = args.map((a) => `${a.name}: { wrong: 1 }`).join(', ');
      if (inline) {
        expectTypedRefusal(
          await asOwner(`${operation.kind} { ${operation.name}(${inline}) ${selection} }`),
          label('object literals for every argument'),
        );
        cases += 1;
      }
      for (const arg of args) {
        const variables = validVariables(args);
        variables[arg.name] = isTextArgument(arg) ? { not: 'text' } : 'not a number or enum';
        expectTypedRefusal(
          await asOwner(requestFor(operation, args), variables),
          label(`wrong type for ${arg.name}`),
        );
        cases += 1;
      }
      expectTypedRefusal(
        await asOwner(
          `${operation.kind} { ${operation.name}(${[...required.map((a) => `${a.name}: ${JSON.stringify(plausibleValue(a.type, a.name, ids))}`), 'bogus: 1'].join(', ')}) ${selection} }`.replace(
            /"([A-Z_]+)"/g,
            '$1',
          ),
        ),
        label('unknown argument'),
      );
      expectTypedRefusal(
        await asOwner(requestFor(operation, args, 'noSuchField'), validVariables(args)),
        label('unknown field'),
      );
      cases += 2;
    }
    console.log(
      `bad input: ${cases} wrong-type, missing and unknown cases on ${operations.length} operations`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('answers 200 KB strings in every text argument with a typed refusal or nothing found, changing nothing', async () => {
    const before = await snapshot();
    let cases = 0;
    for (const operation of operations) {
      const args = argsOf(operation);
      for (const arg of args.filter(isTextArgument)) {
        const variables = validVariables(args);
        variables[arg.name] = String(arg.type).startsWith('[') ? [HUGE] : HUGE;
        const result = await asOwner(requestFor(operation, args), variables);
        const label = `${operation.name} (200 KB ${arg.name})`;
        if (operation.kind === 'mutation') expectTypedRefusal(result, label);
        else expectHandled(result, label);
        cases += 1;
      }
    }
    console.log(`bad input: ${cases} huge-string cases`);
    expect(cases).toBeGreaterThan(40);
    expect(await snapshot()).toEqual(before);
  });

  it('handles unicode, right-to-left text, null bytes and a lone surrogate in every text argument', async () => {
    let cases = 0;
    for (const operation of operations) {
      const args = argsOf(operation);
      for (const arg of args.filter(isTextArgument)) {
        const variables = validVariables(args);
        variables[arg.name] = String(arg.type).startsWith('[') ? [UNICODE] : UNICODE;
        expectHandled(
          await asOwner(requestFor(operation, args), variables),
          `${operation.name} (unicode ${arg.name})`,
        );
        cases += 1;
      }
    }
    console.log(`bad input: ${cases} unicode cases`);
  });

  it('stores unicode text exactly as sent', async () => {
    const submitted = await world.ok('owner', SUBMIT, {
      organizationId: ids.organizationId ?? '',
      title: UNICODE,
      description: UNICODE.repeat(10),
    });
    const read = await world.ok('owner', GET_DESCRIPTION, { id: submitted.submitWorkOrder.id });
    const { title, description } = read.getWorkOrder ?? { title: '', description: '' };
    // JSON carries the lone surrogate as U+FFFD once it has been stored as UTF-8.
    const stored = UNICODE.replace('\ud800', '\ufffd');
    expect([UNICODE, stored]).toContain(title);
    expect(description.startsWith(title)).toBe(true);
  });

  describe('bombs and malformed requests', () => {
    const aliases = (n: number, field = 'me { profile { id } }') =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
    const deep = (levels: number) =>
      `{ me ${'{ profile '.repeat(levels)}{ id }${' }'.repeat(levels)} }`;
    const cases: [string, () => Promise<Result>, RefusalType][] = [
      ['1,000 aliases of me', () => asOwner(aliases(1000)), 'ResolverExecutionLimitReached'],
      [
        '1,000 aliased submitWorkOrder mutations',
        () =>
          asOwner(
            `mutation ${aliases(1000, `submitWorkOrder(organizationId: "${ids.organizationId}", title: "bomb") { id }`)}`,
          ),
        'ResolverExecutionLimitReached',
      ],
      [
        'a fragment spread 1,000 times',
        () =>
          asOwner(
            `query { ${Array.from({ length: 1000 }, (_, i) => `a${i}: me { ...P }`).join(' ')} } fragment P on Me { profile { id } }`,
          ),
        'ResolverExecutionLimitReached',
      ],
      ['a query 40 levels deep', () => asOwner(deep(40)), 'QueryDepthLimitReached'],
      [
        'a query 20,000 levels deep',
        () => asOwner(`{ me ${'{ a '.repeat(20_000)}${'}'.repeat(20_001)}`),
        'MalformedHttpRequestException',
      ],
      [
        'introspection nested 40 levels',
        () =>
          asOwner(
            `{ __schema { types { ${'fields { type { '.repeat(20)}name${' } }'.repeat(20)} } } }`,
          ),
        'ValidationError',
      ],
      [
        'a batch of 100 operations',
        () =>
          post(
            JSON.stringify(
              Array.from({ length: 100 }, () => ({ query: '{ me { profile { id } } }' })),
            ),
          ),
        'MalformedHttpRequestException',
      ],
      [
        'a 2 MB body',
        () => post(JSON.stringify({ query: '{ __typename }', variables: { x: HUGE.repeat(10) } })),
        'PayloadTooLargeException',
      ],
      [
        'a body that is not JSON',
        () => post('{"query": "{ me { profile { id } } }"'),
        'MalformedHttpRequestException',
      ],
      ['a body without a query', () => post('{"variables": {}}'), 'MalformedHttpRequestException'],
      ['a syntax error', () => asOwner('{ me { profile { id }'), 'MalformedHttpRequestException'],
    ];

    it.each(cases)(
      'refuses %s with a typed error and changes nothing',
      async (label, send, errorType) => {
        const before = await snapshot();
        const result = await send();
        expectTypedRefusal(result, label);
        await expectDomainError(result, errorType, undefined, label);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('refuses a fragment cycle and unknown fields of unknown types as validation errors', async () => {
      const cycle = await asOwner(
        'query { me { ...A } } fragment A on Me { ...B } fragment B on Me { ...A }',
      );
      expect(cycle.errors?.[0]?.message).toMatch(/Cannot spread fragment/);
      const unknownType = await asOwner('query Q($x: NoSuchType) { me { profile { id } } }');
      expect(unknownType.errors?.[0]?.message).toMatch(/Unknown type/);
    });

    it("keeps another person's requests fast and error-free while all of it is thrown at once", async () => {
      const probe = async () => {
        const started = performance.now();
        const result = await world.gql('other', WHO_AM_I);
        return { ms: performance.now() - started, ok: !result.errors && result.status === 200 };
      };
      const baseline: number[] = [];
      for (let i = 0; i < 40; i += 1) baseline.push((await probe()).ms);

      let attacking = true;
      let attacks = 0;
      const attacker = async () => {
        while (attacking) {
          for (const [, send] of cases) {
            if (!attacking) break;
            await send();
            attacks += 1;
          }
        }
      };
      const attackers = [attacker(), attacker(), attacker()];
      const during: number[] = [];
      let failures = 0;
      for (let i = 0; i < 60; i += 1) {
        const { ms, ok } = await probe();
        during.push(ms);
        if (!ok) failures += 1;
      }
      attacking = false;
      await Promise.all(attackers);

      const p99Before = percentile(baseline, 99);
      const p99During = percentile(during, 99);
      console.log(
        `bad input: another person's p50/p99 ${percentile(baseline, 50).toFixed(0)}/${p99Before.toFixed(0)} ms before, ${percentile(during, 50).toFixed(0)}/${p99During.toFixed(0)} ms during ${attacks} bombs from 3 attackers`,
      );
      expect(failures).toBe(0);
      expect(p99During).toBeLessThan(Math.max(10 * p99Before, 1500));
      // And the server is still up for the attacker too: a caller who sent that much may be
      // throttled (429, nothing else) and is let in again once it waits for its rate.
      const deadline = Date.now() + 15_000;
      let after = await world.gql('owner', WHO_AM_I);
      while (after.errors && Date.now() < deadline) {
        await expectDomainError(after, 'TooManyRequestsException');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        after = await world.gql('owner', WHO_AM_I);
      }
      expect(after.errors).toBeUndefined();
    });
  });

  it('counts resolvers as they run: 850 work orders with their owner field in one request go over 800', async () => {
    const table = world.table('WorkOrder');
    const organizationId = ids.organizationId ?? '';
    const now = new Date().toISOString();
    const items = Array.from({ length: 850 }, (_, i) => ({
      __typename: 'WorkOrder',
      id: randomUUID(),
      organizationId,
      number: 1000 + i,
      title: `Seeded ${i}`,
      status: 'NEW',
      priority: 'LOW',
      category: 'OTHER',
      type: 'CORRECTIVE',
      requester: ownerValue(world.ids.owner, world.emails.owner),
      requesterId: world.ids.owner,
      readGroups: workOrderReadGroups(organizationId),
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < items.length; i += 25) {
      await world.documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    const list = (limit: number) =>
      world.gql('owner', WORK_ORDERS_WITH_REQUESTER, { o: organizationId, l: limit });
    const all = await expectDomainError(list(1000), 'ResolverExecutionLimitReached');
    expect(new Set(all.errors?.map((e) => e.errorType))).toEqual(
      new Set(['ResolverExecutionLimitReached']),
    );
    // The app reads in pages of at most 500 (a timeline), well within the limit.
    const page = await list(500);
    expect(page.errors).toBeUndefined();
    expect(page.data?.workOrdersByOrganization.items).toHaveLength(500);
  });
});
