import { useCallback } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { useLiveQuery } from '../../lib/use-live-query';

/** A membership row of an organization (invited, active or suspended). */
export type Member = Schema['OrganizationMember']['type'];

/** The members of one organization. */
export type MembersState = {
  status: 'loading' | 'ready' | 'error';
  members: Member[];
  error: string | null;
};

const MEMBER_PAGE_SIZE = 1000;

const byEmail = (a: Member, b: Member): number => a.email.localeCompare(b.email);

/** Loads an organization's members (by email); `reload` reads them again after a change. */
export const useMembers = (
  organizationId: string,
): MembersState & { reload: () => Promise<void> } => {
  const query = useLiveQuery<Member[]>({
    key: organizationId,
    read: async () => {
      const { data, errors } = await client.models.OrganizationMember.membersByOrganization(
        { organizationId },
        { limit: MEMBER_PAGE_SIZE },
      );
      throwOnErrors(errors);
      return [...data].sort(byEmail);
    },
  });
  const { reload: read } = query;
  const reload = useCallback(async () => {
    await read();
  }, [read]);
  return { status: query.status, members: query.data ?? [], error: query.error, reload };
};

/** A member's name for people: the display name, else the email. */
export const memberLabel = (member: Pick<Member, 'displayName' | 'email'>): string =>
  member.displayName ?? member.email;
