import { DomainError } from '../errors';
import type { MembershipStore, MemberTransition, UserDirectory } from '../ports';
import type { MemberRecord, OrganizationRecord } from '../records';
import { assertWithinPlan, PLAN_LIMITS } from './plans';
import { organizationGroup, roleGroup } from './roles';

/** Whether a membership counts against the plan's member limit (ACTIVE and INVITED do). */
export const countsAsMember = (member: MemberRecord | undefined): boolean =>
  member?.status === 'ACTIVE' || member?.status === 'INVITED';

/** Whether a membership counts in Organization.ownerCount. */
export const isActiveOwner = (member: MemberRecord | undefined): boolean =>
  member?.status === 'ACTIVE' && member.role === 'OWNER';

/** The Cognito username that mirrors a membership (with email sign-in on AWS, the sub). */
const usernameOf = (member: MemberRecord): string | undefined => member.username ?? member.userId;

/** The Cognito groups a membership should put its user in: only ACTIVE members read. */
export function groupsOf(member: MemberRecord | undefined): string[] {
  if (!member || member.status !== 'ACTIVE' || !usernameOf(member)) return [];
  return [organizationGroup(member.organizationId), roleGroup(member.organizationId, member.role)];
}

/** A membership as returned to clients: without the invitation secret. */
export function publicMember(member: MemberRecord): MemberRecord {
  const { inviteToken: _secret, ...rest } = member;
  return rest;
}

/** The next state of a membership: version + 1 and the time of the change. */
export const nextVersion = (member: MemberRecord, at: string): MemberRecord => ({
  ...member,
  version: (member.version ?? 0) + 1,
  updatedAt: at,
});

type GroupOp = { kind: 'add' | 'remove'; username: string; group: string };

/** The group additions and removals that take users from the `before` to the `after` memberships. */
export function groupOps(members: readonly MemberTransition[]): GroupOp[] {
  const wanted = new Map<string, { before: Set<string>; after: Set<string> }>();
  const entry = (username: string) => {
    const found = wanted.get(username) ?? { before: new Set<string>(), after: new Set<string>() };
    wanted.set(username, found);
    return found;
  };
  for (const { before, after } of members) {
    for (const [member, side] of [
      [before, 'before'],
      [after, 'after'],
    ] as const) {
      const username = member && usernameOf(member);
      if (!username) continue;
      const sets = entry(username);
      for (const group of groupsOf(member)) sets[side].add(group);
    }
  }
  const ops: GroupOp[] = [];
  for (const [username, { before, after }] of wanted) {
    // Additions first: a role swap never leaves the user outside the organization's groups.
    for (const group of after) if (!before.has(group)) ops.push({ kind: 'add', username, group });
    for (const group of before)
      if (!after.has(group)) ops.push({ kind: 'remove', username, group });
  }
  return ops;
}

/** Everything `applyMembershipChange` needs to know about one change. */
export type PlannedChange = {
  organization: Pick<OrganizationRecord, 'id' | 'plan' | 'memberCount'>;
  members: MemberTransition[];
  /** A transfer of Organization.ownerId, undone with the rest. */
  ownerId?: { from: string; to: string };
  at: string;
};

const sum = (
  members: readonly MemberTransition[],
  count: (m: MemberRecord | undefined) => boolean,
) =>
  members.reduce(
    (total, { before, after }) => total + Number(count(after)) - Number(count(before)),
    0,
  );

/** The error for a change that would leave no active OWNER. */
export const lastOwner = () =>
  new DomainError('LAST_OWNER', 'The organization would be left without an active OWNER.', {
    resolution: 'Make another member an OWNER (or transfer ownership) first.',
  });

const changedMeanwhile = () =>
  new DomainError('CONFLICT', 'The membership was changed by someone else meanwhile.', {
    resolution: 'Reload the members and try again.',
  });

/**
 * Writes a membership change (the memberships and the organization's memberCount/ownerCount in
 * one conditional transaction), then mirrors it into the Cognito groups.
 *
 * Mirroring can only happen after the transaction, so it can fail after it. Each group call is
 * retried once; if it still fails, the change is undone (the groups already changed are put back
 * and a compensating transaction restores the memberships and counters) and INTERNAL is thrown.
 * Undo rather than leaving the table ahead of the groups, because no later call could repair it:
 * a removed membership is gone (its user would keep read access for good), an accepted
 * invitation cannot be accepted again, and the caller's retry of the whole operation works only
 * from the state before it.
 */
export async function applyMembershipChange(
  deps: { memberships: MembershipStore; directory: UserDirectory },
  change: PlannedChange,
): Promise<void> {
  const { organization, members, at } = change;
  const memberDelta = sum(members, countsAsMember);
  const ownerDelta = sum(members, isActiveOwner);
  const limit = PLAN_LIMITS[organization.plan].members;
  if (memberDelta > 0)
    assertWithinPlan(organization.plan, 'members', organization.memberCount + memberDelta);
  const outcome = await deps.memberships.commit({
    organizationId: organization.id,
    members,
    memberDelta,
    ...(memberDelta > 0 && Number.isFinite(limit) ? { memberLimit: limit } : {}),
    ownerDelta,
    ...(change.ownerId ? { ownerId: change.ownerId.to } : {}),
    at,
  });
  switch (outcome) {
    case 'DONE':
      break;
    case 'STALE':
      throw changedMeanwhile();
    case 'LAST_OWNER':
      throw lastOwner();
    case 'MEMBER_LIMIT':
      // Someone else took the last seat between the read and the write.
      assertWithinPlan(organization.plan, 'members', limit + 1);
      throw changedMeanwhile();
    default: {
      const unexpected: never = outcome;
      throw new Error(`Unexpected commit outcome ${String(unexpected)}`);
    }
  }
  const done: GroupOp[] = [];
  for (const op of groupOps(members)) {
    try {
      await runWithOneRetry(deps.directory, op);
      done.push(op);
    } catch (err) {
      await undo(deps, change, done, { memberDelta, ownerDelta });
      throw new DomainError(
        'INTERNAL',
        'The membership change could not be mirrored into the user directory, so it was undone.',
        { resolution: 'Try again in a moment.', cause: err },
      );
    }
  }
}

async function runWithOneRetry(directory: UserDirectory, op: GroupOp): Promise<void> {
  const call = () =>
    op.kind === 'add'
      ? directory.addUserToGroup(op.username, op.group)
      : directory.removeUserFromGroup(op.username, op.group);
  try {
    await call();
  } catch {
    // One retry covers a throttled or dropped call; a second failure is an outage.
    await call();
  }
}

async function undo(
  deps: { memberships: MembershipStore; directory: UserDirectory },
  change: PlannedChange,
  done: readonly GroupOp[],
  deltas: { memberDelta: number; ownerDelta: number },
): Promise<void> {
  // Best effort throughout: the original failure is what the caller hears about.
  for (const op of [...done].reverse()) {
    try {
      await (op.kind === 'add'
        ? deps.directory.removeUserFromGroup(op.username, op.group)
        : deps.directory.addUserToGroup(op.username, op.group));
    } catch {
      // The membership table stays the authority for writes; reads end at token expiry.
    }
  }
  const restored = change.members.map(({ before, after }) => ({
    before: after,
    after: before && { ...before, version: (after?.version ?? before.version ?? 0) + 1 },
  }));
  try {
    await deps.memberships.commit({
      organizationId: change.organization.id,
      members: restored,
      memberDelta: -deltas.memberDelta,
      ownerDelta: -deltas.ownerDelta,
      ...(change.ownerId ? { ownerId: change.ownerId.from } : {}),
      at: change.at,
    });
  } catch {
    // Nothing more to do here; the INTERNAL error tells the caller to try again.
  }
}
