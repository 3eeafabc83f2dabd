import { getNamedType, type GraphQLField } from 'graphql';
import type WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../../local/graphql-client';
import { expectDomainError, expectHttpRefusal } from '../support/domain-error';
import {
  ADJUST,
  ASSIGN,
  CREATE_ITEM,
  EVENTS,
  GET_ORGANIZATION,
  INBOX,
  LEDGER,
  ON_INVENTORY_CHANGED,
  ON_WORK_ORDER_CHANGED,
  SUBMIT,
} from '../support/operations';
import { openRealtime, type RealtimeSubscription, subscribe } from '../support/realtime';
import { cognitoLocalKey, decodeJwt, encodeJwt, forgeries } from '../support/tokens';
import { useWorld } from '../support/world';
import {
  operationsOf,
  plausibleValue,
  schemaOf,
  selectionOf,
  tablesSnapshot,
} from './support/bad-input-operations';

/**
 * Who may call at all, and what they may reach. Forged, expired and tampered tokens are refused
 * with 401 over HTTP and in the real-time handshake and subscription start, changing nothing.
 * Then the cross-organization matrix is run again over every query, mutation and subscription of
 * the finished API (read from the synthesized schema, so an operation added later is covered):
 * people of organization A, and people in no organization, reach nothing of organization B.
 */

const SECRET = 'b-secret';

/** B's records the matrix aims at. */
type Targets = {
  org: string;
  slug: string;
  member: string;
  workOrder: string;
  workOrderVersion: number;
  event: string;
  item: string;
  itemVersion: number;
  adjustment: string;
  notification: string;
};

describe('callers', () => {
  const world = useWorld({
    name: 'callers',
    people: {
      bob: { email: 'bob@b.example' },
      tom: { email: 'tom@b.example', role: 'TECHNICIAN', of: 'B' },
      alice: { email: 'alice@a.example' },
      carl: { email: 'carl@a.example', role: 'TECHNICIAN', of: 'A' },
      nora: { email: 'nora@x.example' },
    },
    organizations: {
      A: { owner: 'alice', name: 'Org A' },
      B: { owner: 'bob', name: `Org B ${SECRET}` },
    },
  });
  type Person = keyof typeof world.ids;
  let b: Targets;

  const url = () => world.runtime.urls.graphql;
  /** Every item of every table that belongs to B or to B's people. */
  const snapshotOfB = async () => {
    await world.runtime.streamsIdle();
    const all = await tablesSnapshot(world.documents, world.runtime.assembly);
    const mine = (row: unknown) =>
      [b.org, world.ids.bob, world.ids.tom].some((id) => String(row).includes(id));
    return Object.fromEntries(Object.entries(all).map(([t, rows]) => [t, rows.filter(mine)]));
  };

  beforeAll(async () => {
    const orgB = world.org.B;
    const submitted = await world.ok('bob', SUBMIT, {
      organizationId: orgB,
      title: `${SECRET}-boiler`,
    });
    const workOrderId = submitted.submitWorkOrder.id;
    const assigned = await world.ok('bob', ASSIGN, { id: workOrderId, assigneeId: world.ids.tom });
    const item = await world.ok('bob', CREATE_ITEM, {
      organizationId: orgB,
      sku: 'B-1',
      name: `${SECRET}-filter`,
      quantity: 5,
      minQuantity: 2,
    });
    const itemId = item.createInventoryItem.id;
    const adjusted = await world.ok('bob', ADJUST, {
      itemId,
      delta: -4,
      reason: 'CONSUME',
      workOrderId,
    });
    await world.runtime.streamsIdle();
    const events = await world.ok('bob', EVENTS, { workOrderId });
    const ledger = await world.ok('bob', LEDGER, { itemId });
    const inbox = await world.ok('tom', INBOX, { recipientId: world.ids.tom });
    b = {
      org: orgB,
      slug: world.slugs.B,
      member: `${orgB}#${world.ids.tom}`,
      workOrder: workOrderId,
      workOrderVersion: assigned.assignWorkOrder.version,
      event: events.eventsByWorkOrder.items[0]?.id ?? '',
      item: itemId,
      itemVersion: adjusted.adjustInventory.version,
      adjustment: ledger.adjustmentsByItem?.items[0]?.id ?? '',
      notification: inbox.notificationsByRecipient.items[0]?.id ?? '',
    };
  });

  it('has every kind of record of B to aim at', () => {
    expect(Object.values(b).every((v) => v !== '' && v !== 0)).toBe(true);
  });

  describe('forged, expired and tampered tokens', () => {
    /** A read and a write of B's, sent with a token. */
    const read = (accessToken: string | undefined) =>
      world.gql(
        accessToken === undefined ? undefined : { idToken: '', accessToken },
        GET_ORGANIZATION,
        {
          o: b.org,
        },
      );
    const write = (accessToken: string | undefined) =>
      world.gql(accessToken === undefined ? undefined : { idToken: '', accessToken }, SUBMIT, {
        organizationId: b.org,
        title: 'forged',
      });

    /** Every way a token can be wrong, made from bob's genuine access and ID tokens. */
    const forged = (): [string, string | undefined][] => {
      const access = forgeries(world.sessions.bob.accessToken);
      const id = forgeries(world.sessions.bob.idToken);
      const { header, payload } = decodeJwt(world.sessions.bob.idToken);
      return [
        ['no token', undefined],
        ['a token that is not a JWT', 'not-a-token'],
        ['Bearer and nothing else', 'Bearer '],
        ...Object.entries(access).map(([k, v]): [string, string] => [`access token, ${k}`, v]),
        ...Object.entries(id).map(([k, v]): [string, string] => [`ID token, ${k}`, v]),
        [
          'ID token, wrong audience',
          encodeJwt(header, { ...payload, aud: 'another-app-client' }, cognitoLocalKey()),
        ],
        [
          'access token, token_use changed to id (no audience)',
          encodeJwt(
            decodeJwt(world.sessions.bob.accessToken).header,
            { ...decodeJwt(world.sessions.bob.accessToken).payload, token_use: 'id' },
            cognitoLocalKey(),
          ),
        ],
      ];
    };

    it('accepts the genuine tokens the forgeries are made from', async () => {
      for (const token of [world.sessions.bob.accessToken, world.sessions.bob.idToken]) {
        const result = await read(token);
        expect(result.errors).toBeUndefined();
      }
    });

    it('refuses each forgery over HTTP with 401 UnauthorizedException, reading and writing nothing', async () => {
      const before = await snapshotOfB();
      const cases = forged();
      for (const [label, token] of cases) {
        for (const [send, kind] of [
          [read, 'read'],
          [write, 'write'],
        ] as const) {
          await expectHttpRefusal(
            send(token) as Promise<GraphQLResponse<unknown>>,
            401,
            'UnauthorizedException',
            undefined,
            `${label} (${kind})`,
          );
        }
      }
      console.log(`callers: ${cases.length} forged tokens refused over HTTP (read and write)`);
      expect(await snapshotOfB()).toEqual(before);
    });

    it('refuses each forgery in the real-time handshake', async () => {
      for (const [label, token] of forged()) {
        if (token === undefined) continue;
        await expect(
          openRealtime(world.runtime.urls.realtime, url(), token),
          label,
        ).rejects.toThrow(/connection_error|Unauthorized|401|closed/);
      }
    });

    it('refuses each forgery in a subscription start on a genuine connection', async () => {
      const socket = await openRealtime(
        world.runtime.urls.realtime,
        url(),
        world.sessions.bob.accessToken,
      );
      try {
        for (const [label, token] of forged()) {
          await expect(
            subscribe(socket, url(), token ?? '', ON_WORK_ORDER_CHANGED, { organizationId: b.org }),
            label,
          ).rejects.toThrow(/refused|Unauthorized/i);
        }
      } finally {
        socket.close();
      }
    });
  });

  describe('the cross-organization matrix over the finished API', () => {
    const OUTSIDERS: [string, Person][] = [
      ['the owner of another organization', 'alice'],
      ['a technician of another organization', 'carl'],
      ['a person in no organization', 'nora'],
    ];
    const leaks = () =>
      new RegExp(
        [SECRET, b.org, b.slug, 'bob@b\\.example', 'tom@b\\.example', b.notification]
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|'),
      );

    /** B's records by argument name; an optional argument is passed only when it names one. */
    const aimedValues = (returns: string): Record<string, unknown> => {
      const byReturnType: Record<string, string> = {
        Organization: b.org,
        OrganizationMember: b.member,
        WorkOrder: b.workOrder,
        WorkOrderEvent: b.event,
        InventoryItem: b.item,
        InventoryAdjustment: b.adjustment,
        Notification: b.notification,
      };
      return {
        id: byReturnType[returns] ?? b.workOrder,
        organizationId: b.org,
        memberId: b.member,
        workOrderId: b.workOrder,
        itemId: b.item,
        userId: world.ids.tom,
        requesterId: world.ids.bob,
        assigneeId: world.ids.tom,
        recipientId: world.ids.tom,
        email: world.emails.tom,
        slug: b.slug,
        ids: [b.notification],
        expectedVersion: returns === 'InventoryItem' ? b.itemVersion : b.workOrderVersion,
        to: 'CANCELLED',
        role: 'ADMIN',
        // Parts used on B's work order: the only reason that may name one.
        reason: 'CONSUME',
        delta: -1,
        suspended: true,
        token: 'guess',
      };
    };

    /** The request for an operation with its arguments aimed at B's records. */
    const aimedAtB = (kind: string, field: GraphQLField<unknown, unknown>) => {
      const aimed = aimedValues(getNamedType(field.type).name);
      const args = field.args.filter((a) => String(a.type).endsWith('!') || a.name in aimed);
      const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const variables = Object.fromEntries(
        args.map((a) => [
          a.name,
          a.name in aimed ? aimed[a.name] : plausibleValue(a.type, a.name, {}),
        ]),
      );
      const query = `${kind} Aim${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionOf(field)} }`;
      return { query, variables };
    };

    const operations = () => operationsOf(schemaOf(world.runtime.assembly));

    it.each(OUTSIDERS)('%s reads nothing of B through any query', async (_label, who) => {
      let cases = 0;
      for (const operation of operations().filter((o) => o.kind === 'query')) {
        const { query, variables } = aimedAtB('query', operation.field);
        const result = await world.gql(who, query, variables);
        const detail = `${operation.name}: ${JSON.stringify(result).slice(0, 300)}`;
        expect(result.status, detail).toBe(200);
        expect(JSON.stringify(result.data ?? {}), detail).not.toMatch(leaks());
        cases += 1;
      }
      console.log(`callers: ${who} read nothing of B through ${cases} queries`);
      expect(cases).toBeGreaterThanOrEqual(20);
    });

    it.each(OUTSIDERS)('%s changes nothing of B through any mutation', async (_label, who) => {
      let cases = 0;
      for (const operation of operations().filter((o) => o.kind === 'mutation')) {
        const before = await snapshotOfB();
        const { query, variables } = aimedAtB('mutation', operation.field);
        const result = await world.gql(who, query, variables);
        const detail = `${operation.name}: ${JSON.stringify(result).slice(0, 300)}`;
        const aimsAtB = operation.field.args.some((a) =>
          ['organizationId', 'memberId', 'workOrderId', 'itemId', 'id', 'ids'].includes(a.name),
        );
        if (aimsAtB) {
          await expectDomainError(
            result,
            /^(FORBIDDEN|NOT_FOUND|Unauthorized|UnauthorizedException|INVITATION_EXPIRED)$/,
            undefined,
            operation.name,
          );
        }
        expect(JSON.stringify(result.data ?? {}), detail).not.toMatch(leaks());
        expect(await snapshotOfB(), detail).toEqual(before);
        cases += 1;
      }
      console.log(`callers: ${who} changed nothing of B through ${cases} mutations`);
      expect(cases).toBeGreaterThanOrEqual(17);
    });

    it.each(OUTSIDERS)(
      "%s is refused B's subscriptions and hears nothing of B on their own",
      async (_label, who) => {
        const token = world.sessions[who].accessToken;
        const sockets: WebSocket[] = [];
        const own: RealtimeSubscription[] = [];
        try {
          const schema = schemaOf(world.runtime.assembly);
          for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
            const socket = await openRealtime(world.runtime.urls.realtime, url(), token);
            sockets.push(socket);
            const { query, variables } = aimedAtB('subscription', field);
            if (field.args.length > 0) {
              await expect(
                subscribe(socket, url(), token, query, variables),
                field.name,
              ).rejects.toThrow(/refused|Unauthorized/i);
            } else {
              own.push(await subscribe(socket, url(), token, query, variables));
            }
          }
          // B's people act: a work order, an assignment (a notification to tom), a stock change.
          const submitted = await world.ok('bob', SUBMIT, {
            organizationId: b.org,
            title: `${SECRET}-live`,
          });
          await world.ok('bob', ASSIGN, {
            id: submitted.submitWorkOrder.id,
            assigneeId: world.ids.tom,
          });
          await world.ok('bob', ADJUST, { itemId: b.item, delta: 1, reason: 'RECEIVE' });
          await world.runtime.streamsIdle();
          await new Promise((r) => setTimeout(r, 500));
          for (const subscription of own) expect(subscription.events).toEqual([]);
        } finally {
          for (const socket of sockets) socket.close();
        }
      },
    );

    it('delivers those same events to B (the subscriptions do work)', async () => {
      const token = world.sessions.tom.accessToken;
      const socket = await openRealtime(world.runtime.urls.realtime, url(), token);
      try {
        const live = await subscribe(socket, url(), token, ON_INVENTORY_CHANGED, { o: b.org });
        await world.ok('bob', ADJUST, { itemId: b.item, delta: 1, reason: 'RECEIVE' });
        await live.next((e) => (e.onInventoryChanged as { id: string }).id === b.item, 3000);
      } finally {
        socket.close();
      }
      expect(world.org.A).not.toBe(b.org);
    });
  });
});
