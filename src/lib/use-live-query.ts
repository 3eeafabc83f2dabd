import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  initialLiveState,
  startLiveSession,
  type LiveQuery,
  type LiveQueryState,
  type LiveSession,
} from './live-session';

export { PartialRead, RELOAD } from './live-session';
export type { LiveQuery, LiveQueryState } from './live-session';

/** A live query's state and what a page can do with it. */
export type LiveQueryResult<T> = LiveQueryState<T> & {
  /** Reads again; resolves with the data then shown (undefined when the read failed). */
  reload: () => Promise<T | undefined>;
  /** Changes the data shown (a mutation's answer, an older page); ignored after a new key. */
  update: (change: (data: T) => T) => void;
};

/**
 * Live data for a component: read, kept current from a subscription (merged by version through
 * the query's `apply`), read again after a reconnect and, where asked, polled while visible.
 * See {@link startLiveSession}; a new `key` starts a new session, unmounting stops it.
 */
export function useLiveQuery<T, E = never>(query: LiveQuery<T, E>): LiveQueryResult<T> {
  const [state, setState] = useState<LiveQueryState<T>>(initialLiveState);
  // The functions of a query change with every render; only its key restarts it.
  const queryRef = useRef(query);
  useLayoutEffect(() => {
    queryRef.current = query;
  });
  const sessionRef = useRef<LiveSession<T> | undefined>(undefined);
  const { key } = query;

  useEffect(() => {
    setState(initialLiveState);
    const session = startLiveSession(() => queryRef.current, setState);
    sessionRef.current = session;
    return () => session.stop();
  }, [key]);

  const reload = useCallback(async () => {
    const session = sessionRef.current;
    return session !== undefined && session.key === key ? session.read() : undefined;
  }, [key]);

  const update = useCallback(
    (change: (data: T) => T) => {
      const session = sessionRef.current;
      if (session !== undefined && session.key === key) session.change(change);
    },
    [key],
  );

  return { ...state, reload, update };
}
