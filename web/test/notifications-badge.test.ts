import { describe, expect, it } from 'vitest';
import type { Notification } from '../src/api/types';
import { badgeLabel, badgeReducer, initialBadge, parseNotification, type BadgeAction, type BadgeState } from '../src/live/badge';

function notification(id: string, readAt: string | null = null): Notification {
  return {
    id,
    principalId: 'me',
    kind: 'taskAssigned',
    subjectEntity: 'task',
    subjectId: `task-${id}`,
    title: `Task ${id}`,
    readAt,
    version: 1,
    createdAt: '2026-11-27T12:00:00Z',
  };
}

const run = (actions: BadgeAction[], from: BadgeState = initialBadge) => actions.reduce(badgeReducer, from);

describe('notification badge', () => {
  it("starts from the server's count and adds each push once", () => {
    const state = run([
      { type: 'count', count: 2 },
      { type: 'pushed', notification: notification('a') },
      { type: 'pushed', notification: notification('a') },
      { type: 'pushed', notification: notification('b') },
    ]);
    expect(state.unread).toBe(4);
    expect(state.pushed.map((n) => n.id)).toEqual(['b', 'a']);
  });

  it('goes down when one is read, once, and not for one that was already read', () => {
    const a = notification('a');
    const state = run([
      { type: 'count', count: 3 },
      { type: 'read', notification: a },
      { type: 'read', notification: a },
      { type: 'read', notification: notification('old', '2026-11-01T00:00:00Z') },
    ]);
    expect(state.unread).toBe(2);
  });

  it('does not count a push for a notification already read in this tab', () => {
    const a = notification('a');
    expect(run([{ type: 'count', count: 1 }, { type: 'read', notification: a }, { type: 'pushed', notification: a }]).unread).toBe(0);
  });

  it('empties on read-all and never goes below zero', () => {
    const state = run([{ type: 'count', count: 5 }, { type: 'pushed', notification: notification('x') }, { type: 'allRead' }]);
    expect(state.unread).toBe(0);
    expect(state.pushed[0]?.readAt).toBeTruthy();
    expect(run([{ type: 'read', notification: notification('y') }]).unread).toBe(0);
    expect(run([{ type: 'count', count: -3 }]).unread).toBe(0);
  });

  it('lets the server count correct local guesses', () => {
    expect(run([{ type: 'pushed', notification: notification('a') }, { type: 'count', count: 7 }]).unread).toBe(7);
  });

  it('labels the badge compactly', () => {
    expect(badgeLabel(0)).toBe('');
    expect(badgeLabel(3)).toBe('3');
    expect(badgeLabel(120)).toBe('99+');
  });

  it('accepts only well-formed pushed payloads', () => {
    expect(parseNotification(notification('a'))?.id).toBe('a');
    expect(parseNotification({ id: 'a' })).toBeUndefined();
    expect(parseNotification('<script>')).toBeUndefined();
    expect(parseNotification(null)).toBeUndefined();
  });
});
