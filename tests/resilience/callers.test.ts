import { rmSync } from 'node:fs';
import { getNamedType, type GraphQLField } from 'graphql';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, graphqlOk, type Session } from '../../local/graphql-client';
import { seedActiveMember } from '../support/members';
import { openRealtime, type RealtimeSubscription, subscribe } from '../support/realtime';
import { type SuiteRuntime, signUpPeople, startSuiteRuntime } from '../support/suite';
import { cognitoLocalKey, decodeJwt, encodeJwt, forgeries } from '../support/tokens';
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

const PASSWORD = 'Test-pass-123';
const SECRET = 'b-secret';
const PEOPLE = {
  bob: { email: 'bob@b.example' },
  tom: { email: 'tom@b.example' },
  alice: { email: 'alice@a.example' },
  carl: { email: 'carl@a.example' },
  nora: { email: 'nora@x.example' },
};
type Person = keyof typeof PEOPLE;

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
  let suite: SuiteRuntime;
  const sessions = {} as Record<Person, Session>;
  const subs = {} as Record<Person, string>;
  let b: Targets;
  let orgA = '';

  const url = () => suite.runtime.urls.graphql;
  const as = (who: Person, query: string, variables?: Record<string, unknown>) =>
    graphql(url(), sessions[who].accessToken, query, variables);
  const okAs = <T>(who: Person, query: string, variables?: Record<string, unknown>) =>
    graphqlOk<T>(url(), sessions[who].accessToken, query, variables);
  /** Every item of every table that belongs to B or to B's people. */
  const snapshotOfB = async () => {
    await suite.runtime.streamsIdle();
    const all = await tablesSnapshot(suite.documents, suite.runtime.assembly);
    const mine = (row: unknown) =>
      [b.org, subs.bob, subs.tom].some((id) => String(row).includes(id));
    return Object.fromEntries(Object.entries(all).map(([t, rows]) => [t, rows.filter(mine)]));
  };

  beforeAll(async () => {
    suite = await startSuiteRuntime('callers');
    await signUpPeople(suite.cognito, PEOPLE, PASSWORD, sessions, subs);
    const seed = (organizationId: string, who: Person, role: 'TECHNICIAN') =>
      seedActiveMember({
        documents: suite.documents,
        cognito: suite.cognito,
        table: suite.runtime.tableName('OrganizationMember'),
        organizationId,
        userId: subs[who],
        email: PEOPLE[who].email,
        role,
        displayName: who,
      });
    const orgs: Record<string, { id: string; slug: string }> = {};
    for (const [who, name] of [
      ['alice', 'Org A'],
      ['bob', `Org B ${SECRET}`],
    ] as const) {
      const created = await okAs<{ createOrganization: { id: string; slug: string } }>(
        who,
        'mutation C($n: String!) { createOrganization(name: $n) { id slug } }',
        { n: name },
      );
      orgs[who] = created.createOrganization;
    }
    orgA = orgs.alice?.id ?? '';
    const orgB = orgs.bob?.id ?? '';
    await seed(orgA, 'carl', 'TECHNICIAN');
    await seed(orgB, 'tom', 'TECHNICIAN');
    for (const who of Object.keys(PEOPLE) as Person[]) {
      sessions[who] = await suite.cognito.signIn(PEOPLE[who].email, PASSWORD);
    }

    const submitted = await okAs<{ submitWorkOrder: { id: string } }>(
      'bob',
      'mutation S($o: ID!, $t: String!) { submitWorkOrder(organizationId: $o, title: $t) { id } }',
      { o: orgB, t: `${SECRET}-boiler` },
    );
    const assigned = await okAs<{ assignWorkOrder: { version: number } }>(
      'bob',
      'mutation A($id: ID!, $a: String!) { assignWorkOrder(id: $id, assigneeId: $a) { version } }',
      { id: submitted.submitWorkOrder.id, a: subs.tom },
    );
    const item = await okAs<{ createInventoryItem: { id: string } }>(
      'bob',
      'mutation I($o: ID!, $n: String!) { createInventoryItem(organizationId: $o, sku: "B-1", name: $n, unit: "each", quantity: 5, minQuantity: 2) { id } }',
      { o: orgB, n: `${SECRET}-filter` },
    );
    const adjusted = await okAs<{ adjustInventory: { version: number } }>(
      'bob',
      'mutation J($i: ID!, $w: ID) { adjustInventory(itemId: $i, delta: -4, reason: CONSUME, workOrderId: $w) { version } }',
      { i: item.createInventoryItem.id, w: submitted.submitWorkOrder.id },
    );
    await suite.runtime.streamsIdle();
    const lists = await okAs<{
      eventsByWorkOrder: { items: { id: string }[] };
      adjustmentsByItem: { items: { id: string }[] };
    }>(
      'bob',
      'query L($w: ID!, $i: ID!) { eventsByWorkOrder(workOrderId: $w) { items { id } } adjustmentsByItem(itemId: $i) { items { id } } }',
      { w: submitted.submitWorkOrder.id, i: item.createInventoryItem.id },
    );
    const inbox = await okAs<{ notificationsByRecipient: { items: { id: string }[] } }>(
      'tom',
      'query N($r: String!) { notificationsByRecipient(recipientId: $r) { items { id } } }',
      { r: subs.tom },
    );
    b = {
      org: orgB,
      slug: orgs.bob?.slug ?? '',
      member: `${orgB}#${subs.tom}`,
      workOrder: submitted.submitWorkOrder.id,
      workOrderVersion: assigned.assignWorkOrder.version,
      event: lists.eventsByWorkOrder.items[0]?.id ?? '',
      item: item.createInventoryItem.id,
      itemVersion: adjusted.adjustInventory.version,
      adjustment: lists.adjustmentsByItem.items[0]?.id ?? '',
      notification: inbox.notificationsByRecipient.items[0]?.id ?? '',
    };
  }, 240_000);

  afterAll(async () => {
    await suite?.runtime.stop();
    if (suite) rmSync(suite.dataDirectory, { recursive: true, force: true });
  });

  it('has every kind of record of B to aim at', () => {
    expect(Object.values(b).every((v) => v !== '' && v !== 0)).toBe(true);
  });

  describe('forged, expired and tampered tokens', () => {
    const QUERY = 'query M($o: ID!) { getOrganization(id: $o) { id name } }';
    const WRITE =
      'mutation W($o: ID!) { submitWorkOrder(organizationId: $o, title: "forged") { id } }';

    /** Every way a token can be wrong, made from bob's genuine access and ID tokens. */
    const forged = (): [string, string | undefined][] => {
      const access = forgeries(sessions.bob.accessToken);
      const id = forgeries(sessions.bob.idToken);
      const { header, payload } = decodeJwt(sessions.bob.idToken);
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
            decodeJwt(sessions.bob.accessToken).header,
            { ...decodeJwt(sessions.bob.accessToken).payload, token_use: 'id' },
            cognitoLocalKey(),
          ),
        ],
      ];
    };

    it('accepts the genuine tokens the forgeries are made from', async () => {
      for (const token of [sessions.bob.accessToken, sessions.bob.idToken]) {
        const result = await graphql(url(), token, QUERY, { o: b.org });
        expect(result.errors).toBeUndefined();
      }
    });

    it('refuses each forgery over HTTP with 401 UnauthorizedException, reading and writing nothing', async () => {
      const before = await snapshotOfB();
      const cases = forged();
      for (const [label, token] of cases) {
        for (const [query, kind] of [
          [QUERY, 'read'],
          [WRITE, 'write'],
        ] as const) {
          const result = await graphql(url(), token, query, { o: b.org });
          const detail = `${label} (${kind}): ${JSON.stringify(result).slice(0, 300)}`;
          expect(result.status, detail).toBe(401);
          expect(result.errors?.[0]?.errorType, detail).toBe('UnauthorizedException');
          expect(result.data, detail).toBeUndefined();
        }
      }
      console.log(`callers: ${cases.length} forged tokens refused over HTTP (read and write)`);
      expect(await snapshotOfB()).toEqual(before);
    });

    it('refuses each forgery in the real-time handshake', async () => {
      for (const [label, token] of forged()) {
        if (token === undefined) continue;
        await expect(
          openRealtime(suite.runtime.urls.realtime, url(), token),
          label,
        ).rejects.toThrow(/connection_error|Unauthorized|401|closed/);
      }
    });

    it('refuses each forgery in a subscription start on a genuine connection', async () => {
      const socket = await openRealtime(
        suite.runtime.urls.realtime,
        url(),
        sessions.bob.accessToken,
      );
      try {
        for (const [label, token] of forged()) {
          await expect(
            subscribe(
              socket,
              url(),
              token ?? '',
              'subscription S($o: ID!) { onWorkOrderChanged(organizationId: $o) { id } }',
              { o: b.org },
            ),
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
        userId: subs.tom,
        requesterId: subs.bob,
        assigneeId: subs.tom,
        recipientId: subs.tom,
        email: PEOPLE.tom.email,
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

    const operations = () => operationsOf(schemaOf(suite.runtime.assembly));

    it.each(OUTSIDERS)('%s reads nothing of B through any query', async (_label, who) => {
      let cases = 0;
      for (const operation of operations().filter((o) => o.kind === 'query')) {
        const { query, variables } = aimedAtB('query', operation.field);
        const result = await as(who, query, variables);
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
        const result = await as(who, query, variables);
        const detail = `${operation.name}: ${JSON.stringify(result).slice(0, 300)}`;
        const aimsAtB = operation.field.args.some((a) =>
          ['organizationId', 'memberId', 'workOrderId', 'itemId', 'id', 'ids'].includes(a.name),
        );
        if (aimsAtB) {
          expect(result.errors?.length, detail).toBeGreaterThan(0);
          expect(result.errors?.[0]?.errorType, detail).toMatch(
            /^(FORBIDDEN|NOT_FOUND|Unauthorized|UnauthorizedException|INVITATION_EXPIRED)$/,
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
        const token = sessions[who].accessToken;
        const sockets: WebSocket[] = [];
        const own: RealtimeSubscription[] = [];
        try {
          const schema = schemaOf(suite.runtime.assembly);
          for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
            const socket = await openRealtime(suite.runtime.urls.realtime, url(), token);
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
          const submitted = await okAs<{ submitWorkOrder: { id: string } }>(
            'bob',
            'mutation S($o: ID!, $t: String!) { submitWorkOrder(organizationId: $o, title: $t) { id } }',
            { o: b.org, t: `${SECRET}-live` },
          );
          await okAs(
            'bob',
            'mutation A($id: ID!, $a: String!) { assignWorkOrder(id: $id, assigneeId: $a) { id } }',
            { id: submitted.submitWorkOrder.id, a: subs.tom },
          );
          await okAs(
            'bob',
            'mutation J($i: ID!) { adjustInventory(itemId: $i, delta: 1, reason: RECEIVE) { id } }',
            {
              i: b.item,
            },
          );
          await suite.runtime.streamsIdle();
          await new Promise((r) => setTimeout(r, 500));
          for (const subscription of own) expect(subscription.events).toEqual([]);
        } finally {
          for (const socket of sockets) socket.close();
        }
      },
    );

    it('delivers those same events to B (the subscriptions do work)', async () => {
      const token = sessions.tom.accessToken;
      const socket = await openRealtime(suite.runtime.urls.realtime, url(), token);
      try {
        const live = await subscribe(
          socket,
          url(),
          token,
          'subscription S($o: ID!) { onInventoryChanged(organizationId: $o) { id quantity } }',
          { o: b.org },
        );
        await okAs(
          'bob',
          'mutation J($i: ID!) { adjustInventory(itemId: $i, delta: 1, reason: RECEIVE) { id } }',
          {
            i: b.item,
          },
        );
        await live.next((e) => (e.onInventoryChanged as { id: string }).id === b.item, 3000);
      } finally {
        socket.close();
      }
      expect(orgA).not.toBe(b.org);
    });
  });
});
