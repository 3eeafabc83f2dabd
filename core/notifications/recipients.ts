import type { MemberRecord } from '../records';
import type { Role } from '../organizations/roles';

/** A member who has signed up, and so can be told about something. */
export type Recipient = MemberRecord & { userId: string };

/**
 * The organization's ACTIVE members whose role is one of `roles`, once each (by user), leaving out
 * `except` (the person who caused the news). Invited members, with no user yet, hear nothing.
 */
export function activeMembersIn(
  organizationId: string,
  roles: readonly Role[],
  members: readonly MemberRecord[],
  except?: string,
): Recipient[] {
  const seen = new Set<string>();
  return members.filter((m): m is Recipient => {
    if (m.organizationId !== organizationId || m.status !== 'ACTIVE' || !m.userId) return false;
    if (!roles.includes(m.role) || m.userId === except || seen.has(m.userId)) return false;
    seen.add(m.userId);
    return true;
  });
}
