import { describe, expect, it } from 'vitest';
import {
  buildInvitationEmail,
  invitationFor,
  invitationLink,
  invitationPreviewOf,
  tokenFingerprint,
} from './invitations';

const invited = {
  __typename: 'OrganizationMember',
  id: 'org-1#invite#zoe@example.org',
  organizationId: 'org-1',
  email: 'zoe@example.org',
  role: 'MANAGER',
  status: 'INVITED',
  invitedBy: 'owner-1',
  inviteExpiresAt: '2026-03-08T12:00:00.000Z',
  inviteToken: 'secret-1',
};
const { inviteToken: _t, ...accepted } = { ...invited, status: 'ACTIVE', userId: 'u-1' };

describe('invitationFor', () => {
  it.each([
    ['a new invitation', undefined, invited, true],
    ['a re-invitation (new token)', invited, { ...invited, inviteToken: 'secret-2' }, true],
    ['a redelivered unchanged record', invited, invited, false],
    ['a role change of an invitation', invited, { ...invited, role: 'VIEWER' }, false],
    ['an acceptance', invited, accepted, false],
    ['a removal', invited, undefined, false],
    ['a suspension', { ...accepted }, { ...accepted, status: 'SUSPENDED' }, false],
    ['an INVITED item without a token', undefined, { ...invited, inviteToken: undefined }, false],
    ['a token on a non-INVITED item', undefined, { ...invited, status: 'ACTIVE' }, false],
    ['an unknown role', undefined, { ...invited, role: 'JANITOR' }, false],
  ])('%s → email: %s', (_name, oldImage, newImage, emailed) => {
    expect(invitationFor(oldImage, newImage) !== undefined).toBe(emailed);
  });

  it('plans the email with a dedupe key per (invitation, token) that hides the token', () => {
    const planned = invitationFor(undefined, invited);
    expect(planned).toEqual({
      memberId: invited.id,
      organizationId: 'org-1',
      email: 'zoe@example.org',
      role: 'MANAGER',
      token: 'secret-1',
      inviteExpiresAt: '2026-03-08T12:00:00.000Z',
      invitedBy: 'owner-1',
      dedupeKey: `invitation:${invited.id}:${tokenFingerprint('secret-1')}`,
    });
    expect(planned?.dedupeKey).not.toContain('secret-1');
    const again = invitationFor(invited, { ...invited, inviteToken: 'secret-2' });
    expect(again?.dedupeKey).not.toBe(planned?.dedupeKey);
  });
});

describe('buildInvitationEmail', () => {
  const link = invitationLink('http://localhost:5173/', 'org-1#invite#zoe@example.org', 'a+b/c');

  it('links to the invitation page with the token, encoded', () => {
    expect(link).toBe(
      'http://localhost:5173/invitations/org-1%23invite%23zoe%40example.org?token=a%2Bb%2Fc',
    );
  });

  it('carries a preview for a person who opens it signed out, read back as sent', () => {
    const preview = {
      organizationName: 'St. Mary & All <Saints>',
      role: 'MANAGER',
      email: 'zoe+x@example.org',
    } as const;
    const withPreview = invitationLink(
      'http://localhost:5173/',
      'org-1#invite#zoe@example.org',
      'a+b/c',
      preview,
    );
    expect(withPreview).toContain(
      '?token=a%2Bb%2Fc&org=St.%20Mary%20%26%20All%20%3CSaints%3E&role=manager&email=zoe%2Bx%40example.org',
    );
    const search = new URL(withPreview).search;
    expect(invitationPreviewOf(search)).toEqual(preview);
    expect(new URLSearchParams(search).get('token')).toBe('a+b/c');
  });

  it.each([
    ['no preview', '?token=t'],
    ['an unknown role', '?token=t&org=X&role=KING&email=a%40b.c'],
    ['no organization', '?token=t&role=MEMBER&email=a%40b.c'],
    ['an address that is not one', '?token=t&org=X&role=MEMBER&email=nobody'],
  ])('shows no preview for a link with %s', (_label, search) => {
    expect(invitationPreviewOf(search)).toBeUndefined();
  });

  it('names the organization, the inviter, the role and the expiry in both bodies', () => {
    const email = buildInvitationEmail({
      organizationName: 'St. Mary <Hall>',
      inviterName: 'Ann',
      role: 'MANAGER',
      expiresAt: '2026-03-08T12:00:00.000Z',
      link,
    });
    expect(email.subject).toBe('Ann invited you to St. Mary <Hall> on Steward');
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Ann invited you');
      expect(body).toContain('as a manager.');
      expect(body).not.toContain('MANAGER');
      expect(body).toContain('2026-03-08 12:00:00 UTC');
    }
    expect(email.text).toContain(link);
    expect(email.html).toContain('St. Mary &lt;Hall&gt;');
    expect(email.html).toContain(`href="${link}"`);
  });
});
