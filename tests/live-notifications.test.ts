import { rmSync } from 'node:fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/organizations/roles';
import { AppSyncLivePublisher } from '../amplify/functions/notifier/stores/appsync-publisher';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import type { LocalRuntime } from '../local/main';
import { seedActiveMember } from './support/members';
import { openRealtime, type RealtimeSubscription, subscribe } from './support/realtime';
import { signUpPeople, startSuiteRuntime } from './support/suite';

const PASSWORD = 'Test-pass-123';
const ON_NOTIFICATION =
  'subscription { onNotification { id organizationId recipientId kind subject link createdAt } }';
const SUBMIT = `mutation Submit($organizationId: ID!, $title: String!) {
  submitWorkOrder(organizationId: $organizationId, title: $title) { id version } }`;
const ASSIGN = `mutation Assign($id: ID!, $assigneeId: String, $v: Int) {
  assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $v) { id version } }`;
const PUBLISH = `mutation P($recipientId: String!) {
  publishNotification(id: "forged-1", organizationId: "org-x", recipientId: $recipientId,
    kind: "WORK_ORDER_ASSIGNED", subject: "Click here", createdAt: "2026-11-25T10:00:00Z") { id } }`;

const PEOPLE = {
  owner: { email: 'owner@live.example', role: 'OWNER' },
  tech: { email: 'tech@live.example', role: 'TECHNICIAN' },
  outsider: { email: 'outsider@live.example', role: 'OWNER' },
} as const satisfies Record<string, { email: string; role: Role }>;
type Person = keyof typeof PEOPLE;

type Live = { id: string; recipientId: string; organizationId: string; kind: string };
const liveOf = (event: Record<string, unknown>) => event.onNotification as Live;

describe('live in-app notifications on the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let documents: DynamoDBDocumentClient;
  let organizationId = '';
  const sessions = {} as Record<Person, Session>;
  const ids = {} as Record<Person, string>;
  const feeds = {} as Record<Person, RealtimeSubscription>;
  const sockets: { close(): void }[] = [];

  const ok = <T = Record<string, unknown>>(
    who: Person,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphqlOk<T>(runtime.urls.graphql, sessions[who].accessToken, query, variables);

  beforeAll(async () => {
    ({ runtime, dataDirectory, cognito, documents } = await startSuiteRuntime('live'));
    await signUpPeople(cognito, PEOPLE, PASSWORD, sessions, ids);
    const create = async (who: Person, name: string) =>
      (
        await ok<{ createOrganization: { id: string } }>(
          who,
          'mutation C($name: String!) { createOrganization(name: $name) { id } }',
          { name },
        )
      ).createOrganization.id;
    organizationId = await create('owner', 'Grace Chapel');
    await create('outsider', 'Other Place');
    await seedActiveMember({
      documents,
      cognito,
      table: runtime.tableName('OrganizationMember'),
      organizationId,
      userId: ids.tech,
      email: PEOPLE.tech.email,
      role: 'TECHNICIAN',
      displayName: 'Tess Tech',
    });
    for (const who of Object.keys(PEOPLE) as Person[]) {
      sessions[who] = await cognito.signIn(PEOPLE[who].email, PASSWORD);
      const token = sessions[who].accessToken;
      const socket = await openRealtime(runtime.urls.realtime, runtime.urls.graphql, token);
      sockets.push(socket);
      feeds[who] = await subscribe(socket, runtime.urls.graphql, token, ON_NOTIFICATION, {});
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await runtime?.stop();
    if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('pushes an assignment to the assignee the moment the notifier records it, to nobody else', async () => {
    const { submitWorkOrder: wo } = await ok<{ submitWorkOrder: { id: string; version: number } }>(
      'owner',
      SUBMIT,
      { organizationId, title: 'Furnace filter' },
    );
    await ok('owner', ASSIGN, { id: wo.id, assigneeId: ids.tech, v: wo.version });
    const pushed = liveOf(
      await feeds.tech.next((e) => liveOf(e).kind === 'WORK_ORDER_ASSIGNED', 15_000),
    );
    expect(pushed).toMatchObject({ recipientId: ids.tech, organizationId });
    // The stored notification the bell reads is the same one.
    const { notificationsByRecipient } = await ok<{
      notificationsByRecipient: { items: { id: string }[] };
    }>(
      'tech',
      'query Q($r: String!) { notificationsByRecipient(recipientId: $r) { items { id } } }',
      { r: ids.tech },
    );
    expect(notificationsByRecipient.items.map((n) => n.id)).toContain(pushed.id);
    await runtime.streamsIdle();
    for (const who of Object.keys(feeds) as Person[]) {
      for (const event of feeds[who].events) expect(liveOf(event).recipientId).toBe(ids[who]);
    }
    expect(feeds.outsider.events).toHaveLength(0);
  });

  it('refuses a person who calls publishNotification, and delivers nothing', async () => {
    const before = feeds.tech.events.length;
    const result = await graphql(runtime.urls.graphql, sessions.outsider.accessToken, PUBLISH, {
      recipientId: ids.tech,
    });
    expect(result.errors?.[0]?.errorType).toMatch(/Unauthorized/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(feeds.tech.events).toHaveLength(before);
  });

  it('refuses IAM calls signed with credentials other than the functions’ own', async () => {
    const before = feeds.tech.events.length;
    const live = {
      id: 'forged-2',
      organizationId,
      recipientId: ids.tech,
      kind: 'WORK_ORDER_ASSIGNED',
      subject: 'Reset your password here',
      createdAt: new Date().toISOString(),
    };
    // The well-known local credentials every emulator accepts are not the functions' role.
    const guessed = new AppSyncLivePublisher(runtime.urls.graphql, LOCAL_REGION, LOCAL_CREDENTIALS);
    await expect(guessed.publish(live)).rejects.toThrow(/HTTP 401/);

    // A signature over one body, sent with another.
    const signer = new SignatureV4({
      service: 'appsync',
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      sha256: Sha256,
    });
    const url = new URL(runtime.urls.graphql);
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: JSON.stringify({ query: PUBLISH, variables: { recipientId: ids.tech } }),
    });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(feeds.tech.events).toHaveLength(before);
  });
});
