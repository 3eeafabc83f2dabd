import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from './graphql-errors';

/** A mutation's runner and its state, as one button or form shows it. */
export type Action = {
  /**
   * Runs `operation` unless one is already under way; resolves with its result, or undefined
   * when it threw (its message is then in `error`).
   */
  run: <R>(operation: () => Promise<R>) => Promise<R | undefined>;
  busy: boolean;
  /** Why the last run failed, or a message set by {@link Action.fail}; null after success. */
  error: string | null;
  /** Shows a message without running anything (a form's own validation). */
  fail: (message: string) => void;
  /** Clears the message. */
  reset: () => void;
};

/**
 * Busy and error state around a mutation: one run at a time, the error turned into one readable
 * sentence by `describe` (by default the GraphQL messages, which carry the server's reason).
 */
export function useAction(describe: (error: unknown) => string = errorMessage): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A ref, not the state: two clicks in one frame both see `busy` false.
  const running = useRef(false);
  const describeRef = useRef(describe);
  useLayoutEffect(() => {
    describeRef.current = describe;
  });

  const run = useCallback(async <R>(operation: () => Promise<R>): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return await operation();
    } catch (err) {
      setError(describeRef.current(err));
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const fail = useCallback((message: string) => setError(message), []);
  const reset = useCallback(() => setError(null), []);

  return { run, busy, error, fail, reset };
}
