import { DomainError } from '../errors';
import type {
  Caller,
  Clock,
  MembershipStore,
  OrganizationStore,
  SecretGenerator,
  UserDirectory,
} from '../ports';
import { invitationId, type MemberRecord } from '../records';
import { requireActiveMember } from './membership-checks';
import { applyMembershipChange, nextVersion, publicMember } from './membership-change';
import { assertCan } from './permissions';
import { parseInviteMember } from './validation';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_DAYS = 7;

/**
 * `inviteMember`: an OWNER or ADMIN invites an email address with a role (any but OWNER). A new
 * invitation takes a seat of the plan's member limit in the same transaction; inviting an
 * address that is already invited renews its token and expiry (the notifier emails the new
 * link). The address may have no account yet.
 */
export async function inviteMember(
  deps: {
    clock: Clock;
    secrets: SecretGenerator;
    organizations: OrganizationStore;
    memberships: MembershipStore;
    directory: UserDirectory;
  },
  caller: Caller,
  args: unknown,
): Promise<MemberRecord> {
  const input = parseInviteMember(args);
  const hide = { what: 'Organization', id: input.organizationId };
  const actor = await requireActiveMember(
    deps.memberships,
    input.organizationId,
    caller.userId,
    hide,
  );
  assertCan(actor.role, 'members.invite');
  const organization = await deps.organizations.get(input.organizationId);
  if (!organization)
    throw new DomainError('NOT_FOUND', `Organization ${input.organizationId} was not found.`);

  // Members are keyed by user, so an existing one is found through the email index.
  const existing = (await deps.memberships.listByEmail(input.email)).find(
    (m) => m.organizationId === organization.id && m.status !== 'INVITED',
  );
  if (existing) {
    throw new DomainError(
      'CONFLICT',
      `${input.email} is already a member of ${organization.name}.`,
      {
        field: 'email',
        resolution:
          existing.status === 'SUSPENDED'
            ? 'Reactivate their membership instead.'
            : 'Change their role instead of inviting them again.',
      },
    );
  }
  const id = invitationId(organization.id, input.email);
  const previous = await deps.memberships.get(id);
  const now = deps.clock.now();
  const at = now.toISOString();
  const invitation = {
    role: input.role,
    status: 'INVITED' as const,
    invitedBy: caller.userId,
    invitedAt: at,
    inviteExpiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000).toISOString(),
    inviteToken: deps.secrets.token(),
  };
  const after: MemberRecord = previous
    ? { ...nextVersion(previous, at), ...invitation }
    : {
        id,
        organizationId: organization.id,
        email: input.email,
        ...invitation,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
  await applyMembershipChange(deps, {
    organization,
    members: [{ before: previous, after }],
    at,
  });
  return publicMember(after);
}
