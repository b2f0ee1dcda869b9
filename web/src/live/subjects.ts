import type { Notification } from '../api/types';
import type { Route } from '../router';

/** Where a notification leads: its task, thread or draft; undefined for subjects without a page of their own. */
export function subjectRoute(notification: Notification): Route | undefined {
  switch (notification.subjectEntity) {
    case 'task':
      return { name: 'task', id: notification.subjectId };
    case 'thread':
      return { name: 'thread', id: notification.subjectId };
    case 'draft':
      return { name: 'draft', id: notification.subjectId };
    default:
      return undefined;
  }
}

const kindLabels: Readonly<Record<string, string>> = {
  taskAssigned: 'Task assigned to you',
  taskDueSoon: 'Task due soon',
  mention: 'You were mentioned',
  reviewRequested: 'Review requested',
  reviewDue: 'Review due',
};

export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? kind;
}
