import { Link } from 'react-router-dom';
import { useNotificationsContext } from './use-notifications';

/** The header bell: a link to the notifications with the unread count as a badge and as words. */
export function NotificationBell() {
  const { unread, more } = useNotificationsContext();
  const count = more && unread > 0 ? `${unread}+` : String(unread);
  const label = unread === 0 ? 'Notifications, none unread' : `Notifications, ${count} unread`;
  return (
    <Link
      to="/notifications"
      className="bell"
      aria-label={label}
      data-testid="notification-bell"
      data-unread={unread}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="unread-count" aria-hidden="true">
          {count}
        </span>
      )}
    </Link>
  );
}
