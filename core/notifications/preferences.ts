import { z } from 'zod';
import { assertNever } from '../assert-never';
import { ensureProfile } from '../profiles/me';
import { parseInput } from '../parse-input';
import type { Caller, Clock, ProfileStore, UserDirectory } from '../ports';
import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationPreferences } from '../records';
import { LOW_STOCK_KIND } from './low-stock';
import type { NewRequestKind } from './new-requests';
import type { NotificationKind } from './rules';

/** Every kind of email a person can turn off (invitations are not: the invitee has no profile). */
export type PreferenceKind = NotificationKind | typeof LOW_STOCK_KIND | NewRequestKind;

/** The preference switch that governs one kind of email. */
export function preferenceOf(kind: PreferenceKind): keyof NotificationPreferences {
  switch (kind) {
    case 'WORK_ORDER_ASSIGNED':
      return 'assignment';
    case 'REQUEST_ASSIGNED':
    case 'REQUEST_COMPLETED':
    case 'REQUEST_CLOSED':
      return 'statusChanges';
    case 'LOW_STOCK':
      return 'lowStock';
    case 'NEW_URGENT_REQUEST':
      return 'urgentRequests';
    case 'NEW_REQUEST':
      return 'newRequests';
    default:
      return assertNever(kind);
  }
}

/** A person's preferences with the defaults filled in (DEFAULT_NOTIFICATION_PREFERENCES). */
export const effectivePreferences = (
  stored: Partial<NotificationPreferences> | undefined,
): NotificationPreferences => ({ ...DEFAULT_NOTIFICATION_PREFERENCES, ...stored });

/** Whether a person wants the email of this kind; in-app notifications are kept regardless. */
export const wantsEmail = (
  stored: Partial<NotificationPreferences> | undefined,
  kind: PreferenceKind,
): boolean => effectivePreferences(stored)[preferenceOf(kind)];

const switchSchema = z.boolean({ invalid_type_error: 'must be true or false' }).nullish();
/** The switches, in the order the settings page shows them. */
const SWITCHES = [
  'assignment',
  'statusChanges',
  'lowStock',
  'urgentRequests',
  'newRequests',
] as const satisfies readonly (keyof NotificationPreferences)[];
const updateSchema = z
  .object(
    Object.fromEntries(SWITCHES.map((key) => [key, switchSchema])) as Record<
      (typeof SWITCHES)[number],
      typeof switchSchema
    >,
  )
  .strict();

/**
 * `updateNotificationPreferences`: sets the caller's email switches that were given (absent or
 * null leaves one as it is) and returns all of them.
 */
export async function updateNotificationPreferences(
  deps: { clock: Clock; profiles: ProfileStore; directory: UserDirectory },
  caller: Caller,
  args: unknown,
): Promise<NotificationPreferences> {
  const input = parseInput(updateSchema, args);
  const profile = await ensureProfile(deps, caller);
  const next = effectivePreferences(profile.preferences);
  for (const key of SWITCHES) {
    const value = input[key];
    if (typeof value === 'boolean') next[key] = value;
  }
  await deps.profiles.setPreferences(caller.userId, next, deps.clock.now().toISOString());
  return next;
}
