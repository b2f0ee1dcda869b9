import { useMemo, useState } from 'preact/hooks';
import type { Principal, Subcortex, Task, TaskState } from '../api/types';
import { Author } from '../components/Author';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { useIdempotencyKey, useLoad } from '../hooks';
import { can } from '../permissions';
import type { Errors } from '../validation';
import { dueAtFromDateInput, matchesFilters, stateLabels, taskFiltersQuery, toTaskQuery, type TaskFilters } from '../tasks/filters';
import { TaskDue } from '../tasks/TaskDue';
import { TaskStateSelect } from '../tasks/TaskStateSelect';
import { usePeople } from '../tasks/usePeople';

/** Tasks, filtered by assignee, state and due date (the filters live in the address), with a form to create one. */
export function Tasks({ filters }: { filters: TaskFilters }) {
  const { api, navigate } = useApp();
  const session = useSession();
  const key = taskFiltersQuery(filters);
  const now = useMemo(() => new Date(), [key]);
  const paged = usePaged<Task>((cursor, signal) => api.tasks.list(toTaskQuery(filters, now), cursor, signal), (t) => t.id, [key]);
  const [subcortexes] = useLoad((signal) => api.subcortexes.list(undefined, signal), []);
  const people = usePeople();
  const [rowError, setRowError] = useState<unknown>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const writer = can(session.principal.role, 'writeTasks');
  const slugOf = (id: string) => (subcortexes.state === 'loaded' ? subcortexes.value.items.find((s) => s.id === id)?.slug : undefined);

  const setFilter = (change: Partial<TaskFilters>) => navigate({ name: 'tasks', filters: { ...filters, ...change } }, { replace: true });

  const changeState = async (task: Task, state: TaskState) => {
    setRowError(undefined);
    try {
      const updated = await api.tasks.update(task.id, { state }, task.version);
      paged.replaceAll(paged.list.items.map((t) => (t.id === updated.id ? updated : t)));
      setAnnouncement(`"${task.title}" is now ${stateLabels[state].toLowerCase()}.`);
    } catch (failure) {
      setRowError(failure);
    }
  };

  return (
    <section>
      <h1>Tasks</h1>
      <form class="filters" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <Field id="filter-assignee" label="Assignee">
          <select id="filter-assignee" value={filters.assignee} onChange={(e) => setFilter({ assignee: e.currentTarget.value as TaskFilters['assignee'] })}>
            <option value="me">Assigned to me</option>
            <option value="any">Anyone</option>
          </select>
        </Field>
        <Field id="filter-state" label="State">
          <select id="filter-state" value={filters.state} onChange={(e) => setFilter({ state: e.currentTarget.value as TaskFilters['state'] })}>
            <option value="active">Not finished</option>
            <option value="all">Any state</option>
            {Object.entries(stateLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-due" label="Due">
          <select id="filter-due" value={filters.due} onChange={(e) => setFilter({ due: e.currentTarget.value as TaskFilters['due'] })}>
            <option value="any">Any time</option>
            <option value="overdue">Overdue</option>
            <option value="week">Within 7 days</option>
          </select>
        </Field>
      </form>
      <p class="announcer" role="status">
        {announcement}
      </p>
      <ErrorBanner error={rowError} />
      <ul class="tasks" aria-label="Tasks">
        {paged.list.items.map((t) => {
          const slug = slugOf(t.subcortexId);
          return (
            <li key={t.id} class={`task state-${t.state}`} data-testid="task">
              <div class="task-main">
                <Link to={{ name: 'task', id: t.id }}>{t.title}</Link>
                <p class="muted">
                  {t.assigneeId ? (
                    <>
                      Assigned to <Author id={t.assigneeId} />
                    </>
                  ) : (
                    'Unassigned'
                  )}{' '}
                  · <TaskDue task={t} />
                  {slug && (
                    <>
                      {' '}
                      · <Link to={{ name: 'subcortex', slug }}>{slug}</Link>
                    </>
                  )}
                </p>
              </div>
              {writer ? (
                <TaskStateSelect id={`state-${t.id}`} label={`State of "${t.title}"`} value={t.state} onChange={(s) => void changeState(t, s)} />
              ) : (
                <span class="badge">{stateLabels[t.state]}</span>
              )}
            </li>
          );
        })}
      </ul>
      <LoadMore paged={paged} noun="tasks" />
      {writer && subcortexes.state === 'loaded' && (
        <CreateTask
          subcortexes={subcortexes.value.items.filter((s) => s.state === 'active')}
          people={people}
          onCreated={(task) => {
            setAnnouncement(`Task "${task.title}" created.`);
            if (matchesFilters(task, filters, session.principal.id, new Date())) {
              paged.prepend(task);
            }
          }}
        />
      )}
    </section>
  );
}

type TaskForm = { subcortex: string; title: string; description: string; assigneeId: string; due: string };

function CreateTask({ subcortexes, people, onCreated }: { subcortexes: Subcortex[]; people: Principal[]; onCreated: (task: Task) => void }) {
  const { api } = useApp();
  const session = useSession();
  const [form, setForm] = useState<TaskForm>({ subcortex: subcortexes[0]?.slug ?? '', title: '', description: '', assigneeId: session.principal.id, due: '' });
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const set = (change: Partial<TaskForm>) => setForm((f) => ({ ...f, ...change }));
  const dueAt = form.due ? dueAtFromDateInput(form.due) : undefined;
  const { errors, error, busy, submit } = useFormSubmit<'subcortex' | 'title' | 'description' | 'assigneeId' | 'dueAt'>(
    () => {
      const found: Errors<'subcortex' | 'title' | 'dueAt'> = {};
      if (!form.subcortex) {
        found.subcortex = 'Choose a subcortex.';
      }
      if (!form.title.trim()) {
        found.title = 'A task needs a title.';
      }
      if (form.due && !dueAt) {
        found.dueAt = 'Use a date like 2026-12-01.';
      }
      return found;
    },
    async () => {
      const created = await api.tasks.create(
        form.subcortex,
        {
          title: form.title.trim(),
          ...(form.description ? { description: form.description } : {}),
          ...(form.assigneeId ? { assigneeId: form.assigneeId } : {}),
          ...(dueAt ? { dueAt } : {}),
        },
        idempotencyKey,
      );
      renewKey();
      setForm((f) => ({ ...f, title: '', description: '', due: '' }));
      onCreated(created);
    },
  );

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="create-task">
      <h2 id="create-task">New task</h2>
      <ErrorBanner error={error} />
      {subcortexes.length === 0 && <p class="muted">There is no active subcortex to file a task in yet.</p>}
      <Field id="task-subcortex" label="Subcortex" error={errors.subcortex}>
        <select {...describedBy('task-subcortex', errors.subcortex)} value={form.subcortex} onChange={(e) => set({ subcortex: e.currentTarget.value })}>
          {subcortexes.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="task-title" label="Title" error={errors.title}>
        <input {...describedBy('task-title', errors.title)} value={form.title} onInput={(e) => set({ title: e.currentTarget.value })} maxLength={300} />
      </Field>
      <Field id="task-description" label="Description (optional)" error={errors.description}>
        <textarea {...describedBy('task-description', errors.description)} rows={3} value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} />
      </Field>
      <Field id="task-assignee" label="Assign to" error={errors.assigneeId}>
        <AssigneeSelect id="task-assignee" error={errors.assigneeId} people={people} value={form.assigneeId} onChange={(assigneeId) => set({ assigneeId })} />
      </Field>
      <Field id="task-due" label="Due date (optional)" error={errors.dueAt}>
        <input type="date" {...describedBy('task-due', errors.dueAt)} value={form.due} onInput={(e) => set({ due: e.currentTarget.value })} />
      </Field>
      <button type="submit" disabled={busy || subcortexes.length === 0}>
        {busy ? 'Creating…' : 'Create task'}
      </button>
    </form>
  );
}

export function AssigneeSelect({ id, error, people, value, onChange }: { id: string; error?: string | undefined; people: Principal[]; value: string; onChange: (id: string) => void }) {
  return (
    <select {...describedBy(id, error)} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">Unassigned</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.displayName} (@{p.handle})
        </option>
      ))}
    </select>
  );
}
