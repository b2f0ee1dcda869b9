import type { Task, TaskQuery, TaskState } from '../api/types';

/** The Tasks page's filters as they appear in its address (`/tasks?assignee=any&state=done&due=overdue`). */
export interface TaskFilters {
  assignee: 'me' | 'any';
  /** `active` = open, in progress or blocked; `all`; or one state. */
  state: 'active' | 'all' | TaskState;
  due: 'any' | 'overdue' | 'week';
}

export const defaultTaskFilters: TaskFilters = { assignee: 'me', state: 'active', due: 'any' };

const activeStates: readonly TaskState[] = ['open', 'inProgress', 'blocked'];
const singleStates: readonly string[] = ['open', 'inProgress', 'blocked', 'done', 'cancelled'];
const weekMs = 7 * 24 * 60 * 60 * 1000;

export function parseTaskFilters(query: URLSearchParams): TaskFilters {
  const assignee = query.get('assignee') === 'any' ? 'any' : 'me';
  const stateParam = query.get('state') ?? '';
  const state = stateParam === 'all' || stateParam === 'active' || singleStates.includes(stateParam) ? (stateParam as TaskFilters['state']) : 'active';
  const dueParam = query.get('due');
  const due = dueParam === 'overdue' || dueParam === 'week' ? dueParam : 'any';
  return { assignee, state, due };
}

/** The query string for the filters, leaving out defaults so the plain `/tasks` means "my active tasks". */
export function taskFiltersQuery(filters: TaskFilters): string {
  const query = new URLSearchParams();
  if (filters.assignee !== defaultTaskFilters.assignee) {
    query.set('assignee', filters.assignee);
  }
  if (filters.state !== defaultTaskFilters.state) {
    query.set('state', filters.state);
  }
  if (filters.due !== defaultTaskFilters.due) {
    query.set('due', filters.due);
  }
  return query.toString();
}

/** The API query for the filters; `now` is passed in so the result is reproducible. */
export function toTaskQuery(filters: TaskFilters, now: Date): TaskQuery {
  const query: TaskQuery = {};
  if (filters.assignee === 'me') {
    query.assignee = 'me';
  }
  if (filters.state === 'active') {
    query.state = activeStates.join(',');
  } else if (filters.state !== 'all') {
    query.state = filters.state;
  }
  if (filters.due === 'overdue') {
    query.dueBefore = isoSeconds(now);
  } else if (filters.due === 'week') {
    query.dueBefore = isoSeconds(new Date(now.getTime() + weekMs));
  }
  return query;
}

/** Whether a task belongs in the list the filters show (used to place a just-created or just-changed task). */
export function matchesFilters(task: Task, filters: TaskFilters, me: string, now: Date): boolean {
  if (filters.assignee === 'me' && task.assigneeId !== me) {
    return false;
  }
  if (filters.state === 'active' ? !activeStates.includes(task.state) : filters.state !== 'all' && task.state !== filters.state) {
    return false;
  }
  if (filters.due !== 'any') {
    const limit = filters.due === 'overdue' ? now.getTime() : now.getTime() + weekMs;
    if (!task.dueAt || Date.parse(task.dueAt) >= limit) {
      return false;
    }
  }
  return true;
}

export function isOverdue(task: Task, now: Date): boolean {
  return !!task.dueAt && Date.parse(task.dueAt) < now.getTime() && activeStates.includes(task.state);
}

export const stateLabels: Readonly<Record<TaskState, string>> = {
  open: 'Open',
  inProgress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** An `<input type=date>` value (a local calendar day) as the end of that day in local time, ISO 8601 with offset. */
export function dueAtFromDateInput(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return undefined;
  }
  const date = new Date(`${day}T23:59:59`);
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}

/** The local calendar day of an ISO time, for an `<input type=date>`. */
export function dateInputFromDueAt(dueAt: string | null | undefined): string {
  if (!dueAt) {
    return '';
  }
  const date = new Date(dueAt);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
