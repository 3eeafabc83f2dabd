import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Session } from '../local/graphql-client';
import { expectDomainError } from './support/domain-error';
import { ACCEPT, INVITE } from './support/operations';
import { decodeJwt } from './support/tokens';
import { waitFor } from './support/wait';
import { PASSWORD, useWorld } from './support/world';

describe('invitations on the local runtime', () => {
  const world = useWorld({
    name: 'invitations',
    people: { alice: { email: 'alice@a.example' } },
    organizations: { chapel: { owner: 'alice', name: 'Grace Chapel' } },
  });
  /** People who sign up during the tests, by address. */
  const sessions: Record<string, Session> = {};

  const gql = (email: string, query: string, variables?: Record<string, unknown>) =>
    world.gql(sessions[email], query, variables);
  const join = async (email: string) => {
    sessions[email] = (await world.signUp(email)).session;
  };
  const invite = (email: string, role = 'TECHNICIAN') =>
    world.gql('alice', INVITE, { organizationId: world.organizationId, email, role });
  /** The newest invitation link mailed to `email` after `seen` earlier ones. */
  const linkFor = async (email: string, seen = 0) => {
    const mail = await waitFor(async () => {
      const mails = (await world.mailbox()).filter(
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
    expect(first.mail.html).toContain('as a technician.');
    expect(first.mail.html).not.toContain('TECHNICIAN');

    // The token is in the email only: the schema has no field for it.
    const sneak = await world.gql(
      'alice',
      `query { getOrganizationMember(id: "${first.memberId}") { id inviteToken } }`,
    );
    expect(sneak.errors?.[0]?.message).toMatch(/inviteToken/);

    await join('dave@a.example');
    const me = await world.gql<
      { me: { invitations: { memberId: string; organizationName: string; role: string }[] } },
      object
    >(
      sessions['dave@a.example'],
      'query { me { invitations { memberId organizationName role } } }',
    );
    expect(me.data?.me.invitations).toEqual([
      { memberId: first.memberId, organizationName: 'Grace Chapel', role: 'TECHNICIAN' },
    ]);

    await join('erin@a.example');
    await expectDomainError(gql('erin@a.example', ACCEPT, first), 'FORBIDDEN');

    expect((await invite('dave@a.example', 'MANAGER')).errors).toBeUndefined();
    const second = await linkFor('dave@a.example', 1);
    expect(second.token).not.toBe(first.token);
    await expectDomainError(
      gql('dave@a.example', ACCEPT, {
        memberId: first.memberId,
        token: first.token,
      }),
      'FORBIDDEN',
    );

    const accepted = await world.gql(sessions['dave@a.example'], ACCEPT, {
      memberId: second.memberId,
      token: second.token,
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptInvitation).toMatchObject({ status: 'ACTIVE', role: 'MANAGER' });
    const refreshed = await world.cognito.signIn('dave@a.example', PASSWORD);
    expect(decodeJwt(refreshed.accessToken).payload['cognito:groups']).toEqual(
      expect.arrayContaining([world.organizationId, `${world.organizationId}:MANAGER`]),
    );
    await expectDomainError(gql('dave@a.example', ACCEPT, second), 'NOT_FOUND');
  }, 60_000);

  it('refuses an expired invitation with INVITATION_EXPIRED', async () => {
    const invited = await invite('frank@a.example');
    const memberId = invited.data?.inviteMember.id ?? '';
    const { token } = await linkFor('frank@a.example');
    const table = world.table('OrganizationMember');
    await world.documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { id: memberId },
        UpdateExpression: 'SET inviteExpiresAt = :past',
        ExpressionAttributeValues: { ':past': '2020-01-01T00:00:00.000Z' },
      }),
    );
    await join('frank@a.example');
    await expectDomainError(
      gql('frank@a.example', ACCEPT, { memberId, token }),
      'INVITATION_EXPIRED',
      /new invitation/,
    );
  }, 60_000);
});
