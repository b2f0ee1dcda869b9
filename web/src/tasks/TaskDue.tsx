import type { Task } from '../api/types';
import { formatTime } from '../format';
import { isOverdue } from './filters';

export function TaskDue({ task }: { task: Task }) {
  if (!task.dueAt) {
    return <span class="muted">No due date</span>;
  }
  const overdue = isOverdue(task, new Date());
  return (
    <span class={overdue ? 'due overdue' : 'due'}>
      Due {formatTime(task.dueAt)}
      {overdue && <span class="badge overdue-badge">overdue</span>}
    </span>
  );
}
