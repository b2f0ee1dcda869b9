import { useEffect, useState } from 'preact/hooks';
import type { Endpoints } from '../api/endpoints';
import { badgeReducer, initialBadge, parseNotification, type BadgeAction, type BadgeState } from './badge';
import type { LinkState } from './hubConnection';

type Listener = (state: BadgeState) => void;

/**
 * The signed-in principal's unread notifications, shared by the header badge and the Notifications page. One per
 * tab: started when a session begins, stopped when it ends. Pushes from the hub bump the badge at once; the server's
 * count is re-read after each (re)connection and each push, so a missed push never leaves the badge wrong.
 */
class NotificationStore {
  #state: BadgeState = initialBadge;
  #link: LinkState = 'disconnected';
  readonly #listeners = new Set<Listener>();
  #stop: (() => Promise<void>) | undefined;
  #api: Endpoints | undefined;
  #refreshing: AbortController | undefined;

  get state(): BadgeState {
    return this.#state;
  }

  get link(): LinkState {
    return this.#link;
  }

  dispatch(action: BadgeAction): void {
    this.#state = badgeReducer(this.#state, action);
    for (const listener of [...this.#listeners]) {
      listener(this.#state);
    }
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(api: Endpoints): Promise<void> {
    await this.stop();
    this.#api = api;
    this.#state = initialBadge;
    const { listenForNotifications } = await import('./notificationsHub');
    if (this.#api !== api) {
      return;
    }
    this.#stop = listenForNotifications({
      onNotification: (payload) => {
        const notification = parseNotification(payload);
        if (notification) {
          this.dispatch({ type: 'pushed', notification });
          void this.refresh();
        }
      },
      onState: (state) => void this.#linkChanged(state),
    });
    await this.refresh();
  }

  async stop(): Promise<void> {
    const stop = this.#stop;
    this.#stop = undefined;
    this.#api = undefined;
    this.#refreshing?.abort();
    await stop?.();
  }

  /**
   * A (re)connection counts as live only once the server's count has been re-read after it, so "connected" means the
   * badge is current, not merely that the socket is open.
   */
  async #linkChanged(state: LinkState): Promise<void> {
    if (state === 'connected') {
      await this.refresh();
    }
    this.#link = state;
    this.dispatch({ type: 'count', count: this.#state.unread });
  }

  /** Re-reads the server's unread count; an older answer never overwrites a newer one. */
  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api) {
      return;
    }
    this.#refreshing?.abort();
    const controller = new AbortController();
    this.#refreshing = controller;
    try {
      const { count } = await api.notifications.unreadCount(controller.signal);
      if (!controller.signal.aborted) {
        this.dispatch({ type: 'count', count });
      }
    } catch {
      // Offline or signed out: the badge keeps its last value; the next connection refreshes it.
    }
  }
}

export const notificationStore = new NotificationStore();

/** The notifications hub link as the header shows it ('connected' once the badge has been reconciled after connecting). */
export function useNotificationLink(): LinkState {
  const [link, setLink] = useState(notificationStore.link);
  useEffect(() => {
    setLink(notificationStore.link);
    return notificationStore.subscribe(() => setLink(notificationStore.link));
  }, []);
  return link;
}

export function useNotificationBadge(): BadgeState {
  const [state, setState] = useState(notificationStore.state);
  useEffect(() => {
    setState(notificationStore.state);
    return notificationStore.subscribe(setState);
  }, []);
  return state;
}
