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
  /** Opens the subscription whose events {@link LiveQuery.apply} folds in. */
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

/** The state before anything was read. */
export const initialLiveState: LiveQueryState<never> = {
  status: 'loading',
  data: undefined,
  error: null,
  live: 'connecting',
  liveError: null,
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

/** The timers, tab visibility and connection state a session uses (fakes in tests). */
export type LiveSessionEnvironment = {
  listenToLiveState: (listener: (live: LiveState) => void) => () => void;
  /** Runs `run` once after `ms`; returns a cancel. */
  after: (ms: number, run: () => void) => () => void;
  /** Runs `run` every `ms`; returns a cancel. */
  every: (ms: number, run: () => void) => () => void;
  isVisible: () => boolean;
  /** Calls `run` whenever the tab becomes visible again; returns a stop. */
  onVisible: (run: () => void) => () => void;
};

/** The browser's timers and visibility, and the app's one realtime connection. */
export const browserEnvironment: LiveSessionEnvironment = {
  listenToLiveState,
  after: (ms, run) => {
    const timer = window.setTimeout(run, ms);
    return () => window.clearTimeout(timer);
  },
  every: (ms, run) => {
    const timer = window.setInterval(run, ms);
    return () => window.clearInterval(timer);
  },
  isVisible: () => document.visibilityState === 'visible',
  onVisible: (run) => {
    const listener = () => {
      if (document.visibilityState === 'visible') run();
    };
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/** One key's life: the data shown, reads and changes, until `stop`. */
export type LiveSession<T> = {
  readonly key: string;
  /** Reads again; resolves with the data then shown (undefined when the read failed). */
  read: () => Promise<T | undefined>;
  /** Changes the data shown; applied again to a read that is under way when it is made. */
  change: (change: (data: T) => T | typeof RELOAD) => void;
  stop: () => void;
};

/**
 * Starts reading and listening for one key. The subscription opens before the read, and changes
 * (events, a mutation's answer) made while a read is under way are applied again to its result,
 * so no change falls between the two; after an interruption of the realtime connection the data
 * is read again, since events sent meanwhile are lost. Only the newest read is shown.
 * `query` is called for the current functions (they may change while the key stays).
 */
export function startLiveSession<T, E>(
  query: () => LiveQuery<T, E>,
  setState: (update: (state: LiveQueryState<T>) => LiveQueryState<T>) => void,
  env: LiveSessionEnvironment = browserEnvironment,
): LiveSession<T> {
  const { key, subscribe, pollMs } = query();
  let active = true;
  let data: T | undefined;
  let latestRead = 0;
  /** Whether the newest read is still under way (changes are then kept to apply again). */
  let reading = false;
  let replay: ((data: T) => T | typeof RELOAD)[] = [];
  let cancelReload = () => {};
  const stops: (() => void)[] = [];

  const show = (next: T, error: string | null = null) => {
    data = next;
    setState((s) => ({ ...s, status: 'ready', data: next, error }));
  };

  const read = async (): Promise<T | undefined> => {
    latestRead += 1;
    const id = latestRead;
    replay = [];
    reading = true;
    let fresh: T;
    let problem: unknown = null;
    try {
      fresh = await query().read();
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
    if (!active || id !== latestRead) return data;
    const { reconcile } = query();
    let next = data !== undefined && reconcile !== undefined ? reconcile(data, fresh) : fresh;
    let reloadAgain = false;
    for (const change of replay) {
      const changed = change(next);
      if (changed === RELOAD) reloadAgain = true;
      else next = changed;
    }
    replay = [];
    reading = false;
    show(next, problem === null ? null : errorMessage(problem));
    if (reloadAgain) requestReload();
    return next;
  };

  const requestReload = () => {
    const wait = query().reloadDebounceMs;
    if (wait === undefined) {
      void read();
      return;
    }
    cancelReload();
    cancelReload = env.after(wait, () => void read());
  };

  const change = (fn: (data: T) => T | typeof RELOAD) => {
    if (!active) return;
    if (reading) replay.push(fn);
    if (data === undefined) return;
    const next = fn(data);
    if (next === RELOAD) requestReload();
    else show(next);
  };

  if (subscribe !== undefined) {
    let interrupted = false;
    stops.push(
      env.listenToLiveState((live) => {
        if (!active) return;
        setState((s) => (s.live === 'failed' ? s : { ...s, live }));
        if (live === 'interrupted') interrupted = true;
        if (live === 'live' && interrupted) {
          interrupted = false;
          void read();
        }
      }),
    );
    const subscription = subscribe({
      next: (event) => {
        // An event that arrives proves the connection is up, whatever the last state said.
        if (active)
          setState((s) => (s.live === 'failed' || s.live === 'live' ? s : { ...s, live: 'live' }));
        change((shown) => {
          const { apply } = query();
          return apply === undefined ? RELOAD : apply(shown, event);
        });
      },
      error: (err) => {
        if (active) setState((s) => ({ ...s, live: 'failed', liveError: errorMessage(err) }));
      },
    });
    stops.push(() => subscription.unsubscribe());
  }

  void read();

  if (pollMs !== undefined) {
    const readIfVisible = () => {
      if (env.isVisible()) void read();
    };
    stops.push(
      env.every(pollMs, readIfVisible),
      env.onVisible(() => void read()),
    );
  }

  return {
    key,
    read,
    change,
    stop: () => {
      active = false;
      cancelReload();
      for (const stop of stops) stop();
    },
  };
}
