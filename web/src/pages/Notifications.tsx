import { useState } from 'preact/hooks';
import type { Notification } from '../api/types';
import { Author } from '../components/Author';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp } from '../context';
import { formatTime } from '../format';
import { notificationStore, useNotificationBadge } from '../live/notificationStore';
import { kindLabel, subjectRoute } from '../live/subjects';

/** The signed-in principal's notifications, newest unread first; new ones appear live. */
export function Notifications() {
  const { api } = useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const paged = usePaged<Notification>((cursor, signal) => api.notifications.list(unreadOnly, cursor, signal), (n) => n.id, [unreadOnly]);
  const badge = useNotificationBadge();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  // Pushed since the list loaded, newest first, then the loaded pages; what this tab marked read shows as read
  // (and stays in place, even under "Unread only", so the list does not jump under the pointer).
  const loaded = new Set(paged.list.items.map((n) => n.id));
  const shown = [...badge.pushed.filter((n) => !loaded.has(n.id)), ...paged.list.items].map((n) =>
    badge.read.has(n.id) && !n.readAt ? { ...n, readAt: 'now' } : n,
  );

  const markRead = async (notification: Notification) => {
    setError(undefined);
    try {
      const marked = await api.notifications.markRead(notification.id);
      notificationStore.dispatch({ type: 'read', notification });
      paged.replaceAll(paged.list.items.map((n) => (n.id === marked.id ? marked : n)));
      setAnnouncement(`Marked "${notification.title}" as read.`);
    } catch (failure) {
      setError(failure);
    }
  };

  const markAllRead = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const { marked } = await api.notifications.markAllRead();
      notificationStore.dispatch({ type: 'allRead' });
      const now = new Date().toISOString();
      paged.replaceAll(paged.list.items.map((n) => (n.readAt ? n : { ...n, readAt: now })));
      setAnnouncement(marked === 1 ? 'Marked 1 notification as read.' : `Marked ${marked} notifications as read.`);
      void notificationStore.refresh();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>Notifications</h1>
        <div class="actions">
          <label class="checkbox">
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} /> Unread only
          </label>
          <button type="button" onClick={markAllRead} disabled={busy || badge.unread === 0}>
            Mark all read
          </button>
        </div>
      </div>
      <p class="muted" role="status" data-testid="unread-summary">
        {badge.unread === 0 ? 'Nothing unread.' : badge.unread === 1 ? '1 unread notification.' : `${badge.unread} unread notifications.`}
      </p>
      <p class="announcer" role="status">
        {announcement}
      </p>
      <ErrorBanner error={error} />
      <ul class="notifications" aria-label="Notifications">
        {shown.map((n) => {
          const to = subjectRoute(n);
          return (
            <li key={n.id} class={`notification${n.readAt ? '' : ' unread'}`} data-testid="notification">
              <div>
                <p class="notification-title">
                  {!n.readAt && <span class="badge unread-badge">Unread</span>} {to ? <Link to={to}>{n.title}</Link> : n.title}
                </p>
                <p class="muted">
                  {kindLabel(n.kind)}
                  {n.actorId && (
                    <>
                      {' '}
                      by <Author id={n.actorId} />
                    </>
                  )}{' '}
                  · {formatTime(n.createdAt)}
                </p>
              </div>
              {!n.readAt && (
                <button type="button" class="secondary" onClick={() => void markRead(n)} aria-label={`Mark "${n.title}" as read`}>
                  Mark read
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMore paged={paged} noun="notifications" />
    </section>
  );
}
