import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { Artifact, ArtifactVersion, Subcortex } from '../api/types';
import { acceptanceOf, type Acceptance } from '../artifacts/acceptance';
import { Lifecycle } from '../artifacts/Lifecycle';
import { ProposeVersion } from '../artifacts/ProposeVersion';
import { VersionDiff } from '../artifacts/VersionDiff';
import { artifactVersionDocument } from '../collab/documentIds';
import { Author } from '../components/Author';
import { EditTogether } from '../components/CollabEditor';
import { ErrorBanner } from '../components/ErrorBanner';
import { EvidenceList } from '../components/EvidenceList';
import { Link } from '../components/Link';
import { ServerHtml } from '../components/ServerHtml';
import { TrustBadge } from '../components/TrustBadge';
import { useApp, useSession } from '../context';
import { formatTime } from '../format';
import { useLoad } from '../hooks';
import { loadAll } from '../pagination';
import { can } from '../permissions';

/** An artifact: its versions, the one shown (canon unless another is asked for), diffs, proposals and the canon gate. */
export function ArtifactPage({ id, version }: { id: string; version: number | undefined }) {
  const { api } = useApp();
  const [generation, setGeneration] = useState(0);
  // Lives here, not in the view, so it survives the reload that follows an acceptance.
  const [status, setStatus] = useState('');
  const statusLine = (
    <p role="status" class="announcer">
      {status}
    </p>
  );
  const [data, setData] = useLoad(
    async (signal) => {
      const artifact = await api.artifacts.get(id, signal);
      const [versions, subcortexes] = await Promise.all([
        loadAll<ArtifactVersion>((cursor) => api.artifacts.versions(id, cursor, signal), (v) => String(v.number)),
        loadAll<Subcortex>((cursor) => api.subcortexes.list(cursor, signal), (s) => s.id),
      ]);
      const slug = subcortexes.find((s) => s.id === artifact.subcortexId)?.slug ?? '';
      const templates = slug ? await api.templates.list(slug, signal).catch(() => []) : [];
      const template = templates.find((t) => t.kind === artifact.kind) ?? templates.find((t) => t.kind === '*');
      return { artifact, versions, slug, template };
    },
    [id, generation],
  );

  if (data.state === 'loading') {
    return (
      <>
        {statusLine}
        <p class="muted">Loading artifact…</p>
      </>
    );
  }
  if (data.state === 'failed') {
    return (
      <section>
        <h1>Artifact</h1>
        <ErrorBanner error={data.error} />
      </section>
    );
  }
  const { artifact, versions, slug, template } = data.value;
  const setArtifact = (a: Artifact) => setData({ ...data.value, artifact: a });
  return (
    <>
      {statusLine}
      <ArtifactView
        key={`${artifact.id}:${generation}`}
        artifact={artifact}
        versions={versions}
        slug={slug}
        template={template}
        requested={version}
        reload={() => setGeneration((g) => g + 1)}
        announce={setStatus}
        setArtifact={setArtifact}
      />
    </>
  );
}

interface ViewProps {
  artifact: Artifact;
  versions: ArtifactVersion[];
  slug: string;
  template: Parameters<typeof ProposeVersion>[0]['template'];
  requested: number | undefined;
  reload: () => void;
  announce: (status: string) => void;
  setArtifact: (artifact: Artifact) => void;
}

function ArtifactView({ artifact, versions, slug, template, requested, reload, announce, setArtifact }: ViewProps) {
  const { api, navigate } = useApp();
  const session = useSession();
  const role = session.principal.role;
  const [proposing, setProposing] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>(undefined);
  const shownNumber = requested ?? artifact.canonVersion ?? artifact.latestVersion;
  const shown = versions.find((v) => v.number === shownNumber);
  const active = artifact.state === 'active';

  const accept = async (v: ArtifactVersion) => {
    setAcceptError(undefined);
    announce('');
    try {
      await api.artifacts.accept(artifact.id, v.number, v.revision);
      announce(`Version ${v.number} is now canon.`);
      reload();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 412) {
        // Someone edited it live since this page loaded: show the current text, to be read before accepting.
        announce(`${failure.message} The page now shows its current text.`);
        reload();
        return;
      }
      setAcceptError(failure);
    }
  };

  return (
    <article class="artifact">
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link to={{ name: 'subcortexes' }}>Subcortexes</Link> / {slug && <Link to={{ name: 'subcortex', slug }}>{slug}</Link>} /{' '}
        {slug && <Link to={{ name: 'artifacts', slug }}>Artifacts</Link>} / <span aria-current="page">{artifact.title}</span>
      </nav>
      <h1>{artifact.title}</h1>
      <p class="muted">
        <span class="badge">{artifact.kind}</span> <span class={`badge artifact-${artifact.state}`}>{artifact.state}</span>{' '}
        {artifact.canonVersion ? (
          <>
            <TrustBadge trust="canon" /> v{artifact.canonVersion}
          </>
        ) : (
          'No canon version yet'
        )}{' '}
        · started by <Author id={artifact.createdBy} />
      </p>
      {artifact.supersededBy && (
        <p class="notice">
          Superseded by <Link to={{ name: 'artifact', id: artifact.supersededBy }}>another artifact</Link>.
        </p>
      )}
      <ErrorBanner error={acceptError} />

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Versions</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">State</th>
                <th scope="col">Author</th>
                <th scope="col">Proposed</th>
                <th scope="col">Evidence</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.number} aria-current={v.number === shownNumber ? 'true' : undefined} data-testid={`version-${v.number}`}>
                  <td>
                    <Link to={{ name: 'artifact', id: artifact.id, version: v.number }}>v{v.number}</Link>
                    {v.basedOn ? <span class="muted"> (from v{v.basedOn})</span> : null}
                  </td>
                  <td>
                    <TrustBadge trust={v.state} />
                  </td>
                  <td>
                    <Author id={v.authorId} />
                  </td>
                  <td>{formatTime(v.createdAt)}</td>
                  <td>{v.evidence.length}</td>
                  <td>
                    <AcceptCell acceptance={acceptanceOf(artifact, v, session.principal)} number={v.number} onAccept={() => void accept(v)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {versions.length === 0 && <p class="muted">No versions yet.</p>}
      </section>

      {shown && (
        <section aria-labelledby="shown-heading" class="version">
          <h2 id="shown-heading">
            Version {shown.number} <TrustBadge trust={shown.state} />
          </h2>
          <p class="muted">
            by <Author id={shown.authorId} /> · {formatTime(shown.createdAt)}
            {shown.acceptedBy && (
              <>
                {' '}
                · accepted by <Author id={shown.acceptedBy} /> {formatTime(shown.acceptedAt)}
              </>
            )}
          </p>
          {shown.editors.length > 0 && (
            <p class="muted" data-testid="version-editors">
              Edited together by{' '}
              {shown.editors.map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <Author id={id} />
                </span>
              ))}{' '}
              (revision {shown.revision}); none of them accepts it into canon.
            </p>
          )}
          <ServerHtml html={shown.bodyHtml} class="version-body" />
          {active && shown.state === 'proposed' && can(role, 'proposeVersion') && (
            <EditTogether
              documentId={artifactVersionDocument(artifact.id, shown.number)}
              label={`Version ${shown.number} text (live, shared with everyone editing it)`}
              onClose={reload}
            />
          )}
          <h3>Evidence</h3>
          <EvidenceList evidence={shown.evidence} />
        </section>
      )}

      {active && can(role, 'proposeVersion') && !proposing && (
        <button type="button" onClick={() => setProposing(true)}>
          {shown ? (shown.state === 'canon' ? 'Edit canon (proposes a new version)' : `Propose a new version based on v${shown.number}`) : 'Propose the first version'}
        </button>
      )}
      {proposing && (
        <ProposeVersion
          artifactId={artifact.id}
          basis={shown}
          template={template}
          onCancel={() => setProposing(false)}
          onProposed={(v) => {
            setProposing(false);
            navigate({ name: 'artifact', id: artifact.id, version: v.number });
            reload();
          }}
        />
      )}

      {versions.length > 1 && shown && <VersionDiff key={shown.number} artifactId={artifact.id} versions={versions} selected={shown} />}

      {active && can(role, 'deprecateArtifact') && slug && <Lifecycle artifact={artifact} slug={slug} onChanged={setArtifact} />}
    </article>
  );
}

function AcceptCell({ acceptance, number, onAccept }: { acceptance: Acceptance; number: number; onAccept: () => void }) {
  switch (acceptance) {
    case 'accept':
      return (
        <button type="button" onClick={onAccept} aria-label={`Accept v${number} into canon`}>
          Accept into canon
        </button>
      );
    case 'own':
      return <span class="muted">Yours: another reviewer accepts it</span>;
    case 'coEdited':
      return <span class="muted">You co-edited it: another reviewer accepts it</span>;
    case 'none':
      return null;
  }
}
