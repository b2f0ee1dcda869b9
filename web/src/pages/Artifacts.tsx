import { useState } from 'preact/hooks';
import type { Artifact } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { LoadMore } from '../components/LoadMore';
import { TrustBadge } from '../components/TrustBadge';
import { usePaged } from '../components/usePaged';
import { useApp, useSession } from '../context';
import { useFormSubmit } from '../formSubmit';
import { formatTime } from '../format';
import { useIdempotencyKey } from '../hooks';
import { can } from '../permissions';
import { isLine, isSlug, limits, type Errors } from '../validation';

/** A subcortex's artifacts (runbooks, decisions, specs), with their canon badge, and a form to start one. */
export function Artifacts({ slug }: { slug: string }) {
  const { api } = useApp();
  const session = useSession();
  const paged = usePaged<Artifact>((cursor, signal) => api.artifacts.list(slug, cursor, signal), (a) => a.id, [slug]);
  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'subcortexes' }}>Subcortexes</Link> / <Link to={{ name: 'subcortex', slug }}>{slug}</Link> /{' '}
        <span aria-current="page">Artifacts</span>
      </nav>
      <h1>Artifacts in {slug}</h1>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Artifacts</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Canon</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={{ name: 'artifact', id: a.id }}>{a.title}</Link>
                </td>
                <td>{a.kind}</td>
                <td>
                  <span class={`badge artifact-${a.state}`}>{a.state}</span>
                </td>
                <td>{a.canonVersion ? <><TrustBadge trust="canon" /> v{a.canonVersion}</> : <span class="muted">none yet</span>}</td>
                <td>{formatTime(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore paged={paged} noun="artifacts" />
      {can(session.principal.role, 'createArtifact') && <CreateArtifact slug={slug} />}
    </section>
  );
}

function CreateArtifact({ slug }: { slug: string }) {
  const { api, navigate } = useApp();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState('runbook');
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const { errors, error, busy, submit } = useFormSubmit<'title' | 'kind'>(
    () => {
      const found: Errors<'title' | 'kind'> = {};
      if (!isLine(title, limits.title)) {
        found.title = `Required: a single line of at most ${limits.title} characters.`;
      }
      if (!isSlug(kind)) {
        found.kind = 'A kind such as runbook, decision or spec (lowercase letters, digits, inner hyphens).';
      }
      return found;
    },
    async () => {
      const created = await api.artifacts.create({ subcortex: slug, title, kind }, idempotencyKey);
      renewKey();
      navigate({ name: 'artifact', id: created.id });
      return 'leaving';
    },
  );

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="new-artifact">
      <h2 id="new-artifact">New artifact</h2>
      <ErrorBanner error={error} />
      <Field id="artifact-title" label="Artifact title" error={errors.title}>
        <input {...describedBy('artifact-title', errors.title)} maxLength={limits.title} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field id="artifact-kind" label="Artifact kind" error={errors.kind} hint="runbook, decision, spec… Templates may require sections and evidence per kind.">
        <input {...describedBy('artifact-kind', errors.kind, true)} list="artifact-kinds" value={kind} onInput={(e) => setKind(e.currentTarget.value)} />
      </Field>
      <datalist id="artifact-kinds">
        <option value="runbook" />
        <option value="decision" />
        <option value="spec" />
      </datalist>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create artifact'}
      </button>
    </form>
  );
}
