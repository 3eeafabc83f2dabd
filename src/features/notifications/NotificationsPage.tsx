import { Link } from 'react-router-dom';
import { humanize } from '../../lib/labels';
import { useNotificationsContext, type Notification } from './use-notifications';
import { useAction } from '../../lib/use-action';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Links in notifications are absolute (they are mailed too); inside the app they become routes. */
const routeOf = (link: string | null | undefined): string | undefined => {
  if (!link) return undefined;
  try {
    const url = new URL(link, window.location.origin);
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
};

/** The signed-in person's notifications, newest first, with read and unread marked. */
export function NotificationsPage() {
  const notifications = useNotificationsContext();
  const { run, busy, error } = useAction();

  return (
    <section
      className="card"
      aria-labelledby="notifications-heading"
      data-testid="notifications-page"
    >
      <div className="section-head">
        <h1 id="notifications-heading">Notifications</h1>
        <span className="muted" data-testid="notifications-unread">
          {notifications.unread} unread
        </span>
        <button type="button" onClick={() => void run(notifications.refresh)} disabled={busy}>
          Refresh
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void run(notifications.markAllRead)}
          disabled={busy || notifications.unread === 0}
          data-testid="mark-all-read"
        >
          Mark all read
        </button>
      </div>
      {(error ?? notifications.error) !== null && (
        <p className="error" role="alert" data-testid="notifications-error">
          {error ?? `Could not load the notifications: ${notifications.error ?? ''}`}
        </p>
      )}
      {notifications.status === 'loading' && <p className="muted">Loading…</p>}
      {notifications.status === 'ready' && notifications.items.length === 0 && (
        <p className="empty">
          Nothing yet. You will hear about work assigned to you, your requests and low stock here.
        </p>
      )}
      <ul className="notifications" data-testid="notification-list">
        {notifications.items.map((n) => (
          <NotificationRow
            key={n.id}
            notification={n}
            onRead={() => void run(() => notifications.markRead([n.id]))}
          />
        ))}
      </ul>
    </section>
  );
}

function NotificationRow({
  notification,
  onRead,
}: {
  notification: Notification;
  onRead: () => void;
}) {
  const unread = !notification.readAt;
  const to = routeOf(notification.link);
  return (
    <li
      className={unread ? 'notification unread' : 'notification'}
      data-testid="notification-row"
      data-unread={unread}
    >
      <span className="visually-hidden">{unread ? 'Unread: ' : 'Read: '}</span>
      <div className="notification-body">
        {to !== undefined ? (
          <Link to={to} onClick={unread ? onRead : undefined}>
            {notification.subject}
          </Link>
        ) : (
          <span>{notification.subject}</span>
        )}
        <span className="muted small block">
          {humanize(notification.kind)} ·{' '}
          <time dateTime={notification.createdAt}>
            {dateTime.format(new Date(notification.createdAt))}
          </time>
        </span>
      </div>
      {unread && (
        <button type="button" onClick={onRead}>
          Mark read
        </button>
      )}
    </li>
  );
}
