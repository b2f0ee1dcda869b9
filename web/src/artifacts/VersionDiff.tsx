import { useState } from 'preact/hooks';
import type { ArtifactVersion } from '../api/types';
import { DiffView } from '../components/DiffView';
import { ErrorBanner } from '../components/ErrorBanner';
import { useApp } from '../context';
import { parseUnified } from '../diff/lines';
import { useLoad } from '../hooks';

interface Props {
  artifactId: string;
  versions: readonly ArtifactVersion[];
  /** The version being looked at; the diff starts as "what it is based on → it". */
  selected: ArtifactVersion;
}

/** The server's line diff between any two versions, chosen with two labelled selects. */
export function VersionDiff({ artifactId, versions, selected }: Props) {
  const { api } = useApp();
  const defaultFrom = selected.basedOn ?? versions.find((v) => v.number < selected.number)?.number ?? selected.number;
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(selected.number);
  const [diff] = useLoad((signal) => api.artifacts.diff(artifactId, from, to, signal), [artifactId, from, to]);
  const options = versions.map((v) => (
    <option key={v.number} value={v.number}>
      v{v.number} ({v.state})
    </option>
  ));
  return (
    <section aria-labelledby="diff-heading">
      <h2 id="diff-heading">Compare versions</h2>
      <div class="filters">
        <label>
          From
          <select value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
            {options}
          </select>
        </label>
        <label>
          To
          <select value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
            {options}
          </select>
        </label>
      </div>
      {diff.state === 'loading' && <p class="muted">Comparing…</p>}
      {diff.state === 'failed' && <ErrorBanner error={diff.error} />}
      {diff.state === 'loaded' && <DiffView blocks={parseUnified(diff.value.unified)} label={`v${from} → v${to}`} />}
    </section>
  );
}
