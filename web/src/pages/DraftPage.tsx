import { useState } from 'preact/hooks';
import type { Draft } from '../api/types';
import { draftDocument } from '../collab/documentIds';
import { EditTogether } from '../components/CollabEditor';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { useApp, useSession } from '../context';
import { useLoad } from '../hooks';
import { can } from '../permissions';
import { DraftView } from '../review/DraftView';
import { RejectDialog } from '../review/RejectDialog';
import { useDecide } from '../review/useDecide';
import { DraftActions } from './ReviewQueue';

/** One draft, for its author and for reviewers: what it changes, and (for reviewers) the decision. */
export function DraftPage({ id }: { id: string }) {
  const { api } = useApp();
  const session = useSession();
  const [draft, setDraft] = useLoad((signal) => api.drafts.get(id, signal), [id]);
  const [subcortexes] = useLoad((signal) => api.subcortexes.list(undefined, signal), []);
  const [editing, setEditing] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const { decide, busy } = useDecide();
  const reviewer = can(session.principal.role, 'reviewDrafts');

  if (draft.state === 'loading') {
    return (
      <p class="muted" role="status">
        Loading draft…
      </p>
    );
  }
  if (draft.state === 'failed') {
    return (
      <section>
        <h1>Draft</h1>
        <ErrorBanner error={draft.error} />
        <Link to={{ name: 'review', filter: {} }}>Back to the review queue</Link>
      </section>
    );
  }
  const d: Draft = draft.value;
  const slug = subcortexes.state === 'loaded' ? subcortexes.value.items.find((s) => s.id === d.subcortexId)?.slug : undefined;

  const apply = async (action: 'approve' | 'reject', reason?: string) => {
    setError(undefined);
    const outcome = await decide([d.id], action, reason);
    setStatus(outcome.message);
    setError(outcome.error);
    const decided = outcome.decided[0];
    if (decided) {
      setDraft(decided);
    }
  };

  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'review', filter: {} }}>Review queue</Link> / <span aria-current="page">Draft</span>
      </nav>
      <h1>Draft</h1>
      <p role="status" class="announcer">
        {status}
      </p>
      <ErrorBanner error={error} />
      <DraftView draft={d} slug={slug} editing={editing} setEditing={setEditing} onEdited={setDraft} />
      {d.state === 'pending' && (reviewer || d.authorId === session.principal.id) && (
        <EditTogether
          documentId={draftDocument(d.id)}
          label="Draft body (live, shared with everyone editing it)"
          onClose={() => void api.drafts.get(d.id).then(setDraft, setError)}
        />
      )}
      <DraftActions
        draft={d}
        mine={d.authorId === session.principal.id}
        reviewer={reviewer}
        busy={busy}
        onApprove={() => void apply('approve')}
        onReject={() => setRejecting(true)}
        onEdit={() => setEditing(true)}
      />
      <RejectDialog
        count={rejecting ? 1 : undefined}
        onConfirm={(reason) => {
          setRejecting(false);
          void apply('reject', reason);
        }}
        onCancel={() => setRejecting(false)}
      />
    </section>
  );
}
