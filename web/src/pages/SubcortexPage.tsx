import { useState } from 'preact/hooks';
import type { Thread } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { TemplatesPanel } from '../components/TemplatesPanel';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { formatTime } from '../format';
import { useLoad } from '../hooks';
import { can } from '../permissions';

export function SubcortexPage({ slug }: { slug: string }) {
  const { api } = useApp();
  const session = useSession();
  const [subcortex, setSubcortex] = useLoad((signal) => api.subcortexes.get(slug, signal), [slug]);
  const [activateError, setActivateError] = useState<unknown>(undefined);
  const threads = usePaged<Thread>((cursor, signal) => api.threads.list(slug, cursor, signal), (t) => t.id, [slug]);

  if (subcortex.state === 'failed') {
    return (
      <section>
        <h1>{slug}</h1>
        <ErrorBanner error={subcortex.error} />
      </section>
    );
  }
  const s = subcortex.state === 'loaded' ? subcortex.value : undefined;
  const open = s !== undefined && (s.state === 'active' || s.state === 'proposed');
  const decide = async (decision: 'activate' | 'decline') => {
    if (!s) {
      return;
    }
    setActivateError(undefined);
    try {
      setSubcortex(decision === 'activate' ? await api.subcortexes.setState(s.slug, 'active', s.version) : await api.subcortexes.decline(s.slug));
    } catch (failure) {
      setActivateError(failure);
    }
  };
  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'subcortexes' }}>Subcortexes</Link> / <span aria-current="page">{slug}</span>
      </nav>
      <div class="page-head">
        <h1>{s?.name ?? slug}</h1>
        {open && can(session.principal.role, 'createThread') && (
          <Link class="button" to={{ name: 'newThread', slug }}>
            New thread
          </Link>
        )}
      </div>
      {s && (
        <p class="muted">
          <span class={`badge state-${s.state}`}>{s.state}</span>
          {s.isPrivate && <span class="badge">private</span>} {s.description}
        </p>
      )}
      {s?.state === 'proposed' && (
        <div class="panel" role="note">
          <p>This subcortex is proposed: a reviewer or admin makes it active, or declines it.</p>
          {can(session.principal.role, 'activateSubcortex') && (
            <div class="actions">
              <button type="button" onClick={() => void decide('activate')}>
                Activate subcortex
              </button>
              <button type="button" class="secondary" onClick={() => void decide('decline')}>
                Decline subcortex
              </button>
            </div>
          )}
          <ErrorBanner error={activateError} />
        </div>
      )}
      {s && !open && <p class="muted">This subcortex is {s.state} and takes no new threads.</p>}
      <p>
        <Link to={{ name: 'artifacts', slug }}>Artifacts in {slug}</Link> · <Link to={{ name: 'review', filter: { subcortex: slug } }}>Drafts in review</Link>
      </p>
      <h2>Threads</h2>
      <ul class="list" aria-label="Threads">
        {threads.list.items.map((t) => (
          <li key={t.id}>
            <Link to={{ name: 'thread', id: t.id }}>{t.title}</Link>{' '}
            <span class="badge">{t.kind}</span> <span class="muted">{formatTime(t.createdAt)}</span>
          </li>
        ))}
      </ul>
      <LoadMore paged={threads} noun="threads" />
      <TemplatesPanel slug={slug} canManage={open && can(session.principal.role, 'manageTemplates')} />
    </section>
  );
}
