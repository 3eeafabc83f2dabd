import { DomainError } from '../errors';
import { ensureProfile } from '../profiles/me';
import type {
  Caller,
  Clock,
  MembershipStore,
  OrganizationStore,
  ProfileStore,
  UserDirectory,
} from '../ports';
import { membershipId, type MemberRecord } from '../records';
import { applyMembershipChange, publicMember } from './membership-change';
import { parseAcceptInvitation } from './validation';

/** Compares two secrets in time independent of where they differ. */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}

const notFound = (memberId: string) =>
  new DomainError('NOT_FOUND', `Invitation ${memberId} was not found.`, {
    resolution:
      'It may have been accepted already or revoked: open Steward to see your organizations, or ask for a new invitation.',
  });

/**
 * `acceptInvitation`: the signed-in user whose VERIFIED email (read from the user directory;
 * access tokens carry none) is the invited address joins with the invited role. The membership
 * is re-keyed to `membershipId(organizationId, userId)`, the token removed, and the user added
 * to the organization's groups. Anyone else's attempt changes nothing.
 */
export async function acceptInvitation(
  deps: {
    clock: Clock;
    profiles: ProfileStore;
    organizations: OrganizationStore;
    memberships: MembershipStore;
    directory: UserDirectory;
  },
  caller: Caller,
  args: unknown,
): Promise<MemberRecord> {
  const input = parseAcceptInvitation(args);
  const invitation = await deps.memberships.get(input.memberId);
  if (!invitation || invitation.status !== 'INVITED' || !invitation.inviteToken) {
    throw notFound(input.memberId);
  }
  const user = await deps.directory.findUser(caller.username);
  const email = user?.email?.trim().toLowerCase();
  if (!email || user?.emailVerified !== true) {
    throw new DomainError('FORBIDDEN', 'Your email address is not verified.', {
      resolution: 'Verify your email address, then open the invitation link again.',
    });
  }
  if (email !== invitation.email) {
    throw new DomainError('FORBIDDEN', 'This invitation is addressed to someone else.', {
      resolution: `Sign in with the address the invitation was sent to, or ask for an invitation to ${email}.`,
    });
  }
  if (!sameSecret(input.token, invitation.inviteToken)) {
    throw new DomainError('FORBIDDEN', 'This invitation link is no longer valid.', {
      field: 'token',
      resolution: 'Use the link in the latest invitation email, or ask for a new invitation.',
    });
  }
  const now = deps.clock.now();
  if (!invitation.inviteExpiresAt || invitation.inviteExpiresAt <= now.toISOString()) {
    throw new DomainError('INVITATION_EXPIRED', 'This invitation has expired.', {
      resolution: 'Ask an administrator of the organization for a new invitation.',
    });
  }
  const organization = await deps.organizations.get(invitation.organizationId);
  if (!organization) throw notFound(input.memberId);
  const current = await deps.memberships.find(organization.id, caller.userId);
  if (current) {
    throw new DomainError('CONFLICT', `You are already a member of ${organization.name}.`, {
      resolution: 'Ask an administrator to revoke the invitation or change your role.',
    });
  }
  const profile = await ensureProfile(deps, caller);
  const at = now.toISOString();
  const displayName = profile.displayName ?? user.name;
  const member: MemberRecord = {
    id: membershipId(organization.id, caller.userId),
    organizationId: organization.id,
    userId: caller.userId,
    username: caller.username,
    email: invitation.email,
    ...(displayName ? { displayName } : {}),
    role: invitation.role,
    status: 'ACTIVE',
    ...(invitation.invitedBy ? { invitedBy: invitation.invitedBy } : {}),
    ...(invitation.invitedAt ? { invitedAt: invitation.invitedAt } : {}),
    joinedAt: at,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await applyMembershipChange(deps, {
    organization,
    members: [
      { before: invitation, after: undefined },
      { before: undefined, after: member },
    ],
    at,
  });
  return publicMember(member);
}
