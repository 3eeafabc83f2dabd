import { z } from 'zod';
import { parseInput } from '../parse-input';
import type { Caller, Clock, MembershipStore, ProfileStore, UserDirectory } from '../ports';
import { DEFAULT_NOTIFICATION_PREFERENCES, type ProfileRecord } from '../records';
import { ensureProfile } from './me';

/** A person's name as others see it: 1–80 characters, no line breaks or control characters. */
export const displayNameSchema = z
  .string({ required_error: 'is required', invalid_type_error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must be on one line');

const updateSchema = z.object({ displayName: displayNameSchema }).strict();

/**
 * `updateProfile`: sets the caller's name, and the name on each of their memberships, which the
 * members list, assignments and emails show from then on (work orders keep the name they were
 * written with, as their history).
 */
export async function updateProfile(
  deps: {
    clock: Clock;
    profiles: ProfileStore;
    directory: UserDirectory;
    memberships: MembershipStore;
  },
  caller: Caller,
  args: unknown,
): Promise<ProfileRecord> {
  const { displayName } = parseInput(updateSchema, args);
  const profile = await ensureProfile(deps, caller);
  const at = deps.clock.now().toISOString();
  await deps.profiles.setDisplayName(caller.userId, displayName, at);
  const memberships = await deps.memberships.listByUser(caller.userId);
  await Promise.all(
    memberships
      // Only where the caller is an ACTIVE member: a suspended member may not write to the
      // organization that suspended them, not even their own name on its list.
      .filter(
        (m) => m.userId === caller.userId && m.status === 'ACTIVE' && m.displayName !== displayName,
      )
      .map((m) => deps.memberships.setDisplayName(m.id, caller.userId, displayName, at)),
  );
  const preferences = { ...DEFAULT_NOTIFICATION_PREFERENCES, ...profile.preferences };
  return { ...profile, displayName, preferences };
}
