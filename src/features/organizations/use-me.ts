import { client, type Schema } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { useLiveQuery } from '../../lib/use-live-query';

/** The signed-in person and their memberships, as the `me` query returns them. */
export type Me = Schema['Me']['type'];

/** One of the caller's memberships. */
export type Membership = Me['memberships'][number];

/** Loading state of `me`; `reload` runs the query again (after creating an organization). */
export type MeState =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; me: Me };

const fetchMe = async (): Promise<Me> => {
  const { data, errors } = await client.queries.me();
  throwOnErrors(errors);
  if (data === null || data === undefined) throw new Error('The server returned no profile.');
  return data;
};

/** Loads the caller's profile and memberships once signed in. */
export const useMe = (): { state: MeState; reload: () => Promise<Me | undefined> } => {
  const query = useLiveQuery<Me>({ key: 'me', read: fetchMe });
  const state: MeState =
    query.data !== undefined
      ? { status: 'ready', me: query.data }
      : query.status === 'error'
        ? { status: 'error', message: query.error ?? 'Something went wrong.' }
        : { status: 'loading' };
  return { state, reload: query.reload };
};
