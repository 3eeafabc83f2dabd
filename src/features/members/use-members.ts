import { useCallback, useEffect, useState } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';

/** A membership row of an organization (invited, active or suspended). */
export type Member = Schema['OrganizationMember']['type'];

/** The members of one organization. */
export type MembersState =
  | { status: 'loading'; members: Member[] }
  | { status: 'ready'; members: Member[] }
  | { status: 'error'; members: Member[]; message: string };

const MEMBER_PAGE_SIZE = 1000;

const byEmail = (a: Member, b: Member): number => a.email.localeCompare(b.email);

/** Loads an organization's members (by email); `reload` reads them again after a change. */
export const useMembers = (
  organizationId: string,
): MembersState & { reload: () => Promise<void> } => {
  const [state, setState] = useState<MembersState>({ status: 'loading', members: [] });

  const load = useCallback(async (): Promise<MembersState> => {
    try {
      const { data, errors } = await client.models.OrganizationMember.membersByOrganization(
        { organizationId },
        { limit: MEMBER_PAGE_SIZE },
      );
      throwOnErrors(errors);
      return { status: 'ready', members: [...data].sort(byEmail) };
    } catch (err) {
      return { status: 'error', members: [], message: errorMessage(err) };
    }
  }, [organizationId]);

  useEffect(() => {
    let active = true;
    setState({ status: 'loading', members: [] });
    void load().then((next) => {
      if (active) setState(next);
    });
    return () => {
      active = false;
    };
  }, [load]);

  const reload = useCallback(async () => {
    setState(await load());
  }, [load]);

  return { ...state, reload };
};

/** A member's name for people: the display name, else the email. */
export const memberLabel = (member: Pick<Member, 'displayName' | 'email'>): string =>
  member.displayName ?? member.email;
