import { DomainError } from '../errors';
import type {
  Caller,
  Clock,
  MembershipStore,
  OrganizationStore,
  ProfileStore,
  UserDirectory,
} from '../ports';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  type MemberRecord,
  type ProfileRecord,
} from '../records';

/** One of the caller's memberships with its organization's name (the GraphQL `Membership`). */
export type Membership = {
  memberId: string;
  organizationId: string;
  organizationName: string;
  role: MemberRecord['role'];
  status: MemberRecord['status'];
  inviteExpiresAt?: string;
};

/** The caller's profile, memberships and open invitations (the GraphQL `Me`). */
export type Me = { profile: ProfileRecord; memberships: Membership[]; invitations: Membership[] };

/** The profile a new user starts with. */
export function newProfile(input: {
  id: string;
  email: string;
  name?: string;
  now: Date;
}): ProfileRecord {
  const displayName = input.name?.trim() || input.email.split('@')[0] || undefined;
  return {
    id: input.id,
    email: input.email,
    ...(displayName ? { displayName } : {}),
    createdAt: input.now.toISOString(),
  };
}

/**
 * The caller's profile; creates it when the post-confirmation trigger never did (a user created
 * before the trigger existed, or a trigger that failed), with the same exactly-once write.
 */
export async function ensureProfile(
  deps: { profiles: ProfileStore; directory: UserDirectory; clock: Clock },
  caller: Caller,
): Promise<ProfileRecord> {
  const existing = await deps.profiles.get(caller.userId);
  if (existing) return existing;
  // Access tokens carry no email, so ask the directory.
  const user = caller.email
    ? { email: caller.email }
    : await deps.directory.findUser(caller.username);
  const email = user?.email;
  if (!email) {
    throw new DomainError('NOT_FOUND', 'Your user account has no email address.', {
      resolution:
        'Sign up again with an email address, or ask the operator to check the user pool.',
    });
  }
  const profile = newProfile({ id: caller.userId, email, name: user.name, now: deps.clock.now() });
  const outcome = await deps.profiles.createOnce(profile);
  // Someone else (the trigger) won the race: theirs is the profile.
  return outcome === 'CREATED' ? profile : ((await deps.profiles.get(caller.userId)) ?? profile);
}

/**
 * Open invitations (INVITED, not expired) to the caller's email, only once Cognito has verified
 * it: an unverified address may belong to someone else.
 */
async function openInvitations(
  deps: { directory: UserDirectory; memberships: MembershipStore; clock: Clock },
  caller: Caller,
): Promise<MemberRecord[]> {
  const user = await deps.directory.findUser(caller.username);
  const email = user?.email?.trim().toLowerCase();
  if (!email || user?.emailVerified !== true) return [];
  const now = deps.clock.now().toISOString();
  return (await deps.memberships.listByEmail(email)).filter(
    (m) => m.status === 'INVITED' && m.inviteExpiresAt !== undefined && m.inviteExpiresAt > now,
  );
}

/**
 * `me`: the caller's profile and memberships, with organization names for a switcher, and the
 * open invitations addressed to them, so the app can offer to accept.
 */
export async function getMe(
  deps: {
    profiles: ProfileStore;
    directory: UserDirectory;
    clock: Clock;
    memberships: MembershipStore;
    organizations: OrganizationStore;
  },
  caller: Caller,
): Promise<Me> {
  const [profile, members, invited] = await Promise.all([
    ensureProfile(deps, caller),
    deps.memberships.listByUser(caller.userId),
    openInvitations(deps, caller),
  ]);
  const organizations = await deps.organizations.getMany([
    ...new Set([...members, ...invited].map((m) => m.organizationId)),
  ]);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  const shown = (list: MemberRecord[]) =>
    list
      .flatMap((member): Membership[] => {
        const organizationName = names.get(member.organizationId);
        // A membership of a deleted organization is not worth showing.
        if (organizationName === undefined) return [];
        return [
          {
            memberId: member.id,
            organizationId: member.organizationId,
            organizationName,
            role: member.role,
            status: member.status,
            ...(member.inviteExpiresAt ? { inviteExpiresAt: member.inviteExpiresAt } : {}),
          },
        ];
      })
      .sort((a, b) => a.organizationName.localeCompare(b.organizationName));
  // Preferences are stored only once someone changes them: show the defaults until then.
  const preferences = { ...DEFAULT_NOTIFICATION_PREFERENCES, ...profile.preferences };
  return {
    profile: { ...profile, preferences },
    memberships: shown(members),
    invitations: shown(invited),
  };
}
