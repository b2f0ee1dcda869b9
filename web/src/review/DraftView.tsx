import { useState } from 'preact/hooks';
import { ApiError, fieldMessages } from '../api/problem';
import type { Draft, EvidenceLink } from '../api/types';
import { cleanEvidence, validateEvidence } from '../artifacts/evidence';
import { Author } from '../components/Author';
import { DiffView } from '../components/DiffView';
import { ErrorBanner } from '../components/ErrorBanner';
import { EvidenceEditor } from '../components/EvidenceEditor';
import { EvidenceList } from '../components/EvidenceList';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { MarkdownEditor } from '../components/MarkdownEditor';
import { ServerHtml } from '../components/ServerHtml';
import { TrustBadge } from '../components/TrustBadge';
import { useApp } from '../context';
import { diffLines, withContext } from '../diff/lines';
import { formatTime } from '../format';
import { useLoad } from '../hooks';
import { landing } from './landing';

interface Props {
  draft: Draft;
  /** The subcortex's slug, when known. */
  slug: string | undefined;
  editing: boolean;
  setEditing: (editing: boolean) => void;
  onEdited: (draft: Draft) => void;
}

/** A draft and what it would change: a new thread's body, a comment in its thread, an artifact version against canon. */
export function DraftView({ draft, slug, editing, setEditing, onEdited }: Props) {
  const to = landing(draft);
  return (
    <article class="draft" aria-labelledby={`draft-${draft.id}-title`} data-testid="draft-view">
      <h2 id={`draft-${draft.id}-title`}>{draft.title || (draft.kind === 'comment' ? 'New comment' : draft.kind === 'artifactVersion' ? 'New artifact version' : 'Draft')}</h2>
      <p class="muted">
        <span class="badge">{draft.kind === 'artifactVersion' ? 'artifact version' : draft.kind}</span>{' '}
        <span class={`badge draft-${draft.state}`}>{draft.state}</span> by {draft.authorId ? <Author id={draft.authorId} /> : 'unknown'} · {formatTime(draft.createdAt)}
        {slug && (
          <>
            {' '}
            · in <Link to={{ name: 'subcortex', slug }}>{slug}</Link>
          </>
        )}
      </p>
      {draft.state === 'rejected' && draft.reason && (
        <p class="notice">
          Rejected: <span data-testid="reject-reason">{draft.reason}</span>
        </p>
      )}
      {to && (
        <p class="notice" role="status">
          Approved. <Link to={to}>See where it landed</Link>
        </p>
      )}
      {editing ? (
        <DraftEditor draft={draft} onCancel={() => setEditing(false)} onSaved={(d) => {
            setEditing(false);
            onEdited(d);
          }} />
      ) : draft.kind === 'comment' ? (
        <CommentChange draft={draft} />
      ) : draft.kind === 'artifactVersion' ? (
        <ArtifactChange draft={draft} />
      ) : draft.threadId ? (
        <ThreadEditChange draft={draft} />
      ) : (
        <ThreadChange draft={draft} slug={slug} />
      )}
    </article>
  );
}

/** The draft's markdown as the server renders and sanitizes it; the source is never inserted as HTML. */
function RenderedBody({ body }: { body: string }) {
  const { api } = useApp();
  const [html] = useLoad((signal) => api.markdown.preview(body, signal), [body]);
  if (html.state === 'loading') {
    return <p class="muted">Rendering…</p>;
  }
  if (html.state === 'failed') {
    return (
      <>
        <ErrorBanner error={html.error} />
        <pre class="source">{body}</pre>
      </>
    );
  }
  return <ServerHtml html={html.value.html} class="draft-body" />;
}

function ThreadChange({ draft, slug }: { draft: Draft; slug: string | undefined }) {
  return (
    <section aria-label="What it changes">
      <p>
        A new {draft.threadKind ?? 'thread'} thread{slug ? ` in ${slug}` : ''}:
      </p>
      <div class="change-new">
        <RenderedBody body={draft.body} />
      </div>
    </section>
  );
}

/** A thread draft that names its thread proposes an edit of it: the title, kind and body it would replace. */
function ThreadEditChange({ draft }: { draft: Draft }) {
  const { api } = useApp();
  const threadId = draft.threadId ?? '';
  const [thread] = useLoad((signal) => api.threads.get(threadId, signal), [threadId]);
  if (thread.state === 'loading') {
    return <p class="muted">Loading the thread…</p>;
  }
  if (thread.state === 'failed') {
    return <ErrorBanner error={thread.error} />;
  }
  const t = thread.value;
  return (
    <section aria-label="What it changes">
      <p>
        An edit of <Link to={{ name: 'thread', id: t.id }}>{t.title}</Link>:
      </p>
      {draft.title && draft.title !== t.title && (
        <p>
          Title: <del>{t.title}</del> → <ins>{draft.title}</ins>
        </p>
      )}
      {draft.threadKind && draft.threadKind !== t.kind && (
        <p>
          Kind: <del>{t.kind}</del> → <ins>{draft.threadKind}</ins>
        </p>
      )}
      <DiffView blocks={withContext(diffLines(t.body, draft.body))} label={`the thread (v${t.version}) → this draft`} />
    </section>
  );
}

function CommentChange({ draft }: { draft: Draft }) {
  const { api } = useApp();
  const threadId = draft.threadId ?? '';
  const [context] = useLoad(
    async (signal) => {
      const [thread, comments] = await Promise.all([api.threads.get(threadId, signal), api.comments.list(threadId, undefined, signal)]);
      return { thread, comments: comments.items };
    },
    [threadId],
  );
  if (context.state === 'loading') {
    return <p class="muted">Loading the thread…</p>;
  }
  if (context.state === 'failed') {
    return (
      <section aria-label="What it changes">
        <ErrorBanner error={context.error} />
        <div class="change-new">
          <RenderedBody body={draft.body} />
        </div>
      </section>
    );
  }
  const { thread, comments } = context.value;
  const recent = comments.slice(-3);
  return (
    <section aria-label="What it changes">
      <p>
        A new comment on <Link to={{ name: 'thread', id: thread.id }}>{thread.title}</Link>:
      </p>
      <details class="context">
        <summary>The thread’s body</summary>
        <ServerHtml html={thread.bodyHtml} />
      </details>
      {comments.length > recent.length && <p class="muted">{comments.length - recent.length} earlier comments not shown.</p>}
      <ol class="comments" aria-label="Latest comments in the thread">
        {recent.map((c) => (
          <li key={c.id} class="comment">
            <p class="muted">
              <Author id={c.authorId} /> · {formatTime(c.createdAt)}
            </p>
            <ServerHtml html={c.bodyHtml} />
          </li>
        ))}
        <li class="comment change-new" aria-label="The new comment">
          <p class="muted">
            New comment by {draft.authorId ? <Author id={draft.authorId} /> : 'unknown'}
          </p>
          <RenderedBody body={draft.body} />
        </li>
      </ol>
    </section>
  );
}

function ArtifactChange({ draft }: { draft: Draft }) {
  const { api } = useApp();
  const artifactId = draft.artifactId ?? '';
  const [context] = useLoad(
    async (signal) => {
      const artifact = await api.artifacts.get(artifactId, signal);
      const canon = artifact.canonVersion ? await api.artifacts.version(artifactId, artifact.canonVersion, signal) : undefined;
      return { artifact, canon };
    },
    [artifactId],
  );
  if (context.state === 'loading') {
    return <p class="muted">Loading the artifact…</p>;
  }
  if (context.state === 'failed') {
    return <ErrorBanner error={context.error} />;
  }
  const { artifact, canon } = context.value;
  const blocks = withContext(diffLines(canon?.body ?? '', draft.body));
  return (
    <section aria-label="What it changes">
      <p>
        A new version of <Link to={{ name: 'artifact', id: artifact.id }}>{artifact.title}</Link> ({artifact.kind}),{' '}
        {canon ? (
          <>
            compared with canon v{canon.number} <TrustBadge trust="canon" />
          </>
        ) : (
          'which has no canon version yet'
        )}
        :
      </p>
      <DiffView blocks={blocks} label={canon ? `canon v${canon.number} → this draft` : 'empty → this draft'} />
      <h3>Evidence</h3>
      <EvidenceList evidence={draft.evidence} />
    </section>
  );
}

function DraftEditor({ draft, onCancel, onSaved }: { draft: Draft; onCancel: () => void; onSaved: (draft: Draft) => void }) {
  const { api } = useApp();
  const [title, setTitle] = useState(draft.title ?? '');
  const [body, setBody] = useState(draft.body);
  const [evidence, setEvidence] = useState<EvidenceLink[]>(draft.evidence ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [evidenceErrors, setEvidenceErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const isThread = draft.kind === 'thread';
  const isArtifact = draft.kind === 'artifactVersion';

  const submit = async (event: Event) => {
    event.preventDefault();
    const links = cleanEvidence(evidence);
    const found = isArtifact ? validateEvidence(links) : {};
    setEvidenceErrors(found);
    const fieldErrors: Record<string, string> = {};
    if (isThread && title.trim() === '') {
      fieldErrors.title = 'Required: a title.';
    }
    if (body.trim() === '') {
      fieldErrors.body = 'Required: the body.';
    }
    setErrors(fieldErrors);
    setError(undefined);
    if (Object.keys(found).length > 0 || Object.keys(fieldErrors).length > 0) {
      return;
    }
    setBusy(true);
    try {
      const edited = await api.drafts.edit(draft.id, {
        ...(isThread ? { title } : {}),
        body,
        ...(isArtifact ? { evidence: links } : {}),
        version: draft.version ?? 1,
      });
      onSaved(edited);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) {
        setErrors(fieldMessages(failure.problem));
      }
    } finally {
      setBusy(false);
    }
  };

  const id = `edit-${draft.id}`;
  return (
    <form class="panel" onSubmit={submit} noValidate aria-label="Edit the draft">
      <ErrorBanner error={error} />
      {isThread && (
        <Field id={`${id}-title`} label="Draft title" error={errors.title}>
          <input {...describedBy(`${id}-title`, errors.title)} value={title} maxLength={300} onInput={(e) => setTitle(e.currentTarget.value)} />
        </Field>
      )}
      <MarkdownEditor id={`${id}-body`} label="Draft body" value={body} onInput={setBody} error={errors.body} rows={10} />
      {isArtifact && <EvidenceEditor id={`${id}-evidence`} links={evidence} onChange={setEvidence} errors={evidenceErrors} />}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
