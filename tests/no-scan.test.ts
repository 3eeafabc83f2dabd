import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient } from '../local/dynamodb';
import { type DynamoDbRecorder, startDynamoDbRecorder } from './support/dynamodb-recorder';
import { useWorld } from './support/world';

/**
 * "No request path scans a table": every query and mutation of the API runs against the real
 * local runtime while a recording proxy sits between the backend (resolvers, functions, stream
 * consumers) and DynamoDB Local; none of what it records may be a Scan.
 */

const SCAN = 'Scan';
/** Operations no user token can reach (IAM only), listed with why they are not called here. */
const NOT_FOR_USERS: Record<string, string> = {
  publishNotification: 'IAM only: the notifier publishes in-app notifications with it',
};

describe('no request path scans a table', () => {
  let recorder: DynamoDbRecorder | undefined;
  // Registered before the world: hooks after the tests run in reverse, so this one runs last.
  afterAll(async () => recorder?.stop());
  const world = useWorld(
    {
      name: 'no-scan',
      people: {
        owner: { email: 'owner@scan.example' },
        tech: { email: 'tech@scan.example' },
        third: { email: 'third@scan.example' },
      },
      runtime: {
        dynamoDbEndpoint: async (endpoint) => {
          recorder = await startDynamoDbRecorder(endpoint);
          return recorder.endpoint;
        },
      },
    },
    180_000,
  );
  type Person = keyof typeof world.ids;
  const called = new Set<string>();

  /** Runs an operation as someone and notes which root fields it called. */
  async function as(
    who: Person,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    for (const match of query.matchAll(/[{]\s*(\w+)\s*[({]/g)) if (match[1]) called.add(match[1]);
    return ((await world.gql(who, query, variables)).data ?? {}) as Record<string, unknown>;
  }
  const field = <T>(data: Record<string, unknown>, name: string): T => data[name] as T;

  it('runs every query and mutation without a Scan', async () => {
    const org = field<{ id: string; slug: string }>(
      await as('owner', 'mutation { createOrganization(name: "Scan check") { id slug } }'),
      'createOrganization',
    );
    await world.signIn('owner');
    await as('owner', '{ me { profile { id } memberships { memberId } } }');

    // Members: invite, accept with the token the email would carry, change, suspend, transfer.
    const invite = async (email: string) => {
      const invited = field<{ id: string }>(
        await as(
          'owner',
          `mutation($o: ID!, $e: String!) { inviteMember(organizationId: $o, email: $e, role: TECHNICIAN) { id } }`,
          { o: org.id, e: email },
        ),
        'inviteMember',
      );
      const { Item } = await world.documents.send(
        new GetCommand({
          TableName: world.runtime.tableName('OrganizationMember'),
          Key: { id: invited.id },
        }),
      );
      return { id: invited.id, token: String(Item?.inviteToken) };
    };
    const techInvite = await invite('tech@scan.example');
    const accepted = field<{ id: string }>(
      await as(
        'tech',
        'mutation($m: ID!, $t: String!) { acceptInvitation(memberId: $m, token: $t) { id } }',
        { m: techInvite.id, t: techInvite.token },
      ),
      'acceptInvitation',
    );
    expect(accepted?.id).toBeTruthy();
    await world.signIn('tech');
    await as(
      'owner',
      'mutation($m: ID!) { updateMemberRole(memberId: $m, role: MANAGER) { id } }',
      {
        m: accepted.id,
      },
    );
    await as(
      'owner',
      'mutation($m: ID!) { setMemberSuspended(memberId: $m, suspended: true) { id } }',
      {
        m: accepted.id,
      },
    );
    await as(
      'owner',
      'mutation($m: ID!) { setMemberSuspended(memberId: $m, suspended: false) { id } }',
      {
        m: accepted.id,
      },
    );
    await world.signIn('tech');
    const thirdInvite = await invite('third@scan.example');
    await as('owner', 'mutation($m: ID!) { removeMember(memberId: $m) { id } }', {
      m: thirdInvite.id,
    });

    // Work orders: submit, assign, transition, comment.
    const wo = field<{ id: string; version: number }>(
      await as(
        'owner',
        'mutation($o: ID!) { submitWorkOrder(organizationId: $o, title: "Leak", dueAt: "2030-01-01T00:00:00.000Z") { id version } }',
        { o: org.id },
      ),
      'submitWorkOrder',
    );
    const assigned = field<{ version: number }>(
      await as(
        'owner',
        'mutation($id: ID!, $a: String, $v: Int) { assignWorkOrder(id: $id, assigneeId: $a, expectedVersion: $v) { version } }',
        { id: wo.id, a: world.ids.tech, v: wo.version },
      ),
      'assignWorkOrder',
    );
    await as(
      'tech',
      'mutation($id: ID!, $v: Int!) { transitionWorkOrder(id: $id, to: IN_PROGRESS, expectedVersion: $v) { version } }',
      { id: wo.id, v: assigned?.version ?? 0 },
    );
    await as(
      'tech',
      'mutation($id: ID!) { addWorkOrderComment(workOrderId: $id, body: "on it") { id } }',
      {
        id: wo.id,
      },
    );

    // Inventory: create, update, use on the work order.
    const item = field<{ id: string; version: number }>(
      await as(
        'owner',
        'mutation($o: ID!) { createInventoryItem(organizationId: $o, sku: "W-1", name: "Washer", unit: "each", quantity: 10, minQuantity: 2) { id version } }',
        { o: org.id },
      ),
      'createInventoryItem',
    );
    await as(
      'owner',
      'mutation($id: ID!, $v: Int!) { updateInventoryItem(id: $id, expectedVersion: $v, name: "Washers") { id } }',
      { id: item.id, v: item.version },
    );
    await as(
      'tech',
      'mutation($i: ID!, $w: ID) { adjustInventory(itemId: $i, delta: -1, reason: CONSUME, workOrderId: $w) { id } }',
      { i: item.id, w: wo.id },
    );
    await world.runtime.streamsIdle();

    // Notifications and preferences.
    const notifications = field<{ items: { id: string }[] }>(
      await as(
        'tech',
        '{ notificationsByRecipient(recipientId: "' + world.ids.tech + '") { items { id } } }',
      ),
      'notificationsByRecipient',
    );
    await as('tech', 'mutation { markNotificationsRead(all: true) }');
    await as(
      'tech',
      'mutation { updateNotificationPreferences(assignment: false) { assignment } }',
    );
    await as('tech', 'mutation { updateProfile(displayName: "Tom Scan") { id displayName } }');

    // Every read: by key and by each index.
    const events = field<{ items: { id: string }[] }>(
      await as('owner', 'query($w: ID!) { eventsByWorkOrder(workOrderId: $w) { items { id } } }', {
        w: wo.id,
      }),
      'eventsByWorkOrder',
    );
    const adjustments = field<{ items: { id: string }[] }>(
      await as('owner', 'query($i: ID!) { adjustmentsByItem(itemId: $i) { items { id } } }', {
        i: item.id,
      }),
      'adjustmentsByItem',
    );
    const reads: [Person, string, Record<string, unknown>][] = [
      ['owner', 'query($id: ID!) { getOrganization(id: $id) { id } }', { id: org.id }],
      [
        'owner',
        'query($s: String!) { organizationsBySlug(slug: $s) { items { id } } }',
        { s: org.slug },
      ],
      ['owner', 'query($id: ID!) { getOrganizationMember(id: $id) { id } }', { id: accepted.id }],
      [
        'owner',
        'query($o: ID!) { membersByOrganization(organizationId: $o) { items { id } } }',
        { o: org.id },
      ],
      [
        'owner',
        'query($u: String!) { membershipsByUser(userId: $u) { items { id } } }',
        { u: world.ids.owner },
      ],
      [
        'owner',
        'query($e: AWSEmail!) { membershipsByEmail(email: $e) { items { id } } }',
        { e: 'tech@scan.example' },
      ],
      ['owner', 'query($id: ID!) { getWorkOrder(id: $id) { id } }', { id: wo.id }],
      [
        'owner',
        'query($o: ID!) { workOrdersByOrganization(organizationId: $o) { items { id } } }',
        { o: org.id },
      ],
      [
        'owner',
        'query($o: ID!) { workOrdersByOrganizationAndStatus(organizationId: $o, statusCreatedAt: { beginsWith: { status: IN_PROGRESS } }) { items { id } } }',
        { o: org.id },
      ],
      [
        'owner',
        'query($o: ID!) { openWorkOrdersByDueDate(organizationId: $o) { items { id } } }',
        { o: org.id },
      ],
      [
        'owner',
        'query($r: String!) { workOrdersByRequester(requesterId: $r) { items { id } } }',
        { r: world.ids.owner },
      ],
      [
        'owner',
        'query($a: String!) { workOrdersByAssignee(assigneeId: $a) { items { id } } }',
        { a: world.ids.tech },
      ],
      [
        'owner',
        'query($id: ID!) { getWorkOrderEvent(id: $id) { id } }',
        { id: events?.items[0]?.id ?? 'none' },
      ],
      ['owner', 'query($id: ID!) { getInventoryItem(id: $id) { id } }', { id: item.id }],
      [
        'owner',
        'query($o: ID!) { inventoryByOrganization(organizationId: $o) { items { id } } }',
        { o: org.id },
      ],
      [
        'owner',
        'query($id: ID!) { getInventoryAdjustment(id: $id) { id } }',
        { id: adjustments?.items[0]?.id ?? 'none' },
      ],
      [
        'owner',
        'query($w: ID!) { adjustmentsByWorkOrder(workOrderId: $w) { items { id } } }',
        { w: wo.id },
      ],
      [
        'tech',
        'query($id: ID!) { getNotification(id: $id) { id } }',
        { id: notifications?.items[0]?.id ?? 'none' },
      ],
    ];
    for (const [who, query, variables] of reads) await as(who, query, variables);
    await as(
      'owner',
      'mutation($o: ID!, $m: ID!) { transferOwnership(organizationId: $o, memberId: $m) { id } }',
      {
        o: org.id,
        m: accepted.id,
      },
    );
    await world.runtime.streamsIdle();

    // Every operation of the API was called (a new one must be added here).
    const operations = world.runtime.assembly.resolvers
      .filter((r) => r.typeName === 'Query' || r.typeName === 'Mutation')
      .map((r) => r.fieldName);
    const missed = operations.filter((name) => !called.has(name) && !(name in NOT_FOR_USERS));
    expect(missed).toEqual([]);

    const operationsSeen = new Set(recorder?.calls.map((c) => c.operation));
    // The recorder did see the backend's traffic (so an empty Scan list means something).
    expect(operationsSeen).toContain('Query');
    expect(operationsSeen).toContain('TransactWriteItems');
    expect(operationsSeen).toContain('GetItem');
    expect(recorder?.calls.filter((c) => c.operation === SCAN)).toEqual([]);
  }, 240_000);

  it('would notice a Scan issued through the backend endpoint', async () => {
    const client = localDynamoDbClient(recorder?.endpoint ?? '');
    await client.send(
      new ScanCommand({ TableName: world.runtime.tableName('WorkOrder'), Limit: 1 }),
    );
    client.destroy();
    expect(recorder?.calls.filter((c) => c.operation === SCAN)).toEqual([
      { operation: SCAN, table: world.runtime.tableName('WorkOrder') },
    ]);
  });

  it('has no generated resolver or function whose request is a Scan', () => {
    const code = [
      ...world.runtime.assembly.resolvers.map((r) =>
        r.runtime === 'VTL' ? r.requestTemplate : r.code,
      ),
      ...world.runtime.assembly.pipelineFunctions.map((f) =>
        f.runtime === 'VTL' ? f.requestTemplate : f.code,
      ),
    ];
    expect(code.length).toBeGreaterThan(20);
    const scans = code.filter((c) => /["']?operation["']?\s*:\s*["']Scan["']/.test(c));
    expect(scans).toEqual([]);
  });
});
