import { useCallback, useEffect, useState } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';

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
  const [state, setState] = useState<MeState>({ status: 'loading' });

  const reload = useCallback(async () => {
    try {
      const me = await fetchMe();
      setState({ status: 'ready', me });
      return me;
    } catch (err) {
      setState({ status: 'error', message: errorMessage(err) });
      return undefined;
    }
  }, []);

  useEffect(() => {
    let current = true;
    fetchMe().then(
      (me) => current && setState({ status: 'ready', me }),
      (err: unknown) => current && setState({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      current = false;
    };
  }, []);

  return { state, reload };
};
