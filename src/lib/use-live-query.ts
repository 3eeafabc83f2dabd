import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from './graphql-errors';
import { listenToLiveState, type LiveState } from './realtime-state';

/** What {@link LiveQuery.apply} returns to ask for a fresh read instead of a merged event. */
export const RELOAD = Symbol('reload');

/** An open subscription, as the generated client's `subscribe()` returns it. */
export type Unsubscribable = { unsubscribe: () => void };

/** What a live query reads, what it listens to and how the two are combined. */
export type LiveQuery<T, E = never> = {
  /** What is asked for, as a string: a new key starts afresh (state, subscription, read). */
  key: string;
  /** Reads everything shown; throw {@link PartialRead} when some rows came with errors. */
  read: () => Promise<T>;
  /** Opens the subscription whose events {@link apply} folds in. */
  subscribe?: (observer: {
    next: (event: E) => void;
    error: (err: unknown) => void;
  }) => Unsubscribable;
  /** Folds one event into the data shown, or returns {@link RELOAD} to have it read again. */
  apply?: (data: T, event: E) => T | typeof RELOAD;
  /** Combines the data shown with a fresh read (default: the fresh read replaces it). */
  reconcile?: (shown: T, fresh: T) => T;
  /** Re-read at this interval while the tab is visible, and whenever it becomes visible again. */
  pollMs?: number;
  /** Reloads asked for by events within this time become one read (a burst of changes). */
  reloadDebounceMs?: number;
};

/** The one state shape of live data: what is shown, whether it is current, what failed. */
export type LiveQueryState<T> = {
  /** `error` only while nothing could be read; a later failure keeps the data and sets `error`. */
  status: 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: string | null;
  /** Whether changes made elsewhere arrive; after `failed` only a reload of the page retries. */
  live: LiveState;
  liveError: string | null;
};

/** A live query's state and what a page can do with it. */
export type LiveQueryResult<T> = LiveQueryState<T> & {
  /** Reads again; resolves with the data then shown (undefined when the read failed). */
  reload: () => Promise<T | undefined>;
  /** Changes the data shown (a mutation's answer, an older page); ignored after a new key. */
  update: (change: (data: T) => T) => void;
};

/** A read that returned rows and also errors: the rows are shown with the error beside them. */
export class PartialRead<T> extends Error {
  constructor(
    readonly data: T,
    readonly errors: unknown,
  ) {
    super(errorMessage(errors));
    this.name = 'PartialRead';
  }
}

const initialState: LiveQueryState<never> = {
  status: 'loading',
  data: undefined,
  error: null,
  live: 'connecting',
  liveError: null,
};

/**
 * Reads data, keeps it current from a subscription and reads it again when the realtime
 * connection comes back after an interruption (events sent meanwhile are lost). The subscription
 * opens before the read, and events that arrive while a read is under way are applied again to
 * its result, so no change falls between the two; `apply` and `reconcile` keep the higher
 * `version` of a row, so the order in which copies arrive does not matter.
 */
export function useLiveQuery<T, E = never>(query: LiveQuery<T, E>): LiveQueryResult<T> {
  const [state, setState] = useState<LiveQueryState<T>>(initialState);
  // The functions of a query change with every render; only its key restarts it.
  const queryRef = useRef(query);
  useLayoutEffect(() => {
    queryRef.current = query;
  });
  const sessionRef = useRef<Session<T> | undefined>(undefined);
  const { key } = query;

  useEffect(() => {
    let active = true;
    let latestRead = 0;
    /** Whether the newest read is still under way (changes are then kept to apply again). */
    let reading = false;
    let debounce: number | undefined;
    setState(initialState);

    const session: Session<T> = {
      key,
      data: undefined,
      replay: [],
      change: (change) => {
        if (reading) session.replay.push(change);
        if (session.data === undefined) return;
        const next = change(session.data);
        if (next === RELOAD) requestReload();
        else show(next);
      },
      read: async () => {
        latestRead += 1;
        const id = latestRead;
        session.replay = [];
        reading = true;
        let fresh: T;
        let problem: unknown = null;
        try {
          fresh = await queryRef.current.read();
        } catch (err) {
          if (!(err instanceof PartialRead)) {
            if (active && id === latestRead) {
              reading = false;
              setState((s) => ({
                ...s,
                status: s.data === undefined ? 'error' : s.status,
                error: errorMessage(err),
              }));
            }
            return undefined;
          }
          fresh = err.data as T;
          problem = err.errors;
        }
        if (!active || id !== latestRead) return session.data;
        const { reconcile } = queryRef.current;
        const shown = session.data;
        let next = shown !== undefined && reconcile !== undefined ? reconcile(shown, fresh) : fresh;
        let reloadAgain = false;
        for (const change of session.replay) {
          const changed = change(next);
          if (changed === RELOAD) reloadAgain = true;
          else next = changed;
        }
        session.replay = [];
        reading = false;
        show(next, problem === null ? null : errorMessage(problem));
        if (reloadAgain) requestReload();
        return next;
      },
    };
    sessionRef.current = session;

    function show(data: T, error: string | null = null) {
      session.data = data;
      setState((s) => ({ ...s, status: 'ready', data, error }));
    }

    function requestReload() {
      const wait = queryRef.current.reloadDebounceMs;
      if (wait === undefined) {
        void session.read();
        return;
      }
      window.clearTimeout(debounce);
      debounce = window.setTimeout(() => void session.read(), wait);
    }

    let stopListening = () => {};
    let subscription: Unsubscribable | undefined;
    const { subscribe, pollMs } = queryRef.current;
    if (subscribe !== undefined) {
      let interrupted = false;
      stopListening = listenToLiveState((live) => {
        if (!active) return;
        setState((s) => (s.live === 'failed' ? s : { ...s, live }));
        if (live === 'interrupted') interrupted = true;
        if (live === 'live' && interrupted) {
          // Events sent while the socket was down are lost: read what they changed.
          interrupted = false;
          void session.read();
        }
      });
      subscription = subscribe({
        next: (event) => {
          if (!active) return;
          session.change((data) => {
            const { apply } = queryRef.current;
            return apply === undefined ? RELOAD : apply(data, event);
          });
        },
        error: (err) => {
          if (active) setState((s) => ({ ...s, live: 'failed', liveError: errorMessage(err) }));
        },
      });
    }

    void session.read();

    let poll: number | undefined;
    const onVisible = () => {
      if (document.visibilityState === 'visible') void session.read();
    };
    if (pollMs !== undefined) {
      poll = window.setInterval(onVisible, pollMs);
      document.addEventListener('visibilitychange', onVisible);
    }

    return () => {
      active = false;
      window.clearTimeout(debounce);
      window.clearInterval(poll);
      if (pollMs !== undefined) document.removeEventListener('visibilitychange', onVisible);
      stopListening();
      subscription?.unsubscribe();
    };
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

/** One key's life: the data shown and the changes to apply again onto the next read. */
type Session<T> = {
  key: string;
  data: T | undefined;
  /** Changes made while the newest read is under way (events, a mutation's answer). */
  replay: ((data: T) => T | typeof RELOAD)[];
  change: (change: (data: T) => T | typeof RELOAD) => void;
  read: () => Promise<T | undefined>;
};
