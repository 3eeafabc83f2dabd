import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';

/** The mark of the extra history entry, kept beside whatever state the page already had. */
const GUARD = 'stewardUnsavedText';

const isGuardEntry = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && GUARD in state;

/** What a page does with {@link useBackGuard}: ask while `asking`, then stay or leave. */
export type BackGuard = {
  /** The browser's Back was pressed with text typed: the page should ask. */
  asking: boolean;
  /** Keep the text; Back will ask again next time. */
  stay: () => void;
  /** Throw the text away (`discard`) and go back as Back would have. */
  leave: () => void;
};

/**
 * Makes the browser's Back ask before it throws typed text away. While `dirty`, one extra history
 * entry for this same page lies on top; Back then only steps onto this page's own entry — the page
 * stays, with what was typed — and `asking` turns true. `leave` goes back for real, `stay` lays the
 * entry again. (BrowserRouter has no blocker: `useBlocker` needs a data router.) Once nothing is
 * typed any more the extra entry is taken away, so Back works as usual.
 */
export function useBackGuard(dirty: boolean, discard: () => void): BackGuard {
  const location = useLocation();
  const navigate = useNavigate();
  const guarded = isGuardEntry(location.state);
  const [asking, setAsking] = useState(false);
  /** The step this hook started and waits to see: laying the entry, or taking it away. */
  const pending = useRef<'push' | 'pop' | null>(null);
  /** Whether the guard entry has been seen on top (so leaving it is the person's Back). */
  const armed = useRef(false);
  const leaving = useRef(false);
  const { pathname, search, hash, state } = location;

  useEffect(() => {
    if (leaving.current) {
      // Going back for real: lay nothing until the text is gone.
      if (!dirty) leaving.current = false;
      return;
    }
    if (guarded) {
      if (pending.current === 'push') pending.current = null;
      armed.current = true;
      // Forward onto the entry again while asking: that is staying.
      if (asking) setAsking(false);
      // Nothing typed (any more), or the entry survived a reload: take it away.
      if (!dirty && pending.current === null) {
        pending.current = 'pop';
        navigate(-1);
      }
      return;
    }
    if (pending.current === 'pop') {
      pending.current = null;
      armed.current = false;
      return;
    }
    if (armed.current) {
      // The person pressed Back from the guard entry.
      armed.current = false;
      if (dirty) setAsking(true);
      return;
    }
    if (dirty && !asking && pending.current === null) {
      pending.current = 'push';
      const base = typeof state === 'object' && state !== null ? state : {};
      navigate(`${pathname}${search}${hash}`, { state: { ...base, [GUARD]: true } });
    }
  }, [guarded, dirty, asking, pathname, search, hash, state, navigate]);

  const stay = useCallback(() => setAsking(false), []);
  const leave = useCallback(() => {
    leaving.current = true;
    setAsking(false);
    discard();
    navigate(-1);
  }, [discard, navigate]);

  return { asking, stay, leave };
}
