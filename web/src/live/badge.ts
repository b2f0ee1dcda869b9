import type { Notification } from '../api/types';

/** The header's unread badge: the server's count, adjusted at once by what happens in this tab. */
export interface BadgeState {
  unread: number;
  /** Ids already counted as pushes or marked read here, so a repeated push or click counts once. */
  counted: ReadonlySet<string>;
  read: ReadonlySet<string>;
  /** Pushed notifications, newest first, for the list page to show without reloading. */
  pushed: readonly Notification[];
}

export type BadgeAction =
  /** The server's unread count (authoritative; replaces local adjustments). */
  | { type: 'count'; count: number }
  | { type: 'pushed'; notification: Notification }
  | { type: 'read'; notification: Notification }
  | { type: 'allRead' };

export const initialBadge: BadgeState = { unread: 0, counted: new Set(), read: new Set(), pushed: [] };

const keepPushed = 50;

export function badgeReducer(state: BadgeState, action: BadgeAction): BadgeState {
  switch (action.type) {
    case 'count':
      return { ...state, unread: Math.max(0, action.count) };
    case 'pushed': {
      const n = action.notification;
      if (state.counted.has(n.id)) {
        return state;
      }
      const unread = n.readAt || state.read.has(n.id) ? state.unread : state.unread + 1;
      return {
        ...state,
        unread,
        counted: new Set(state.counted).add(n.id),
        pushed: [n, ...state.pushed.filter((p) => p.id !== n.id)].slice(0, keepPushed),
      };
    }
    case 'read': {
      const n = action.notification;
      if (state.read.has(n.id)) {
        return state;
      }
      const wasUnread = !n.readAt;
      return {
        ...state,
        unread: wasUnread ? Math.max(0, state.unread - 1) : state.unread,
        read: new Set(state.read).add(n.id),
        pushed: state.pushed.map((p) => (p.id === n.id ? { ...p, readAt: p.readAt ?? new Date().toISOString() } : p)),
      };
    }
    case 'allRead':
      return {
        ...state,
        unread: 0,
        pushed: state.pushed.map((p) => (p.readAt ? p : { ...p, readAt: new Date().toISOString() })),
      };
  }
}

/** The badge's text: nothing at zero, and a cap so it stays small. */
export function badgeLabel(unread: number): string {
  if (unread <= 0) {
    return '';
  }
  return unread > 99 ? '99+' : String(unread);
}

/** Checks a pushed payload before it is used: the hub's JSON is untrusted data. */
export function parseNotification(value: unknown): Notification | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  const text = (key: string) => typeof v[key] === 'string';
  if (!text('id') || !text('principalId') || !text('kind') || !text('subjectEntity') || !text('subjectId') || !text('title') || !text('createdAt')) {
    return undefined;
  }
  return value as Notification;
}
