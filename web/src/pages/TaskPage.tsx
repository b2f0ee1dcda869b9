import { useState } from 'preact/hooks';
import { ApiError, fieldMessages, ProblemTypes } from '../api/problem';
import type { Task, TaskChange, TaskState } from '../api/types';
import { Author } from '../components/Author';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { useApp, useSession } from '../context';
import { formatTime } from '../format';
import { useLoad } from '../hooks';
import { can } from '../permissions';
import type { Route } from '../router';
import { dateInputFromDueAt, dueAtFromDateInput, stateLabels } from '../tasks/filters';
import { TaskDue } from '../tasks/TaskDue';
import { TaskStateSelect } from '../tasks/TaskStateSelect';
import { usePeople } from '../tasks/usePeople';
import { AssigneeSelect } from './Tasks';

function linkedRoute(task: Task): Route | undefined {
  if (!task.linkId) {
    return undefined;
  }
  switch (task.linkKind) {
    case 'thread':
      return { name: 'thread', id: task.linkId };
    case 'draft':
      return { name: 'draft', id: task.linkId };
    case 'artifact':
      return { name: 'artifact', id: task.linkId };
    default:
      return undefined;
  }
}

/** One task: what it is about, and its state, assignee and due date to change. */
export function TaskPage({ id }: { id: string }) {
  const { api } = useApp();
  const session = useSession();
  const [task, setTask] = useLoad((signal) => api.tasks.get(id, signal), [id]);

  if (task.state === 'loading') {
    return (
      <p class="muted" role="status">
        Loading task…
      </p>
    );
  }
  if (task.state === 'failed') {
    return (
      <section>
        <h1>Task</h1>
        <ErrorBanner error={task.error} />
        <Link to={{ name: 'tasks', filters: { assignee: 'me', state: 'active', due: 'any' } }}>Back to tasks</Link>
      </section>
    );
  }
  const t = task.value;
  const linked = linkedRoute(t);
  return (
    <article class="task-page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'tasks', filters: { assignee: 'me', state: 'active', due: 'any' } }}>Tasks</Link> / <span aria-current="page">Task</span>
      </nav>
      <h1>{t.title}</h1>
      <p class="muted">
        <span class={`badge state-${t.state}`} data-testid="task-state">
          {stateLabels[t.state]}
        </span>{' '}
        · {t.assigneeId ? <>Assigned to <Author id={t.assigneeId} /></> : 'Unassigned'} · <TaskDue task={t} />
      </p>
      <p class="muted">
        Filed by <Author id={t.createdBy} /> · {formatTime(t.createdAt)}
        {t.completedAt && <> · finished {formatTime(t.completedAt)}</>}
      </p>
      {linked && (
        <p>
          About: <Link to={linked}>the linked {t.linkKind}</Link>
        </p>
      )}
      {t.description && <p class="task-description">{t.description}</p>}
      {can(session.principal.role, 'writeTasks') && <EditTask key={t.version} task={t} onSaved={setTask} />}
    </article>
  );
}

function EditTask({ task, onSaved }: { task: Task; onSaved: (task: Task) => void }) {
  const { api } = useApp();
  const people = usePeople();
  const [state, setState] = useState<TaskState>(task.state);
  const [assigneeId, setAssigneeId] = useState(task.assigneeId ?? '');
  const [due, setDue] = useState(dateInputFromDueAt(task.dueAt));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const known = people.some((p) => p.id === assigneeId) || !assigneeId ? people : [...people, { id: assigneeId, displayName: assigneeId, handle: assigneeId } as (typeof people)[number]];

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved('');
    const change: TaskChange = {};
    if (state !== task.state) {
      change.state = state;
    }
    if (assigneeId !== (task.assigneeId ?? '')) {
      change.assigneeId = assigneeId;
    }
    if (due !== dateInputFromDueAt(task.dueAt)) {
      const dueAt = due ? dueAtFromDateInput(due) : '';
      if (dueAt === undefined) {
        setErrors({ dueAt: 'Use a date like 2026-12-01.' });
        return;
      }
      change.dueAt = dueAt;
    }
    setErrors({});
    if (Object.keys(change).length === 0) {
      setSaved('Nothing to save.');
      return;
    }
    setBusy(true);
    try {
      const updated = await api.tasks.update(task.id, change, task.version);
      setSaved('Saved.');
      onSaved(updated);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.problem.type === ProblemTypes.versionConflict || failure.status === 409)) {
        // Someone changed it meanwhile: show theirs, keep nothing of ours silently.
        setError(new Error('Someone else changed this task meanwhile; it has been reloaded. Make your change again.'));
        onSaved(await api.tasks.get(task.id).catch(() => task));
      } else {
        setError(failure);
        if (failure instanceof ApiError) {
          setErrors(fieldMessages(failure.problem));
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="edit-task">
      <h2 id="edit-task">Update</h2>
      <ErrorBanner error={error} />
      <Field id="edit-state" label="State" error={errors.state}>
        <TaskStateSelect id="edit-state" label="State" value={state} onChange={setState} />
      </Field>
      <Field id="edit-assignee" label="Assignee" error={errors.assigneeId}>
        <AssigneeSelect id="edit-assignee" error={errors.assigneeId} people={known} value={assigneeId} onChange={setAssigneeId} />
      </Field>
      <Field id="edit-due" label="Due date" error={errors.dueAt} hint="Leave empty for no due date.">
        <input type="date" {...describedBy('edit-due', errors.dueAt, true)} value={due} onInput={(e) => setDue(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <span class="muted" role="status">
        {saved}
      </span>
    </form>
  );
}
