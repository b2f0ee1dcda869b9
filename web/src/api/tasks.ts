import { type ApiClient, segment } from './client';
import type { Notification, Page, Task, TaskChange, TaskQuery } from './types';

/** Tasks and notifications (`/tasks`, `/subcortexes/{slug}/tasks`, `/notifications`). */
export function taskEndpoints(client: ApiClient) {
  return {
    tasks: {
      list: (query: TaskQuery, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Task>>('/tasks', withSignal({ query: { ...query, cursor, limit: 50 } }, signal)),
      get: (id: string, signal?: AbortSignal) => client.get<Task>(`/tasks/${segment(id)}`, withSignal({}, signal)),
      create: (
        slug: string,
        body: { title: string; description?: string; assigneeId?: string; dueAt?: string; linkKind?: string; linkId?: string },
        idempotencyKey: string,
      ) => client.post<Task>(`/subcortexes/${segment(slug)}/tasks`, { body, idempotencyKey }),
      /** `version` is the one the change is based on; a stale one is a 409 problem. */
      update: (id: string, change: TaskChange, version: number) =>
        client.patch<Task>(`/tasks/${segment(id)}`, { body: { ...change, version } }),
    },
    notifications: {
      list: (unread: boolean, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Notification>>('/notifications', withSignal({ query: { unread: unread || undefined, cursor, limit: 50 } }, signal)),
      unreadCount: (signal?: AbortSignal) => client.get<{ count: number }>('/notifications/unread-count', withSignal({}, signal)),
      markRead: (id: string) => client.post<Notification>(`/notifications/${segment(id)}/read`, { idempotent: false }),
      markAllRead: () => client.post<{ marked: number }>('/notifications/read-all', { idempotent: false }),
    },
  };
}

function withSignal<T extends object>(options: T, signal: AbortSignal | undefined): T & { signal?: AbortSignal } {
  return signal ? { ...options, signal } : options;
}
