import { DomainError } from '../errors';
import type { Caller, Clock, MembershipStore, OrganizationStore, UserDirectory } from '../ports';
import type { OrganizationRecord } from '../records';
import { requireActiveMember } from './membership-checks';
import { applyMembershipChange, nextVersion } from './membership-change';
import { assertCan } from './permissions';
import { parseTransferOwnership } from './validation';

/**
 * `transferOwnership`: an OWNER makes another ACTIVE member the OWNER and becomes an ADMIN, in
 * one transaction with Organization.ownerId; the role groups of both are swapped.
 */
export async function transferOwnership(
  deps: {
    clock: Clock;
    organizations: OrganizationStore;
    memberships: MembershipStore;
    directory: UserDirectory;
  },
  caller: Caller,
  args: unknown,
): Promise<OrganizationRecord> {
  const input = parseTransferOwnership(args);
  const hide = { what: 'Organization', id: input.organizationId };
  const actor = await requireActiveMember(
    deps.memberships,
    input.organizationId,
    caller.userId,
    hide,
  );
  assertCan(actor.role, 'organization.transfer');
  const organization = await deps.organizations.get(input.organizationId);
  const target = await deps.memberships.get(input.memberId);
  if (!organization || !target || target.organizationId !== input.organizationId) {
    throw new DomainError(
      'NOT_FOUND',
      `Member ${input.memberId} was not found in this organization.`,
      {
        field: 'memberId',
      },
    );
  }
  if (target.id === actor.id) {
    throw new DomainError('VALIDATION', 'memberId: you are already the OWNER.', {
      field: 'memberId',
      resolution: 'Choose another member.',
    });
  }
  if (target.status !== 'ACTIVE' || !target.userId) {
    throw new DomainError(
      'CONFLICT',
      `Only an ACTIVE member can become the OWNER; this one is ${target.status}.`,
      {
        field: 'memberId',
        resolution: 'Choose an active member, or wait until they accept their invitation.',
      },
    );
  }
  const at = deps.clock.now().toISOString();
  await applyMembershipChange(deps, {
    organization,
    members: [
      { before: target, after: { ...nextVersion(target, at), role: 'OWNER' } },
      { before: actor, after: { ...nextVersion(actor, at), role: 'ADMIN' } },
    ],
    ownerId: { from: organization.ownerId, to: target.userId },
    at,
  });
  return (await deps.organizations.get(organization.id)) ?? organization;
}
