import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Draft, DraftFilter, Principal, Subcortex } from '../api/types';
import { Author } from '../components/Author';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { formatTime } from '../format';
import { useLoad } from '../hooks';
import { loadAll } from '../pagination';
import { can } from '../permissions';
import { DraftView } from '../review/DraftView';
import { draftLabel, landing } from '../review/landing';
import { currentId, initialQueue, queueKey, selectedIds, step, type QueueEvent, type QueueState } from '../review/queue';
import { QueueFilters } from '../review/QueueFilters';
import { RejectDialog } from '../review/RejectDialog';
import { Shortcuts } from '../review/Shortcuts';
import { useDecide } from '../review/useDecide';

/** The server's `state` filter: pending unless another state (or all) is asked for. */
function serverFilter(filter: DraftFilter): DraftFilter {
  const state = filter.state === 'all' ? undefined : (filter.state ?? 'pending');
  return { ...filter, state };
}

/**
 * The review queue: drafts oldest first, driven by the keyboard (shortcuts listed on the page) or the buttons.
 * Reviewers and admins see every draft they can read; anyone else sees only their own, without decisions.
 */
export function ReviewQueue({ filter }: { filter: DraftFilter }) {
  const { api, navigate } = useApp();
  const session = useSession();
  const me = session.principal;
  const reviewer = can(me.role, 'reviewDrafts');
  const key = JSON.stringify(filter);
  const pendingOnly = (filter.state ?? 'pending') === 'pending';

  const paged = usePaged<Draft>((cursor, signal) => api.drafts.list(serverFilter(filter), cursor, signal), (d) => d.id, [key]);
  const [lookups] = useLoad(
    async () => {
      const subcortexes = await loadAll<Subcortex>((cursor, signal) => api.subcortexes.list(cursor, signal), (s) => s.id);
      const principals = can(me.role, 'readPrincipals')
        ? await loadAll<Principal>((cursor, signal) => api.principals.list(cursor, signal), (p) => p.id)
        : undefined;
      return { subcortexes, principals };
    },
    [],
  );
  const subcortexes = lookups.state === 'loaded' ? lookups.value.subcortexes : [];
  const slugOf = useMemo(() => new Map(subcortexes.map((s) => [s.id, s.slug])), [subcortexes]);

  // Drafts decided here: hidden from a pending-only queue, shown with their outcome below it.
  const [decided, setDecided] = useState<Draft[]>([]);
  const decidedIds = useMemo(() => new Set(decided.map((d) => d.id)), [decided]);
  const drafts = useMemo(() => {
    const updated = new Map(decided.map((d) => [d.id, d]));
    return paged.list.items.filter((d) => !(pendingOnly && decidedIds.has(d.id))).map((d) => updated.get(d.id) ?? d);
  }, [paged.list.items, decided, pendingOnly]);
  const byId = useMemo(() => new Map(drafts.map((d) => [d.id, d])), [drafts]);

  const [queue, setQueue] = useState<QueueState>(initialQueue());
  const queueRef = useRef(queue);
  queueRef.current = queue;
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  // The draft being edited, by id: moving to another draft ends editing without an effect that could race a key press.
  const [editingId, setEditingId] = useState<string | undefined>(undefined);
  const { decide, busy } = useDecide();
  const busyRef = useRef(false);
  busyRef.current = busy;

  const describe = (id: string) => {
    const draft = byId.get(id);
    return draft ? draftLabel(draft) : `draft ${id}`;
  };

  useEffect(() => {
    const next = step(queueRef.current, { type: 'loaded', ids: drafts.map((d) => d.id) }).state;
    queueRef.current = next;
    setQueue(next);
  }, [drafts]);

  const decidable = (id: string) => {
    const draft = byId.get(id);
    return reviewer && draft !== undefined && draft.state === 'pending' && draft.authorId !== me.id;
  };

  /** Why an event that decides drafts is refused before it opens a dialog or reaches the server, if it is. */
  const refuse = (event: QueueEvent): string | undefined => {
    const deciding =
      event.type === 'approveSelected' ||
      event.type === 'rejectSelected' ||
      event.type === 'toggle' ||
      (event.type === 'key' && ['approve', 'reject', 'approveSelected', 'rejectSelected', 'toggle'].includes(event.key));
    if (deciding && !reviewer) {
      return 'Only reviewers and admins decide drafts.';
    }
    const current = currentId(queueRef.current);
    if (event.type === 'key' && (event.key === 'approve' || event.key === 'reject') && current !== undefined && !decidable(current)) {
      return byId.get(current)?.authorId === me.id ? 'You wrote this draft; another reviewer decides it.' : 'This draft is already decided.';
    }
    return undefined;
  };

  const run = async (event: QueueEvent) => {
    const refusal = refuse(event);
    if (refusal) {
      setAnnouncement(refusal);
      return;
    }
    const result = step(queueRef.current, event, describe);
    const command = result.command;
    if (command && command.kind !== 'edit' && busyRef.current) {
      setAnnouncement('Still working on the last decision…');
      return;
    }
    if (command?.kind === 'edit') {
      const draft = byId.get(command.id);
      if (!draft || draft.state !== 'pending' || !(reviewer || draft.authorId === me.id)) {
        setAnnouncement('Only pending drafts are edited, by their author or a reviewer.');
        return;
      }
    }
    queueRef.current = result.state;
    setQueue(result.state);
    if (result.announce) {
      setAnnouncement(result.announce);
    }
    if (!command) {
      return;
    }
    if (command.kind === 'edit') {
      setEditingId(command.id);
      return;
    }
    // Drafts one wrote (or that were decided meanwhile) are left out of a batch rather than refused one by one.
    const ids = command.ids.filter(decidable);
    const skipped = command.ids.length - ids.length;
    if (ids.length === 0) {
      setAnnouncement('You cannot decide these drafts: you wrote them, or they are already decided.');
      return;
    }
    setError(undefined);
    const outcome = command.kind === 'approve' ? await decide(ids, 'approve') : await decide(ids, 'reject', command.reason);
    setError(outcome.error);
    setAnnouncement(skipped > 0 ? `${outcome.message} ${skipped} skipped: you wrote them, or they are already decided.` : outcome.message);
    if (outcome.decided.length > 0) {
      setDecided((list) => [...outcome.decided, ...list.filter((d) => !outcome.decided.some((o) => o.id === d.id))]);
      if (pendingOnly) {
        const next = step(queueRef.current, { type: 'decided', ids: outcome.decided.map((d) => d.id) }).state;
        queueRef.current = next;
        setQueue(next);
      }
      setEditingId(undefined);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (queueRef.current.rejecting || event.defaultPrevented) {
        return;
      }
      const key = queueKey({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target: event.target instanceof HTMLElement ? event.target : null,
      });
      if (key) {
        event.preventDefault();
        void run({ type: 'key', key });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const current = currentId(queue);
  useEffect(() => {
    if (current) {
      document.getElementById(`queue-item-${current}`)?.scrollIntoView({ block: 'nearest' });
    }
  }, [current]);

  const currentDraft = current ? byId.get(current) : undefined;
  const selected = selectedIds(queue);

  return (
    <section class="review-queue">
      <h1>Review queue</h1>
      <p class="muted">
        {reviewer
          ? 'Drafts waiting for a decision, oldest first. Approving publishes a draft where it belongs; rejecting sends the author your reason.'
          : 'Your drafts and their review state. Reviewers and admins decide them.'}
      </p>
      <QueueFilters
        filter={filter}
        subcortexes={subcortexes}
        principals={lookups.state === 'loaded' ? lookups.value.principals : undefined}
        onChange={(f) => navigate({ name: 'review', filter: f }, { replace: true })}
      />
      <Shortcuts reviewer={reviewer} />
      <p class="announcer" role="status" aria-live="polite" data-testid="queue-status">
        {announcement}
      </p>
      <ErrorBanner error={error} />
      {reviewer && (
        <div class="batch-bar" role="group" aria-label="Selected drafts">
          <span>{selected.length} selected</span>
          <button type="button" disabled={selected.length === 0 || busy} onClick={() => void run({ type: 'approveSelected' })}>
            Approve selected
          </button>
          <button type="button" class="danger" disabled={selected.length === 0 || busy} onClick={() => void run({ type: 'rejectSelected' })}>
            Reject selected
          </button>
        </div>
      )}
      <div class="queue-layout">
        <ol class="queue" aria-label="Drafts">
          {drafts.map((draft) => {
            const isCurrent = draft.id === current;
            const label = draftLabel(draft);
            return (
              <li key={draft.id} id={`queue-item-${draft.id}`} class={`queue-item${isCurrent ? ' current' : ''}`} aria-current={isCurrent ? 'true' : undefined}>
                {reviewer && draft.state === 'pending' && (
                  <input
                    type="checkbox"
                    aria-label={`Select ${label}`}
                    checked={queue.selected.has(draft.id)}
                    onChange={() => void run({ type: 'toggle', id: draft.id })}
                  />
                )}
                <button type="button" class="linkish" aria-pressed={isCurrent} onClick={() => void run({ type: 'focus', id: draft.id })}>
                  {label}
                </button>
                <span class="muted">
                  {' '}
                  {slugOf.get(draft.subcortexId) ?? ''} · {draft.authorId ? <Author id={draft.authorId} /> : ''} · {formatTime(draft.createdAt)}
                </span>
                {draft.state !== 'pending' && <span class={`badge draft-${draft.state}`}>{draft.state}</span>}
              </li>
            );
          })}
        </ol>
        <LoadMore paged={paged} noun="drafts" />
      </div>
      {currentDraft && (
        <div class="current-draft">
          <DraftView
            key={currentDraft.id}
            draft={currentDraft}
            slug={slugOf.get(currentDraft.subcortexId)}
            editing={editingId === currentDraft.id}
            setEditing={(on) => setEditingId(on ? currentDraft.id : undefined)}
            onEdited={(d) => {
              paged.replaceAll(paged.list.items.map((i) => (i.id === d.id ? d : i)));
              setAnnouncement('Draft saved; approve it when ready.');
            }}
          />
          <DraftActions
            draft={currentDraft}
            mine={currentDraft.authorId === me.id}
            reviewer={reviewer}
            busy={busy}
            onApprove={() => void run({ type: 'key', key: 'approve' })}
            onReject={() => void run({ type: 'key', key: 'reject' })}
            onEdit={() => void run({ type: 'key', key: 'edit' })}
          />
        </div>
      )}
      {decided.length > 0 && (
        <section aria-labelledby="decided-heading" class="panel">
          <h2 id="decided-heading">Decided just now</h2>
          <ul class="list" aria-label="Decided just now">
            {decided.map((d) => {
              const to = landing(d);
              return (
                <li key={d.id}>
                  <span class={`badge draft-${d.state}`}>{d.state}</span> {draftLabel(d)}{' '}
                  {to && <Link to={to}>See where it landed</Link>}
                  {d.state === 'rejected' && d.reason && <span class="muted"> — {d.reason}</span>}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <RejectDialog
        count={queue.rejecting?.length}
        onConfirm={(reason) => void run({ type: 'confirmReject', reason })}
        onCancel={() => void run({ type: 'cancelReject' })}
      />
    </section>
  );
}

interface ActionProps {
  draft: Draft;
  mine: boolean;
  reviewer: boolean;
  busy: boolean;
  onApprove: () => void;
  onReject: () => void;
  onEdit: () => void;
}

/** Approve, reject and edit for the current draft; none of them for someone who may not use them. */
export function DraftActions({ draft, mine, reviewer, busy, onApprove, onReject, onEdit }: ActionProps) {
  if (draft.state !== 'pending') {
    return null;
  }
  const canEdit = reviewer || mine;
  return (
    <div class="actions draft-actions">
      {reviewer && !mine && (
        <>
          <button type="button" disabled={busy} onClick={onApprove} aria-keyshortcuts="a">
            Approve <kbd>a</kbd>
          </button>
          <button type="button" class="danger" disabled={busy} onClick={onReject} aria-keyshortcuts="r">
            Reject <kbd>r</kbd>
          </button>
        </>
      )}
      {canEdit && (
        <button type="button" class="secondary" disabled={busy} onClick={onEdit} aria-keyshortcuts="e">
          Edit <kbd>e</kbd>
        </button>
      )}
      {reviewer && mine && <p class="muted">You wrote this draft; another reviewer decides it.</p>}
    </div>
  );
}
