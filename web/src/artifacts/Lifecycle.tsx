import { useState } from 'preact/hooks';
import type { Artifact } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';
import { useApp } from '../context';
import { useLoad } from '../hooks';

interface Props {
  artifact: Artifact;
  slug: string;
  onChanged: (artifact: Artifact) => void;
}

/** Deprecate an artifact, or mark it superseded by another in the same subcortex (reviewers and admins). */
export function Lifecycle({ artifact, slug, onChanged }: Props) {
  const { api } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [by, setBy] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [others] = useLoad((signal) => api.artifacts.list(slug, undefined, signal), [slug]);
  const candidates = others.state === 'loaded' ? others.value.items.filter((a) => a.id !== artifact.id && a.state === 'active') : [];

  const act = async (change: () => Promise<Artifact>) => {
    setError(undefined);
    try {
      onChanged(await change());
    } catch (failure) {
      setError(failure);
    } finally {
      setConfirming(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Retire this artifact</h2>
      <ErrorBanner error={error} />
      <div class="actions">
        {confirming ? (
          <>
            <button type="button" class="danger" onClick={() => void act(() => api.artifacts.deprecate(artifact.id))}>
              Deprecate now
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirming(true)}>
            Deprecate
          </button>
        )}
      </div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (by) {
            void act(() => api.artifacts.supersede(artifact.id, by));
          }
        }}
      >
        <label>
          Superseded by
          <select value={by} onChange={(e) => setBy(e.currentTarget.value)}>
            <option value="">Choose an artifact…</option>
            {candidates.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary" disabled={!by}>
          Mark superseded
        </button>
      </form>
    </section>
  );
}
