import { describe, expect, it } from 'vitest';
import type { LiveState } from './realtime-state';
import {
  initialLiveState,
  PartialRead,
  RELOAD,
  startLiveSession,
  type LiveQuery,
  type LiveQueryState,
  type LiveSessionEnvironment,
} from './live-session';

type Row = { id: string; version: number };
type Event = Row | 'reload';

/** A promise the test settles. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Keeps the higher version of each row, by id. */
const merge = (rows: Row[], row: Row): Row[] => {
  const existing = rows.find((r) => r.id === row.id);
  if (existing !== undefined && existing.version > row.version) return rows;
  return [...rows.filter((r) => r.id !== row.id), row].sort((a, b) => a.id.localeCompare(b.id));
};

/** A session over fake reads, a fake subscription, fake timers and a fake connection. */
function harness(options: Partial<LiveQuery<Row[], Event>> = {}) {
  const reads: ReturnType<typeof deferred<Row[]>>[] = [];
  let observer: { next: (event: Event) => void; error: (err: unknown) => void } | undefined;
  let unsubscribed = false;
  let liveListener: ((live: LiveState) => void) | undefined;
  let timers: { ms: number; run: () => void }[] = [];
  let intervals: (() => void)[] = [];
  let state: LiveQueryState<Row[]> = initialLiveState;

  const env: LiveSessionEnvironment = {
    listenToLiveState: (listener) => {
      liveListener = listener;
      return () => {
        liveListener = undefined;
      };
    },
    after: (ms, run) => {
      const timer = { ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    every: (_ms, run) => {
      intervals.push(run);
      return () => {
        intervals = intervals.filter((r) => r !== run);
      };
    },
    isVisible: () => true,
    onVisible: () => () => {},
  };
  const query: LiveQuery<Row[], Event> = {
    key: 'k',
    read: () => {
      const read = deferred<Row[]>();
      reads.push(read);
      return read.promise;
    },
    subscribe: (o) => {
      observer = o;
      return { unsubscribe: () => (unsubscribed = true) };
    },
    apply: (rows, event) => (event === 'reload' ? RELOAD : merge(rows, event)),
    ...options,
  };
  const session = startLiveSession(
    () => query,
    (update) => (state = update(state)),
    env,
  );
  return {
    session,
    reads,
    state: () => state,
    ids: () => state.data?.map((r) => `${r.id}@${r.version}`),
    push: (event: Event) => observer?.next(event),
    fail: (err: unknown) => observer?.error(err),
    live: (live: LiveState) => liveListener?.(live),
    fireTimers: () => {
      const due = timers;
      timers = [];
      for (const timer of due) timer.run();
    },
    timers: () => timers,
    poll: () => intervals.forEach((run) => run()),
    unsubscribed: () => unsubscribed,
  };
}

describe('startLiveSession', () => {
  it('subscribes before reading and applies an event that arrives during the read to its result', async () => {
    const h = harness();
    h.push({ id: 'b', version: 2 });
    h.reads[0]?.resolve([
      { id: 'a', version: 1 },
      { id: 'b', version: 1 },
    ]);
    await settle();
    expect(h.state().status).toBe('ready');
    expect(h.ids()).toEqual(['a@1', 'b@2']);
  });

  it('merges events after the read by version, an older copy changing nothing', async () => {
    const h = harness();
    h.reads[0]?.resolve([{ id: 'a', version: 3 }]);
    await settle();
    h.push({ id: 'a', version: 2 });
    h.push({ id: 'c', version: 1 });
    expect(h.ids()).toEqual(['a@3', 'c@1']);
  });

  it('is an error while nothing was read, and keeps the data when a later read fails', async () => {
    const h = harness();
    h.reads[0]?.reject(new Error('Network error'));
    await settle();
    expect(h.state()).toMatchObject({ status: 'error', error: 'Network error' });
    void h.session.read();
    h.reads[1]?.resolve([{ id: 'a', version: 1 }]);
    await settle();
    expect(h.state()).toMatchObject({ status: 'ready', error: null });
    void h.session.read();
    h.reads[2]?.reject(new Error('Timed out'));
    await settle();
    expect(h.state()).toMatchObject({ status: 'ready', error: 'Timed out' });
    expect(h.ids()).toEqual(['a@1']);
  });

  it('shows the rows of a partial read with its error', async () => {
    const h = harness();
    h.reads[0]?.reject(new PartialRead([{ id: 'a', version: 1 }], [{ message: 'Not Authorized' }]));
    await settle();
    expect(h.state()).toMatchObject({ status: 'ready', error: 'Not Authorized' });
    expect(h.ids()).toEqual(['a@1']);
  });

  it('shows only the newest of two overlapping reads', async () => {
    const h = harness();
    void h.session.read();
    h.reads[1]?.resolve([{ id: 'new', version: 1 }]);
    await settle();
    h.reads[0]?.resolve([{ id: 'old', version: 1 }]);
    await settle();
    expect(h.ids()).toEqual(['new@1']);
  });

  it('reads again when the connection comes back after an interruption, not on first connect', async () => {
    const h = harness();
    h.live('connecting');
    h.live('live');
    expect(h.reads).toHaveLength(1);
    h.live('interrupted');
    h.live('connecting');
    expect(h.state().live).toBe('connecting');
    h.live('live');
    expect(h.reads).toHaveLength(2);
    expect(h.state().live).toBe('live');
  });

  it('shows live as soon as an event arrives while the state still says interrupted', async () => {
    const h = harness();
    h.reads[0]?.resolve([]);
    await settle();
    h.live('interrupted');
    expect(h.state().live).toBe('interrupted');
    h.push({ id: 'a', version: 1 });
    expect(h.state().live).toBe('live');
  });

  it('stays "failed" once the subscription failed', () => {
    const h = harness();
    h.fail(new Error('Connection failed'));
    h.live('live');
    expect(h.state()).toMatchObject({ live: 'failed', liveError: 'Connection failed' });
  });

  it('turns a burst of reload requests into one read after the debounce', async () => {
    const h = harness({ reloadDebounceMs: 1_000 });
    h.reads[0]?.resolve([]);
    await settle();
    h.push('reload');
    h.push('reload');
    h.push('reload');
    expect(h.timers()).toHaveLength(1);
    expect(h.reads).toHaveLength(1);
    h.fireTimers();
    expect(h.reads).toHaveLength(2);
  });

  it('applies a change made during a read again to its result (a mutation answer)', async () => {
    const h = harness();
    h.reads[0]?.resolve([{ id: 'a', version: 1 }]);
    await settle();
    void h.session.read();
    h.session.change((rows) => merge(rows, { id: 'a', version: 2 }));
    expect(h.ids()).toEqual(['a@2']);
    h.reads[1]?.resolve([{ id: 'a', version: 1 }]);
    await settle();
    expect(h.ids()).toEqual(['a@2']);
  });

  it('combines a fresh read with the data shown through reconcile', async () => {
    const h = harness({ reconcile: (shown, fresh) => [...shown, ...fresh] });
    h.reads[0]?.resolve([{ id: 'a', version: 1 }]);
    await settle();
    void h.session.read();
    h.reads[1]?.resolve([{ id: 'b', version: 1 }]);
    await settle();
    expect(h.ids()).toEqual(['a@1', 'b@1']);
  });

  it('polls while visible when asked to', () => {
    const h = harness({ pollMs: 60_000 });
    h.poll();
    expect(h.reads).toHaveLength(2);
  });

  it('ignores reads and events after stop, and unsubscribes', async () => {
    const h = harness();
    h.session.stop();
    expect(h.unsubscribed()).toBe(true);
    h.reads[0]?.resolve([{ id: 'a', version: 1 }]);
    h.push({ id: 'b', version: 1 });
    await settle();
    expect(h.state()).toEqual(initialLiveState);
  });
});
