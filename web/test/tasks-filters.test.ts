import { describe, expect, it } from 'vitest';
import type { Task } from '../src/api/types';
import {
  dateInputFromDueAt,
  defaultTaskFilters,
  dueAtFromDateInput,
  isOverdue,
  matchesFilters,
  parseTaskFilters,
  taskFiltersQuery,
  toTaskQuery,
  type TaskFilters,
} from '../src/tasks/filters';

const now = new Date('2026-11-27T12:00:00Z');

function task(overrides: Partial<Task>): Task {
  return {
    id: '01JTASK',
    subcortexId: '01JSUB',
    title: 'Rotate the keys',
    description: '',
    state: 'open',
    assigneeId: 'me',
    dueAt: null,
    createdBy: 'me',
    updatedBy: 'me',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...overrides,
  };
}

describe('task filters', () => {
  it('default to my active tasks, and the plain address means that', () => {
    expect(parseTaskFilters(new URLSearchParams(''))).toEqual(defaultTaskFilters);
    expect(taskFiltersQuery(defaultTaskFilters)).toBe('');
    expect(toTaskQuery(defaultTaskFilters, now)).toEqual({ assignee: 'me', state: 'open,inProgress,blocked' });
  });

  it('round-trip through the address, ignoring values they do not know', () => {
    const filters: TaskFilters = { assignee: 'any', state: 'done', due: 'overdue' };
    expect(parseTaskFilters(new URLSearchParams(taskFiltersQuery(filters)))).toEqual(filters);
    expect(parseTaskFilters(new URLSearchParams('assignee=bob&state=DROP&due=yesterday'))).toEqual(defaultTaskFilters);
  });

  it('turn into the API query: all states send none, due filters send dueBefore', () => {
    expect(toTaskQuery({ assignee: 'any', state: 'all', due: 'any' }, now)).toEqual({});
    expect(toTaskQuery({ assignee: 'me', state: 'blocked', due: 'overdue' }, now)).toEqual({
      assignee: 'me',
      state: 'blocked',
      dueBefore: '2026-11-27T12:00:00Z',
    });
    expect(toTaskQuery({ assignee: 'any', state: 'all', due: 'week' }, now).dueBefore).toBe('2026-12-04T12:00:00Z');
  });

  it('match a task the way the server filters', () => {
    const mine = task({});
    expect(matchesFilters(mine, defaultTaskFilters, 'me', now)).toBe(true);
    expect(matchesFilters(task({ assigneeId: 'bob' }), defaultTaskFilters, 'me', now)).toBe(false);
    expect(matchesFilters(task({ assigneeId: 'bob' }), { ...defaultTaskFilters, assignee: 'any' }, 'me', now)).toBe(true);
    expect(matchesFilters(task({ state: 'done' }), defaultTaskFilters, 'me', now)).toBe(false);
    expect(matchesFilters(task({ state: 'done' }), { ...defaultTaskFilters, state: 'done' }, 'me', now)).toBe(true);
    expect(matchesFilters(mine, { ...defaultTaskFilters, due: 'week' }, 'me', now)).toBe(false);
    expect(matchesFilters(task({ dueAt: '2026-11-30T00:00:00Z' }), { ...defaultTaskFilters, due: 'week' }, 'me', now)).toBe(true);
    expect(matchesFilters(task({ dueAt: '2026-11-30T00:00:00Z' }), { ...defaultTaskFilters, due: 'overdue' }, 'me', now)).toBe(false);
  });

  it('call only unfinished tasks past their due time overdue', () => {
    expect(isOverdue(task({ dueAt: '2026-11-26T00:00:00Z' }), now)).toBe(true);
    expect(isOverdue(task({ dueAt: '2026-11-26T00:00:00Z', state: 'done' }), now)).toBe(false);
    expect(isOverdue(task({ dueAt: '2026-11-28T00:00:00Z' }), now)).toBe(false);
    expect(isOverdue(task({}), now)).toBe(false);
  });

  it('convert a date input to an ISO time with an offset and back to the same day', () => {
    const iso = dueAtFromDateInput('2026-12-01');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(dateInputFromDueAt(iso)).toBe('2026-12-01');
    expect(dueAtFromDateInput('12/01/2026')).toBeUndefined();
    expect(dateInputFromDueAt(null)).toBe('');
  });
});
