import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient } from '../local/dynamodb';
import { graphql, graphqlOk, LocalCognito, type Session } from '../local/graphql-client';
import { readMailbox } from '../local/mail';
import { type LocalRuntime, startLocalRuntime } from '../local/main';
import { decodeJwt } from './support/tokens';
import { waitFor } from './support/wait';

const PASSWORD = 'Test-pass-123';
const MEMBER_FIELDS = 'id organizationId userId email role status inviteExpiresAt';
const INVITE = `mutation Invite($organizationId: ID!, $email: String!, $role: Role!) { inviteMember(organizationId: $organizationId, email: $email, role: $role) { ${MEMBER_FIELDS} } }`;
const ACCEPT = `mutation Accept($memberId: ID!, $token: String!) { acceptInvitation(memberId: $memberId, token: $token) { ${MEMBER_FIELDS} } }`;

describe('invitations on the local runtime', () => {
  let runtime: LocalRuntime;
  let dataDirectory: string;
  let cognito: LocalCognito;
  let organizationId = '';
  const sessions: Record<string, Session> = {};

  const gql = <T = Record<string, unknown>>(
    who: string,
    query: string,
    variables?: Record<string, unknown>,
  ) => graphql<T>(runtime.urls.graphql, sessions[who]?.accessToken, query, variables);
  const join = async (email: string) => {
    await cognito.createConfirmedUser(email, PASSWORD);
    sessions[email] = await cognito.signIn(email, PASSWORD);
  };
  const invite = (email: string, role = 'TECHNICIAN') =>
    gql<{ inviteMember: { id: string } }>('alice@a.example', INVITE, {
      organizationId,
      email,
      role,
    });
  /** The newest invitation link mailed to `email` after `seen` earlier ones. */
  const linkFor = async (email: string, seen = 0) => {
    const mail = await waitFor(async () => {
      const mails = (await readMailbox(runtime.urls.mailbox)).filter(
        (m) => m.to.includes(email) && /invited you/.test(m.subject),
      );
      return mails.length > seen ? mails[mails.length - 1] : undefined;
    });
    const url = new URL(/(http\S+\/invitations\/\S+)/.exec(mail.text ?? '')?.[1] ?? '');
    return {
      memberId: decodeURIComponent(url.pathname.split('/').pop() ?? ''),
      token: url.searchParams.get('token') ?? '',
      mail,
    };
  };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-invitations-'));
    runtime = await startLocalRuntime({
      dataDirectory,
      ports: 'auto',
      app: false,
      demo: false,
      writeOutputsFiles: false,
    });
    cognito = new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId);
    await join('alice@a.example');
    const created = await graphqlOk<{ createOrganization: { id: string } }>(
      runtime.urls.graphql,
      sessions['alice@a.example']?.accessToken ?? '',
      'mutation { createOrganization(name: "Grace Chapel") { id } }',
    );
    organizationId = created.createOrganization.id;
    sessions['alice@a.example'] = await cognito.signIn('alice@a.example', PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('invites by email, re-invites with a new link, refuses a foreign or stale link, and accepts', async () => {
    const invited = await invite('  Dave@A.example ');
    expect(invited.errors).toBeUndefined();
    expect(invited.data?.inviteMember).toMatchObject({
      email: 'dave@a.example',
      status: 'INVITED',
      userId: null,
    });
    const first = await linkFor('dave@a.example');
    expect(first.memberId).toBe(invited.data?.inviteMember.id);
    expect(first.mail.subject).toContain('Grace Chapel');
    expect(first.mail.html).toContain('TECHNICIAN');

    // The token is in the email only: the schema has no field for it.
    const sneak = await gql(
      'alice@a.example',
      `query { getOrganizationMember(id: "${first.memberId}") { id inviteToken } }`,
    );
    expect(sneak.errors?.[0]?.message).toMatch(/inviteToken/);

    await join('dave@a.example');
    const me = await gql<{
      me: { invitations: { memberId: string; organizationName: string; role: string }[] };
    }>('dave@a.example', 'query { me { invitations { memberId organizationName role } } }');
    expect(me.data?.me.invitations).toEqual([
      { memberId: first.memberId, organizationName: 'Grace Chapel', role: 'TECHNICIAN' },
    ]);

    await join('erin@a.example');
    const foreign = await gql('erin@a.example', ACCEPT, first);
    expect(foreign.errors?.[0]?.errorType).toBe('FORBIDDEN');

    expect((await invite('dave@a.example', 'MANAGER')).errors).toBeUndefined();
    const second = await linkFor('dave@a.example', 1);
    expect(second.token).not.toBe(first.token);
    const stale = await gql('dave@a.example', ACCEPT, {
      memberId: first.memberId,
      token: first.token,
    });
    expect(stale.errors?.[0]?.errorType).toBe('FORBIDDEN');

    const accepted = await gql<{
      acceptInvitation: { userId: string; status: string; role: string };
    }>('dave@a.example', ACCEPT, { memberId: second.memberId, token: second.token });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptInvitation).toMatchObject({ status: 'ACTIVE', role: 'MANAGER' });
    const refreshed = await cognito.signIn('dave@a.example', PASSWORD);
    expect(decodeJwt(refreshed.accessToken).payload['cognito:groups']).toEqual(
      expect.arrayContaining([organizationId, `${organizationId}:MANAGER`]),
    );
    const again = await gql('dave@a.example', ACCEPT, second);
    expect(again.errors?.[0]?.errorType).toBe('NOT_FOUND');
  }, 60_000);

  it('refuses an expired invitation with INVITATION_EXPIRED', async () => {
    const invited = await invite('frank@a.example');
    const memberId = invited.data?.inviteMember.id ?? '';
    const { token } = await linkFor('frank@a.example');
    const table = runtime.assembly.tables.find((t) =>
      t.tableName.startsWith('OrganizationMember'),
    )?.tableName;
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(runtime.urls.dynamodb));
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { id: memberId },
        UpdateExpression: 'SET inviteExpiresAt = :past',
        ExpressionAttributeValues: { ':past': '2020-01-01T00:00:00.000Z' },
      }),
    );
    await join('frank@a.example');
    const expired = await gql('frank@a.example', ACCEPT, { memberId, token });
    expect(expired.errors?.[0]?.errorType).toBe('INVITATION_EXPIRED');
    expect(expired.errors?.[0]?.message).toMatch(/new invitation/);
  }, 60_000);
});
