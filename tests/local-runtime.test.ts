import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient } from '../local/dynamodb';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import { readMailbox } from '../local/mail';
import { type LocalRuntime, startLocalRuntime } from '../local/main';
import { openRealtime, subscribe } from './support/realtime';
import { decodeJwt, forgeries } from './support/tokens';
import { waitFor } from './support/wait';

const PASSWORD = 'Test-pass-123';
const WORK_ORDER_FIELDS = 'id organizationId number title status requesterId assigneeId version';
const ON_CHANGED = `subscription On($organizationId: ID!) { onWorkOrderChanged(organizationId: $organizationId) { ${WORK_ORDER_FIELDS} } }`;
const SUBMIT = `mutation Submit($organizationId: ID!, $title: String!) { submitWorkOrder(organizationId: $organizationId, title: $title) { ${WORK_ORDER_FIELDS} } }`;

describe('the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  const sessions: Record<string, Session> = {};
  const orgs: Record<'A' | 'B', string> = { A: '', B: '' };
  let workOrderB: { id: string; version: number };

  const start = () =>
    startLocalRuntime({
      dataDirectory,
      ports: 'auto',
      app: false,
      demo: false,
      writeOutputsFiles: false,
    });
  const gql = <T = Record<string, unknown>>(
    who: string,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphql<T>(runtime.urls.graphql, sessions[who]?.accessToken, query, variables);
  const signIn = async (email: string) => {
    sessions[email] = await cognito.signIn(email, PASSWORD);
  };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-runtime-'));
    runtime = await start();
    cognito = new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId);
    for (const email of ['alice@a.example', 'bob@b.example']) {
      await cognito.createConfirmedUser(email, PASSWORD);
      await signIn(email);
    }
    for (const [key, email] of [
      ['A', 'alice@a.example'],
      ['B', 'bob@b.example'],
    ] as const) {
      const created = await graphqlOk<{ createOrganization: { id: string } }>(
        runtime.urls.graphql,
        sessions[email]?.accessToken ?? '',
        `mutation { createOrganization(name: "Org ${key}") { id } }`,
      );
      orgs[key] = created.createOrganization.id;
      await signIn(email); // the new organization's groups arrive with a new token
    }
    const submitted = await gql<{ submitWorkOrder: { id: string; version: number } }>(
      'bob@b.example',
      SUBMIT,
      {
        organizationId: orgs.B,
        title: 'B only: boiler noise',
      },
    );
    expect(submitted.errors).toBeUndefined();
    workOrderB = submitted.data?.submitWorkOrder as { id: string; version: number };
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('signs up with the code from the mailbox and creates exactly one profile, even when the trigger runs twice', async () => {
    const email = 'carol@a.example';
    await cognito.client.send(
      new SignUpCommand({
        ClientId: runtime.userPoolClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const mail = await waitFor(async () =>
      (await readMailbox(runtime.urls.mailbox)).find((m) => m.to.includes(email)),
    );
    const code = /\b(\d{6})\b/.exec(`${mail.subject} ${mail.text}`)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await cognito.client.send(
      new ConfirmSignUpCommand({
        ClientId: runtime.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
      }),
    );
    const session = await cognito.signIn(email, PASSWORD);
    const sub = String(decodeJwt(session.idToken).payload.sub);
    expect(decodeJwt(session.idToken).payload.email_verified).toBe(true);

    const profileTable = runtime.assembly.tables.find((t) =>
      t.logicalId.startsWith('ProfileTable'),
    )?.tableName;
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(runtime.urls.dynamodb));
    const first = await documents.send(
      new GetCommand({ TableName: profileTable, Key: { id: sub } }),
    );
    expect(first.Item?.email).toBe(email);

    // Cognito retries triggers: run it again with the same event; nothing may change.
    const event = {
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'us-east-1',
      userPoolId: runtime.userPoolId,
      userName: sub,
      callerContext: { awsSdkVersion: 'local', clientId: runtime.userPoolClientId },
      request: { userAttributes: { sub, email, email_verified: 'true' } },
      response: {},
    };
    await runtime.invoke('post-confirmation', event);
    await runtime.invoke('post-confirmation', event);
    const again = await documents.send(
      new GetCommand({ TableName: profileTable, Key: { id: sub } }),
    );
    expect(again.Item).toEqual(first.Item);

    const me = await graphqlOk<{ me: { profile: { id: string; email: string } } }>(
      runtime.urls.graphql,
      session.accessToken,
      '{ me { profile { id email } memberships { organizationId } } }',
    );
    expect(me.me.profile).toEqual({ id: sub, email });
  });

  it('resets a forgotten password with the code from the mailbox', async () => {
    const email = 'dora@a.example';
    await cognito.createConfirmedUser(email, PASSWORD);
    const mailsTo = async () =>
      (await readMailbox(runtime.urls.mailbox)).filter((m) => m.to.includes(email));
    const before = (await mailsTo()).length; // sign-up already mailed a code
    await cognito.client.send(
      new ForgotPasswordCommand({ ClientId: runtime.userPoolClientId, Username: email }),
    );
    const mail = await waitFor(async () => (await mailsTo())[before]);
    const code = /\b(\d{6})\b/.exec(`${mail.subject} ${mail.text}`)?.[1] ?? '';
    const newPassword = 'Changed-pass-456';
    await expect(
      cognito.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: runtime.userPoolClientId,
          Username: email,
          ConfirmationCode: '000000',
          Password: newPassword,
        }),
      ),
    ).rejects.toThrow();
    await cognito.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: runtime.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
        Password: newPassword,
      }),
    );
    await expect(cognito.signIn(email, PASSWORD)).rejects.toThrow();
    const session = await cognito.signIn(email, newPassword);
    expect(decodeJwt(session.idToken).payload.email).toBe(email);
  });

  it('answers 401 to a request without a token', async () => {
    const result = await graphql(runtime.urls.graphql, undefined, '{ me { profile { id } } }');
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
  });

  it.each([
    'unsigned',
    're-signed with another key',
    'tampered groups',
    'expired by a second',
    'wrong issuer',
    'wrong client',
  ])('answers 401 to a %s token, over HTTP and WebSocket', async (kind) => {
    const forged = forgeries(sessions['alice@a.example']?.accessToken ?? '')[kind] ?? '';
    const result = await graphql(
      runtime.urls.graphql,
      forged,
      `query { getWorkOrder(id: "${workOrderB.id}") { id } }`,
    );
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    await expect(
      openRealtime(runtime.urls.realtime, runtime.urls.graphql, forged),
    ).rejects.toThrow();
  });

  it("does not let a member of A get, list, assign or change B's work orders", async () => {
    const get = await gql<{ getWorkOrder: unknown }>(
      'alice@a.example',
      `query { getWorkOrder(id: "${workOrderB.id}") { id title } }`,
    );
    expect(get.data?.getWorkOrder ?? null).toBeNull();
    expect(JSON.stringify(get)).not.toContain('boiler');

    const list = await gql<{ workOrdersByOrganization: { items: unknown[] } }>(
      'alice@a.example',
      `query { workOrdersByOrganization(organizationId: "${orgs.B}") { items { id title } } }`,
    );
    expect(list.data?.workOrdersByOrganization?.items ?? []).toEqual([]);

    const assign = await gql(
      'alice@a.example',
      `mutation { assignWorkOrder(id: "${workOrderB.id}") { id } }`,
    );
    expect(assign.errors?.[0]?.errorType).toMatch(/FORBIDDEN|NOT_FOUND/);

    const submit = await gql('alice@a.example', SUBMIT, {
      organizationId: orgs.B,
      title: 'sneaky',
    });
    expect(submit.errors?.[0]?.errorType).toMatch(/FORBIDDEN|NOT_FOUND/);

    for (const mutation of ['updateWorkOrder', 'deleteWorkOrder', 'createWorkOrder']) {
      const result = await gql(
        'alice@a.example',
        `mutation { ${mutation}(input: { id: "${workOrderB.id}" }) { id } }`,
      );
      expect(result.errors?.length).toBeGreaterThan(0);
    }
    const after = await gql<{
      getWorkOrder: { title: string; version: number; assigneeId: string | null };
    }>(
      'bob@b.example',
      `query { getWorkOrder(id: "${workOrderB.id}") { title version assigneeId } }`,
    );
    expect(after.data?.getWorkOrder).toEqual({
      title: 'B only: boiler noise',
      version: workOrderB.version,
      assigneeId: null,
    });
  });

  it("delivers A's new work order to A's subscriber within 1 s, and none of B's", async () => {
    const token = sessions['alice@a.example']?.accessToken ?? '';
    const socket = await openRealtime(runtime.urls.realtime, runtime.urls.graphql, token);
    try {
      const subscription = await subscribe(socket, runtime.urls.graphql, token, ON_CHANGED, {
        organizationId: orgs.A,
      });
      await gql('bob@b.example', SUBMIT, { organizationId: orgs.B, title: 'for B eyes only' });
      const sent = Date.now();
      const mine = await gql<{ submitWorkOrder: { id: string } }>('alice@a.example', SUBMIT, {
        organizationId: orgs.A,
        title: 'for A',
      });
      const event = await subscription.next(
        (e) =>
          (e.onWorkOrderChanged as { id?: string } | undefined)?.id ===
          mine.data?.submitWorkOrder.id,
        1000,
      );
      expect(Date.now() - sent).toBeLessThan(1000);
      expect((event.onWorkOrderChanged as { organizationId: string }).organizationId).toBe(orgs.A);
      await new Promise((r) => setTimeout(r, 300));
      expect(
        subscription.events.map(
          (e) => (e.onWorkOrderChanged as { organizationId: string }).organizationId,
        ),
      ).toEqual([orgs.A]);
    } finally {
      socket.close();
    }
  });

  it("refuses a subscription to another organization's work orders", async () => {
    const token = sessions['alice@a.example']?.accessToken ?? '';
    const socket = await openRealtime(runtime.urls.realtime, runtime.urls.graphql, token);
    try {
      await expect(
        subscribe(socket, runtime.urls.graphql, token, ON_CHANGED, { organizationId: orgs.B }),
      ).rejects.toThrow(/refused|Unauthorized/i);
    } finally {
      socket.close();
    }
  });

  it('emails the assignee when a work order is assigned', async () => {
    const bobSub = String(decodeJwt(sessions['bob@b.example']?.idToken ?? '').payload.sub);
    const assigned = await gql<{ assignWorkOrder: { status: string; assigneeId: string } }>(
      'bob@b.example',
      `mutation A($id: ID!, $assigneeId: String, $v: Int) { assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $v) { status assigneeId } }`,
      { id: workOrderB.id, assigneeId: bobSub, v: workOrderB.version },
    );
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data?.assignWorkOrder).toEqual({ status: 'ASSIGNED', assigneeId: bobSub });
    const mail = await waitFor(async () =>
      (await readMailbox(runtime.urls.mailbox)).find(
        (m) => m.to.includes('bob@b.example') && /assigned/i.test(m.subject),
      ),
    );
    expect(mail.text).toContain('boiler');
    await runtime.streamsIdle();
    const copies = (await readMailbox(runtime.urls.mailbox)).filter(
      (m) => m.to.includes('bob@b.example') && /assigned/i.test(m.subject),
    );
    expect(copies).toHaveLength(1);
  });

  it('keeps data written before a restart', async () => {
    await runtime.stop();
    runtime = await start();
    cognito = new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId);
    await signIn('bob@b.example');
    const result = await gql<{ getWorkOrder: { title: string } }>(
      'bob@b.example',
      `query { getWorkOrder(id: "${workOrderB.id}") { title } }`,
    );
    expect(result.data?.getWorkOrder.title).toBe('B only: boiler noise');
  }, 120_000);
});
