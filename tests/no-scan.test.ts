import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient } from '../local/dynamodb';
import { graphql, LocalCognito, type Session } from '../local/graphql-client';
import { type LocalRuntime, startLocalRuntime } from '../local/main';
import { type DynamoDbRecorder, startDynamoDbRecorder } from './support/dynamodb-recorder';
import { decodeJwt } from './support/tokens';

/**
 * "No request path scans a table": every query and mutation of the API runs against the real
 * local runtime while a recording proxy sits between the backend (resolvers, functions, stream
 * consumers) and DynamoDB Local; none of what it records may be a Scan.
 */

const PASSWORD = 'Test-pass-123';
const SCAN = 'Scan';
/** Operations no user token can reach (IAM only), listed with why they are not called here. */
const NOT_FOR_USERS: Record<string, string> = {
  publishNotification: 'IAM only: the notifier publishes in-app notifications with it',
};

describe('no request path scans a table', () => {
  let runtime: LocalRuntime;
  let recorder: DynamoDbRecorder | undefined;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  const sessions: Record<string, Session> = {};
  const subs: Record<string, string> = {};
  const called = new Set<string>();

  /** Runs an operation as someone and notes which root fields it called. */
  async function as(
    who: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    for (const match of query.matchAll(/[{]\s*(\w+)\s*[({]/g)) if (match[1]) called.add(match[1]);
    const result = await graphql(
      runtime.urls.graphql,
      sessions[who]?.accessToken,
      query,
      variables,
    );
    return (result.data ?? {}) as Record<string, unknown>;
  }
  const field = <T>(data: Record<string, unknown>, name: string): T => data[name] as T;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-no-scan-'));
    runtime = await startLocalRuntime({
      dataDirectory,
      ports: 'auto',
      app: false,
      demo: false,
      writeOutputsFiles: false,
      dynamoDbEndpoint: async (endpoint) => {
        recorder = await startDynamoDbRecorder(endpoint);
        return recorder.endpoint;
      },
    });
    cognito = new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId);
    documents = DynamoDBDocumentClient.from(localDynamoDbClient(runtime.urls.dynamodb));
    for (const who of ['owner', 'tech', 'third']) {
      const email = `${who}@scan.example`;
      await cognito.createConfirmedUser(email, PASSWORD);
      sessions[who] = await cognito.signIn(email, PASSWORD);
      subs[who] = String(decodeJwt(sessions[who].idToken).payload.sub);
    }
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
    await recorder?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('runs every query and mutation without a Scan', async () => {
    const org = field<{ id: string; slug: string }>(
      await as('owner', 'mutation { createOrganization(name: "Scan check") { id slug } }'),
      'createOrganization',
    );
    sessions.owner = await cognito.signIn('owner@scan.example', PASSWORD);
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
      const { Item } = await documents.send(
        new GetCommand({
          TableName: runtime.tableName('OrganizationMember'),
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
    sessions.tech = await cognito.signIn('tech@scan.example', PASSWORD);
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
    sessions.tech = await cognito.signIn('tech@scan.example', PASSWORD);
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
        { id: wo.id, a: subs.tech, v: wo.version },
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
    await runtime.streamsIdle();

    // Notifications and preferences.
    const notifications = field<{ items: { id: string }[] }>(
      await as(
        'tech',
        '{ notificationsByRecipient(recipientId: "' + subs.tech + '") { items { id } } }',
      ),
      'notificationsByRecipient',
    );
    await as('tech', 'mutation { markNotificationsRead(all: true) }');
    await as(
      'tech',
      'mutation { updateNotificationPreferences(assignment: false) { assignment } }',
    );

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
    const reads: [string, string, Record<string, unknown>][] = [
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
        { u: subs.owner },
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
        { r: subs.owner },
      ],
      [
        'owner',
        'query($a: String!) { workOrdersByAssignee(assigneeId: $a) { items { id } } }',
        { a: subs.tech },
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
    await runtime.streamsIdle();

    // Every operation of the API was called (a new one must be added here).
    const operations = runtime.assembly.resolvers
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
    await client.send(new ScanCommand({ TableName: runtime.tableName('WorkOrder'), Limit: 1 }));
    client.destroy();
    expect(recorder?.calls.filter((c) => c.operation === SCAN)).toEqual([
      { operation: SCAN, table: runtime.tableName('WorkOrder') },
    ]);
  });

  it('has no generated resolver or function whose request is a Scan', () => {
    const code = [
      ...runtime.assembly.resolvers.map((r) => (r.runtime === 'VTL' ? r.requestTemplate : r.code)),
      ...runtime.assembly.pipelineFunctions.map((f) =>
        f.runtime === 'VTL' ? f.requestTemplate : f.code,
      ),
    ];
    expect(code.length).toBeGreaterThan(20);
    const scans = code.filter((c) => /["']?operation["']?\s*:\s*["']Scan["']/.test(c));
    expect(scans).toEqual([]);
  });
});
