import { useEffect } from 'preact/hooks';
import { Link } from '../components/Link';
import { useApp, useSession } from '../context';
import { badgeLabel } from './badge';
import { notificationStore, useNotificationBadge, useNotificationLink } from './notificationStore';

/** The header's link to the notifications, with the unread count kept live from the notifications hub. */
export function NotificationBell() {
  const { api } = useApp();
  const session = useSession();
  const { unread } = useNotificationBadge();
  const link = useNotificationLink();

  useEffect(() => {
    void notificationStore.start(api);
    return () => void notificationStore.stop();
  }, [session.principal.id]);

  const label = badgeLabel(unread);
  return (
    <span class="bell-link" data-link={link}>
      <Link to={{ name: 'notifications' }} class="bell" title={link === 'connected' ? undefined : 'Live notifications are not connected; the count may be behind'}>
        Notifications
        {label && (
          <span class="badge unread-count" data-testid="unread-count">
            {label}
            <span class="visually-hidden"> unread</span>
          </span>
        )}
      </Link>
    </span>
  );
}
