import { useState } from 'preact/hooks';
import type { Comment, Draft } from '../api/types';
import { threadDocument } from '../collab/documentIds';
import { AttachmentUploader } from '../components/AttachmentUploader';
import { Author } from '../components/Author';
import { EditTogether } from '../components/CollabEditor';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { MarkdownEditor } from '../components/MarkdownEditor';
import { ServerHtml } from '../components/ServerHtml';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { formatTime } from '../format';
import { useIdempotencyKey, useLoad } from '../hooks';
import { can } from '../permissions';
import { validateComment } from '../validation';

export function ThreadPage({ id }: { id: string }) {
  const { api } = useApp();
  const session = useSession();
  const [thread, setThread] = useLoad((signal) => api.threads.get(id, signal), [id]);
  const comments = usePaged<Comment>((cursor, signal) => api.comments.list(id, cursor, signal), (c) => c.id, [id]);

  if (thread.state === 'loading') {
    return (
      <p class="muted" role="status">
        Loading thread…
      </p>
    );
  }
  if (thread.state === 'failed') {
    return (
      <section>
        <h1>Thread</h1>
        <ErrorBanner error={thread.error} />
        <Link to={{ name: 'subcortexes' }}>Back to subcortexes</Link>
      </section>
    );
  }
  const t = thread.value;
  return (
    <article class="thread">
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'subcortexes' }}>Subcortexes</Link> / <span aria-current="page">Thread</span>
      </nav>
      <h1>{t.title}</h1>
      <p class="muted">
        <span class="badge">{t.kind}</span> by <Author id={t.authorId} /> · {formatTime(t.createdAt)}
      </p>
      <ServerHtml html={t.bodyHtml} class="thread-body" />
      <EditTogether
        documentId={threadDocument(t.id)}
        label="Thread body"
        readOnly={!(can(session.principal.role, 'editAnyThread') || (can(session.principal.role, 'editOwnThread') && t.authorId === session.principal.id))}
        onClose={() => void api.threads.get(t.id).then(setThread, () => undefined)}
      />
      {can(session.principal.role, 'createComment') && <AttachmentUploader threadId={t.id} />}
      <section aria-labelledby="comments-heading">
        <h2 id="comments-heading">Comments</h2>
        <ol class="comments" aria-label="Comments">
          {comments.list.items.map((c) => (
            <li key={c.id} class="comment">
              <p class="muted">
                <Author id={c.authorId} /> · {formatTime(c.createdAt)}
              </p>
              <ServerHtml html={c.bodyHtml} />
            </li>
          ))}
        </ol>
        <LoadMore paged={comments} noun="comments" />
        {can(session.principal.role, 'createComment') && <CommentForm threadId={t.id} onCreated={comments.append} />}
      </section>
    </article>
  );
}

function CommentForm({ threadId, onCreated }: { threadId: string; onCreated: (c: Comment) => void }) {
  const { api } = useApp();
  const [body, setBody] = useState('');
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [held, setHeld] = useState<Draft | undefined>(undefined);
  const { errors, error, busy, submit } = useFormSubmit<'body'>(
    () => validateComment(body),
    async () => {
      const answer = await api.comments.create(threadId, body, idempotencyKey);
      renewKey();
      setBody('');
      if (answer.held) {
        setHeld(answer.draft);
      } else {
        setHeld(undefined);
        onCreated(answer.item);
      }
    },
  );

  return (
    <form class="panel" onSubmit={submit} noValidate aria-label="New comment">
      <ErrorBanner error={error} />
      {held && (
        <p class="notice" role="status">
          Your comment was submitted for review (draft <code>{held.id}</code>); it appears here once a reviewer approves it.
        </p>
      )}
      <MarkdownEditor id="comment-body" label="Add a comment" value={body} onInput={setBody} error={errors.body} rows={5} />
      <button type="submit" disabled={busy}>
        {busy ? 'Posting…' : 'Post comment'}
      </button>
    </form>
  );
}
