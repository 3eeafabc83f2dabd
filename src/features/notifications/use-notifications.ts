import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';

/** One in-app notification of the signed-in person. */
export type Notification = Schema['Notification']['type'];

/** The newest notifications, how many are unread, and what failed. */
export type NotificationsState = {
  status: 'loading' | 'ready' | 'error';
  items: Notification[];
  unread: number;
  /** Whether older notifications exist beyond the ones read (the unread count may be higher). */
  more: boolean;
  error: string | null;
};

/** The notifications state with its actions, shared by the header bell and the list page. */
export type NotificationsValue = NotificationsState & {
  refresh: () => Promise<void>;
  markRead: (ids: string[]) => Promise<void>;
  markAllRead: () => Promise<void>;
};

const PAGE = 50;
/**
 * Notifications are written by the stream consumer (the notifier Lambda), not by a mutation the
 * app can subscribe to, so the list is re-read on a timer while the page is visible, and shortly
 * after any work-order change (the likeliest cause of a new notification).
 */
const POLL_MS = 30_000;
/** The notifier runs after the change is committed; these delays let its write land first. */
const AFTER_CHANGE_MS = [1_000, 4_000];

/** Counts the unread notifications among those read. */
export const unreadCount = (items: readonly Pick<Notification, 'readAt'>[]): number =>
  items.filter((item) => item.readAt === null || item.readAt === undefined).length;

const initialState: NotificationsState = {
  status: 'loading',
  items: [],
  unread: 0,
  more: false,
  error: null,
};

/**
 * The signed-in person's notifications, refreshed every 30 s while visible, when the tab
 * becomes visible again, and after any `onWorkOrderChanged` or `onInventoryChanged` event of the
 * current organization.
 */
export const useNotifications = (
  userId: string,
  organizationId: string | undefined,
): NotificationsValue => {
  const [state, setState] = useState<NotificationsState>(initialState);
  const activeRef = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const { data, errors, nextToken } = await client.models.Notification.notificationsByRecipient(
        { recipientId: userId },
        { sortDirection: 'DESC', limit: PAGE },
      );
      throwOnErrors(errors);
      if (!activeRef.current) return;
      setState({
        status: 'ready',
        items: data,
        unread: unreadCount(data),
        more: nextToken != null,
        error: null,
      });
    } catch (err) {
      if (activeRef.current)
        setState((s) => ({
          ...s,
          status: s.status === 'ready' ? 'ready' : 'error',
          error: errorMessage(err),
        }));
    }
  }, [userId]);

  useEffect(() => {
    activeRef.current = true;
    void refresh();
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      activeRef.current = false;
      window.clearInterval(poll);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh]);

  useEffect(() => {
    if (organizationId === undefined) return undefined;
    const timers = new Set<number>();
    const soon = () => {
      for (const delay of AFTER_CHANGE_MS) {
        const timer = window.setTimeout(() => {
          timers.delete(timer);
          void refresh();
        }, delay);
        timers.add(timer);
      }
    };
    // Work-order changes cause assignment and status notifications, stock changes low-stock ones.
    // The pages show the live state; the timer keeps the bell current regardless of errors here.
    const subscriptions = [
      client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe({
        next: soon,
        error: () => undefined,
      }),
      client.subscriptions.onInventoryChanged({ organizationId }).subscribe({
        next: soon,
        error: () => undefined,
      }),
    ];
    return () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [organizationId, refresh]);

  const mark = useCallback(async (args: { ids: string[] } | { all: true }) => {
    const { errors } = await client.mutations.markNotificationsRead(args);
    throwOnErrors(errors);
    const now = new Date().toISOString();
    const marks = (n: Notification) => 'all' in args || args.ids.includes(n.id);
    setState((s) => {
      const items = s.items.map((n) => (marks(n) && !n.readAt ? { ...n, readAt: now } : n));
      return { ...s, items, unread: unreadCount(items) };
    });
  }, []);
  const markRead = useCallback((ids: string[]) => mark({ ids }), [mark]);
  const markAllRead = useCallback(() => mark({ all: true }), [mark]);

  return { ...state, refresh, markRead, markAllRead };
};

/** Provided by the workspace, so the bell and the list page share one state. */
export const NotificationsContext = createContext<NotificationsValue | null>(null);

/** The shared notifications; only components inside the workspace may call this. */
export const useNotificationsContext = (): NotificationsValue => {
  const value = useContext(NotificationsContext);
  if (value === null) throw new Error('useNotificationsContext is used outside the workspace');
  return value;
};
