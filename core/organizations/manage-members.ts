import { DomainError } from '../errors';
import type { Caller, Clock, MembershipStore, OrganizationStore, UserDirectory } from '../ports';
import type { MemberRecord, OrganizationRecord } from '../records';
import { requireActiveMember } from './membership-checks';
import { applyMembershipChange, nextVersion, publicMember } from './membership-change';
import { assertCan, type Action } from './permissions';
import { parseRemoveMember, parseSetMemberSuspended, parseUpdateMemberRole } from './validation';

/** The ports the member-management operations use. */
export type ManageMemberDeps = {
  clock: Clock;
  organizations: OrganizationStore;
  memberships: MembershipStore;
  directory: UserDirectory;
};

type Loaded = { target: MemberRecord; actor: MemberRecord; organization: OrganizationRecord };

const onlyOwners = () =>
  new DomainError('FORBIDDEN', 'Only an OWNER can grant the OWNER role or change an OWNER.', {
    resolution: 'Ask an OWNER of the organization.',
  });

/**
 * The membership to change, the caller's ACTIVE membership of its organization (a non-member
 * sees NOT_FOUND) and the organization, with the caller's permission for `action` checked.
 */
async function load(
  deps: ManageMemberDeps,
  caller: Caller,
  memberId: string,
  action: Action,
): Promise<Loaded> {
  const target = await deps.memberships.get(memberId);
  const hide = { what: 'Member', id: memberId };
  if (!target) throw new DomainError('NOT_FOUND', `Member ${memberId} was not found.`);
  const actor = await requireActiveMember(
    deps.memberships,
    target.organizationId,
    caller.userId,
    hide,
  );
  assertCan(actor.role, action);
  const organization = await deps.organizations.get(target.organizationId);
  if (!organization) throw new DomainError('NOT_FOUND', `Member ${memberId} was not found.`);
  return { target, actor, organization };
}

/**
 * `updateMemberRole`: an OWNER or ADMIN changes a member's role (an ADMIN neither grants nor
 * touches OWNER) and the role groups are swapped; the last active OWNER is never demoted.
 */
export async function updateMemberRole(
  deps: ManageMemberDeps,
  caller: Caller,
  args: unknown,
): Promise<MemberRecord> {
  const input = parseUpdateMemberRole(args);
  const { target, actor, organization } = await load(
    deps,
    caller,
    input.memberId,
    'members.changeRole',
  );
  if (actor.role !== 'OWNER' && (target.role === 'OWNER' || input.role === 'OWNER')) {
    throw onlyOwners();
  }
  if (target.role === input.role) return publicMember(target);
  const at = deps.clock.now().toISOString();
  const after = { ...nextVersion(target, at), role: input.role };
  await applyMembershipChange(deps, { organization, members: [{ before: target, after }], at });
  return publicMember(after);
}

/**
 * `setMemberSuspended`: an OWNER or ADMIN suspends an ACTIVE member (out of the organization's
 * groups, so reads end when their token expires; writes are refused at once because every write
 * reads the membership table) or reactivates a SUSPENDED one (groups restored, a seat of the
 * plan taken again). Nobody suspends themselves or the last active OWNER.
 */
export async function setMemberSuspended(
  deps: ManageMemberDeps,
  caller: Caller,
  args: unknown,
): Promise<MemberRecord> {
  const input = parseSetMemberSuspended(args);
  const { target, actor, organization } = await load(
    deps,
    caller,
    input.memberId,
    'members.suspend',
  );
  if (target.id === actor.id) {
    throw new DomainError('FORBIDDEN', 'You cannot suspend or reactivate yourself.', {
      resolution: 'Ask another OWNER or ADMIN.',
    });
  }
  if (actor.role !== 'OWNER' && target.role === 'OWNER') throw onlyOwners();
  if (target.status === 'INVITED') {
    throw new DomainError('CONFLICT', 'An invitation cannot be suspended.', {
      resolution: 'Remove the member to revoke the invitation.',
    });
  }
  const wanted = input.suspended ? 'SUSPENDED' : 'ACTIVE';
  if (target.status === wanted) return publicMember(target);
  const at = deps.clock.now().toISOString();
  const { suspendedAt: _was, ...rest } = nextVersion(target, at);
  const after: MemberRecord = input.suspended
    ? { ...rest, status: 'SUSPENDED', suspendedAt: at }
    : { ...rest, status: 'ACTIVE' };
  await applyMembershipChange(deps, { organization, members: [{ before: target, after }], at });
  return publicMember(after);
}

/**
 * `removeMember`: an OWNER or ADMIN removes a member or revokes an invitation, or a member
 * leaves; the membership is deleted, its seat freed and its groups left. Returns its last state.
 * The last active OWNER is never removed.
 */
export async function removeMember(
  deps: ManageMemberDeps,
  caller: Caller,
  args: unknown,
): Promise<MemberRecord> {
  const input = parseRemoveMember(args);
  const own = await deps.memberships.get(input.memberId);
  // Leaving needs no permission (a suspended member may leave too); removing others does.
  const { target, organization } =
    own && own.userId === caller.userId
      ? { target: own, organization: await deps.organizations.get(own.organizationId) }
      : await load(deps, caller, input.memberId, 'members.remove').then((loaded) => {
          if (loaded.actor.role !== 'OWNER' && loaded.target.role === 'OWNER') throw onlyOwners();
          return loaded;
        });
  if (!organization) throw new DomainError('NOT_FOUND', `Member ${input.memberId} was not found.`);
  const at = deps.clock.now().toISOString();
  await applyMembershipChange(deps, {
    organization,
    members: [{ before: target, after: undefined }],
    at,
  });
  return publicMember(target);
}
