import { useEffect, useState } from 'preact/hooks';
import type { QuarantineRecord, ReindexRun, Subcortex } from '../api/types';
import { isFinished, pollDelay, reindexProgress } from '../admin/reindex';
import { Author } from '../components/Author';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { LoadMore } from '../components/LoadMore';
import { ProgressBar } from '../components/ProgressBar';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { formatTime } from '../format';
import { useIdempotencyKey, useLoad } from '../hooks';
import { loadAll } from '../pagination';
import { can } from '../permissions';
import type { Errors } from '../validation';

/** Operations: reindex with a progress bar (admins) and the quarantine list (reviewers and admins). */
export function AdminOperations({ run }: { run: string | undefined }) {
  const session = useSession();
  const admin = can(session.principal.role, 'administer');
  return (
    <section>
      <h1>Operations</h1>
      {admin ? <Reindex runId={run} /> : <p class="muted">Only admins reindex; the server refuses it to other roles.</p>}
      <Quarantine />
    </section>
  );
}

function Reindex({ runId }: { runId: string | undefined }) {
  const { api, navigate } = useApp();
  const [subcortexes] = useLoad(() => loadAll<Subcortex>((cursor, signal) => api.subcortexes.list(cursor, signal), (s) => s.id), []);
  const [subcortex, setSubcortex] = useState('');
  const [targets, setTargets] = useState<string[]>(['embeddings', 'fulltext']);
  const [run, setRun] = useState<ReindexRun | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  // Follows the run named in the address, so a reload keeps showing its progress.
  useEffect(() => {
    if (!runId) {
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const current = await api.operations.reindexRun(runId, controller.signal);
        setRun(current);
        setError(undefined);
        const delay = pollDelay(current);
        if (delay !== undefined) {
          timer = setTimeout(() => void poll(), delay);
        }
      } catch (failure) {
        if (!controller.signal.aborted) {
          setError(failure);
          // A passing network failure should not end the watch.
          timer = setTimeout(() => void poll(), 5_000);
        }
      }
    };
    void poll();
    return () => {
      controller.abort();
      if (timer !== undefined) {
        clearTimeout(timer);
      }
    };
  }, [runId]);

  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const started = await api.operations.reindex({ ...(subcortex ? { subcortex } : {}), targets });
      setRun(started);
      navigate({ name: 'operations', run: started.id }, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (target: string) => setTargets((t) => (t.includes(target) ? t.filter((x) => x !== target) : [...t, target]));
  const progress = run ? reindexProgress(run) : undefined;
  const running = run !== undefined && !isFinished(run);

  return (
    <section class="panel" aria-labelledby="reindex-heading">
      <h2 id="reindex-heading">Reindex</h2>
      <p class="muted">Recomputes embeddings and full-text vectors; the worker does the work in chunks and resumes after a crash.</p>
      <ErrorBanner error={error} />
      <form onSubmit={start} noValidate aria-label="Start a reindex">
        <Field id="reindex-subcortex" label="Scope">
          <select id="reindex-subcortex" value={subcortex} onChange={(e) => setSubcortex(e.currentTarget.value)}>
            <option value="">Every subcortex</option>
            {subcortexes.state === 'loaded' &&
              subcortexes.value.map((s) => (
                <option key={s.id} value={s.slug}>
                  {s.slug}
                </option>
              ))}
          </select>
        </Field>
        <fieldset class="modes">
          <legend>What to rebuild</legend>
          {['embeddings', 'fulltext'].map((t) => (
            <label key={t}>
              <input type="checkbox" checked={targets.includes(t)} onChange={() => toggle(t)} /> {t}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || running || targets.length === 0}>
            {running ? 'Reindex running…' : 'Start reindex'}
          </button>
        </div>
      </form>
      {run && progress && (
        <div class="reindex-run" data-testid="reindex-run">
          <ProgressBar label={`Reindex ${run.id}`} value={progress.value} max={progress.max} />
          <p role="status">
            <span class={`badge run-${run.state}`}>{run.state}</span> {progress.label}
          </p>
          <p class="muted">
            Started {formatTime(run.createdAt)} by <Author id={run.requestedBy} />; targets {run.targets.join(', ')}
            {run.finishedAt ? `; finished ${formatTime(run.finishedAt)}` : ''}.
          </p>
        </div>
      )}
    </section>
  );
}

const quarantineEntities = [
  ['thread', 'thread'],
  ['comment', 'comment'],
  ['observation', 'observation'],
  ['artifactVersion', 'artifact version ({artifactId}:{number})'],
] as const;

function Quarantine() {
  const { api } = useApp();
  const [active, setActive] = useState(true);
  const paged = usePaged<QuarantineRecord>((cursor, signal) => api.quarantine.list(active, cursor, signal), (q) => q.id, [active]);
  return (
    <section aria-labelledby="quarantine-heading">
      <h2 id="quarantine-heading">Quarantine</h2>
      <p class="muted">Quarantined items are hidden from search and from agents' replicas until a reviewer lifts the quarantine.</p>
      <QuarantineForm onCreated={(q) => active && paged.prepend(q)} />
      <div class="filters">
        <label>
          Show
          <select value={active ? 'active' : 'lifted'} onChange={(e) => setActive(e.currentTarget.value === 'active')}>
            <option value="active">Active quarantines</option>
            <option value="lifted">Lifted quarantines</option>
          </select>
        </label>
      </div>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{active ? 'Active quarantines' : 'Lifted quarantines'}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((q) => (
              <QuarantineRow key={q.id} record={q} onLifted={(lifted) => paged.replaceAll(paged.list.items.filter((i) => i.id !== lifted.id))} />
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore paged={paged} noun="quarantines" />
    </section>
  );
}

function QuarantineRow({ record, onLifted }: { record: QuarantineRecord; onLifted: (q: QuarantineRecord) => void }) {
  const { api } = useApp();
  const [lifting, setLifting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const lift = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      onLifted(await api.quarantine.lift(record.id, reason.trim() || undefined));
    } catch (failure) {
      setError(failure);
    }
  };
  const id = `lift-${record.id}`;
  return (
    <tr>
      <td>
        <span class="badge">{record.entity}</span> <code>{record.entityId}</code>
      </td>
      <td>{record.reason}</td>
      <td>
        <Author id={record.quarantinedBy} />
      </td>
      <td>{formatTime(record.quarantinedAt)}</td>
      <td>
        {record.active &&
          (lifting ? (
            <form onSubmit={lift} aria-label={`Lift the quarantine of ${record.entityId}`}>
              <label for={id}>Why lift it (optional)</label>
              <input id={id} value={reason} maxLength={2000} onInput={(e) => setReason(e.currentTarget.value)} />
              <div class="actions">
                <button type="submit">Lift now</button>
                <button type="button" class="secondary" onClick={() => setLifting(false)}>
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <button type="button" class="secondary" onClick={() => setLifting(true)} aria-label={`Lift the quarantine of ${record.entityId}`}>
              Lift
            </button>
          ))}
        {!record.active && record.liftedAt && <span class="muted">lifted {formatTime(record.liftedAt)}</span>}
        <ErrorBanner error={error} />
      </td>
    </tr>
  );
}

function QuarantineForm({ onCreated }: { onCreated: (q: QuarantineRecord) => void }) {
  const { api } = useApp();
  const [entity, setEntity] = useState('thread');
  const [entityId, setEntityId] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const { errors, error, submit } = useFormSubmit<'entity' | 'entityId' | 'reason'>(
    () => {
      setDone('');
      const found: Errors<'entityId' | 'reason'> = {};
      if (entityId.trim() === '') {
        found.entityId = 'Required: the id of the item to quarantine.';
      }
      if (reason.trim() === '') {
        found.reason = 'Required: why it is quarantined.';
      }
      return found;
    },
    async () => {
      const created = await api.quarantine.create({ entity, entityId: entityId.trim(), reason: reason.trim() }, idempotencyKey);
      renewKey();
      setEntityId('');
      setReason('');
      setDone(`Quarantined ${created.entity} ${created.entityId}.`);
      onCreated(created);
    },
  );

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="quarantine-form-heading">
      <h3 id="quarantine-form-heading">Quarantine an item</h3>
      <ErrorBanner error={error} />
      {done && <p role="status">{done}</p>}
      <Field id="q-entity" label="Kind of item">
        <select id="q-entity" value={entity} onChange={(e) => setEntity(e.currentTarget.value)}>
          {quarantineEntities.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field id="q-id" label="Item id" error={errors.entityId}>
        <input {...describedBy('q-id', errors.entityId)} value={entityId} onInput={(e) => setEntityId(e.currentTarget.value)} />
      </Field>
      <Field id="q-reason" label="Reason" error={errors.reason}>
        <input {...describedBy('q-reason', errors.reason)} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
      <button type="submit">Quarantine</button>
    </form>
  );
}
