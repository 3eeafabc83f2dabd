import { beforeEach, describe, expect, it } from 'vitest';
import { streamRecord } from '../shared/stream-images';
import { freshNotifier } from './notifier-over-fakes';

const invited = {
  __typename: 'OrganizationMember',
  id: 'org-1#invite#zoe@example.org',
  organizationId: 'org-1',
  email: 'zoe@example.org',
  role: 'TECHNICIAN',
  status: 'INVITED',
  invitedBy: 'owner-1',
  inviteExpiresAt: '2026-03-08T12:00:00.000Z',
  inviteToken: 'secret-1',
  version: 1,
};

describe('notifier: invitations', () => {
  let { tables, notifications, mailer, handler } = freshNotifier();

  beforeEach(() => {
    ({ tables, notifications, mailer, handler } = freshNotifier());
    tables.addOrganization('org-1', { name: 'Grace Chapel' });
    tables.addMember('org-1', 'owner-1', 'OWNER');
  });

  it('emails the invited address once per token, with the link', async () => {
    const created = streamRecord(undefined, invited);
    expect(await handler({ Records: [created, created] })).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      to: 'zoe@example.org',
      subject: 'owner-1 invited you to Grace Chapel on Steward',
    });
    expect(mailer.sent[0]?.text).toContain(
      'http://localhost:5173/invitations/org-1%23invite%23zoe%40example.org?token=secret-1',
    );
    const [record] = [...notifications.records.values()];
    expect(record).toMatchObject({
      status: 'SENT',
      kind: 'MEMBER_INVITED',
      email: 'zoe@example.org',
    });
    // No client-readable trace of the secret.
    expect(JSON.stringify(record)).not.toContain('secret-1');
  });

  it('emails again on a re-invitation, and never for other membership changes', async () => {
    const reinvited = { ...invited, inviteToken: 'secret-2', version: 2 };
    const { inviteToken: _t, ...accepted } = { ...reinvited, status: 'ACTIVE', userId: 'z' };
    await handler({
      Records: [
        streamRecord(undefined, invited),
        streamRecord(invited, reinvited),
        streamRecord(reinvited, { ...reinvited, role: 'VIEWER' }),
        streamRecord(reinvited, undefined),
        streamRecord(undefined, accepted),
      ],
    });
    expect(mailer.sent.map((m) => m.text.match(/token=([^\s&]+)/)?.[1])).toEqual([
      'secret-1',
      'secret-2',
    ]);
  });

  it('reports a failed send for retry and sends once when redelivered', async () => {
    const created = streamRecord(undefined, invited);
    mailer.failNext = 1;
    expect(await handler({ Records: [created] })).toEqual({
      batchItemFailures: [{ itemIdentifier: created.dynamodb?.SequenceNumber }],
    });
    await handler({ Records: [created] });
    expect(mailer.sent).toHaveLength(1);
  });
});
