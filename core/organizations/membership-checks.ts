import { DomainError } from '../errors';
import type { MembershipStore } from '../ports';
import type { MemberRecord } from '../records';

/**
 * The caller's ACTIVE membership of an organization, read from the membership table (tokens
 * can be stale). `hide` makes a non-member see NOT_FOUND, so foreign records stay invisible.
 */
export async function requireActiveMember(
  memberships: MembershipStore,
  organizationId: string,
  userId: string,
  hide?: { what: string; id: string },
): Promise<MemberRecord> {
  const member = await memberships.find(organizationId, userId);
  if (member?.status === 'ACTIVE') return member;
  if (hide) {
    throw new DomainError('NOT_FOUND', `${hide.what} ${hide.id} was not found.`, {
      resolution: 'Check the id, and that you are an active member of its organization.',
    });
  }
  throw new DomainError(
    'FORBIDDEN',
    member
      ? `Your membership of organization ${organizationId} is ${member.status}.`
      : `You are not a member of organization ${organizationId}.`,
    {
      resolution:
        member?.status === 'INVITED'
          ? 'Accept the invitation first.'
          : 'Ask an administrator of the organization to (re)activate your membership.',
    },
  );
}
