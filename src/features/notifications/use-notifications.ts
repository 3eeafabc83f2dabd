import { createContext, useCallback, useContext } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { useLiveQuery } from '../../lib/use-live-query';

/** One in-app notification of the signed-in person: what the list and the bell show. */
export type Notification = Pick<
  Schema['Notification']['type'],
  'id' | 'kind' | 'subject' | 'link' | 'createdAt' | 'readAt'
>;
/** A notification as `onNotification` pushes it the moment it is recorded. */
export type LiveNotification = Schema['LiveNotification']['type'];

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
 * New notifications arrive live (`onNotification`); the list is also re-read on this timer while
 * the page is visible and when the tab comes back, so a push missed while offline still shows.
 */
const POLL_MS = 60_000;

/** Counts the unread notifications among those read. */
export const unreadCount = (items: readonly Pick<Notification, 'readAt'>[]): number =>
  items.filter((item) => item.readAt === null || item.readAt === undefined).length;

/**
 * Adds a pushed notification to the newest-first list: unread, in date order, once (a push can
 * repeat when the notifier retries, and a re-read may already have brought it).
 */
export function withLive(
  items: readonly Notification[],
  live: Pick<LiveNotification, 'id' | 'kind' | 'subject' | 'link' | 'createdAt'>,
  limit = PAGE,
): Notification[] {
  if (items.some((item) => item.id === live.id)) return [...items];
  const added: Notification = {
    id: live.id,
    kind: live.kind,
    subject: live.subject,
    link: live.link ?? null,
    createdAt: live.createdAt,
    readAt: null,
  };
  const at = items.findIndex((item) => item.createdAt < live.createdAt);
  const merged = at === -1 ? [...items, added] : [...items.slice(0, at), added, ...items.slice(at)];
  return merged.slice(0, limit);
}

/** The newest page of notifications and whether older ones exist. */
type NotificationPage = { items: Notification[]; more: boolean };

const fetchNotifications = async (recipientId: string): Promise<NotificationPage> => {
  const { data, errors, nextToken } = await client.models.Notification.notificationsByRecipient(
    { recipientId },
    { sortDirection: 'DESC', limit: PAGE },
  );
  throwOnErrors(errors);
  return { items: data, more: nextToken != null };
};

/**
 * The signed-in person's notifications: read once, then kept current by `onNotification` (only
 * the caller's own are delivered), with a slow re-read while visible and on returning to the tab.
 */
export const useNotifications = (userId: string): NotificationsValue => {
  const query = useLiveQuery<NotificationPage, LiveNotification>({
    key: userId,
    read: () => fetchNotifications(userId),
    subscribe: (observer) => client.subscriptions.onNotification().subscribe(observer),
    apply: (page, live) =>
      live.recipientId === userId ? { ...page, items: withLive(page.items, live) } : page,
    pollMs: POLL_MS,
  });

  const { reload, update } = query;
  const refresh = useCallback(async () => {
    await reload();
  }, [reload]);

  const mark = useCallback(
    async (args: { ids: string[] } | { all: true }) => {
      const { errors } = await client.mutations.markNotificationsRead(args);
      throwOnErrors(errors);
      const now = new Date().toISOString();
      const marks = (n: Notification) => 'all' in args || args.ids.includes(n.id);
      update((page) => ({
        ...page,
        items: page.items.map((n) => (marks(n) && !n.readAt ? { ...n, readAt: now } : n)),
      }));
    },
    [update],
  );
  const markRead = useCallback((ids: string[]) => mark({ ids }), [mark]);
  const markAllRead = useCallback(() => mark({ all: true }), [mark]);

  const items = query.data?.items ?? [];
  return {
    status: query.status,
    items,
    unread: unreadCount(items),
    more: query.data?.more ?? false,
    error: query.error,
    refresh,
    markRead,
    markAllRead,
  };
};

/** Provided by the workspace, so the bell and the list page share one state. */
export const NotificationsContext = createContext<NotificationsValue | null>(null);

/** The shared notifications; only components inside the workspace may call this. */
export const useNotificationsContext = (): NotificationsValue => {
  const value = useContext(NotificationsContext);
  if (value === null) throw new Error('useNotificationsContext is used outside the workspace');
  return value;
};
