import { useState } from 'preact/hooks';
import { searchModes, type SearchHit, type SearchMode } from '../api/types';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { ServerHtml } from '../components/ServerHtml';
import { LoadMore } from '../components/LoadMore';
import { TrustBadge } from '../components/TrustBadge';
import { usePaged } from '../components/usePaged';
import { useApp } from '../context';
import { formatTime } from '../format';
import type { Route } from '../router';
import { hasErrors, validateSearch, type Errors } from '../validation';

/** Where a hit leads: threads and comments to their thread; kinds this UI does not know yet lead nowhere. */
export function hitRoute(hit: SearchHit): Route | undefined {
  switch (hit.kind) {
    case 'thread':
    case 'comment':
      return hit.threadId ? { name: 'thread', id: hit.threadId } : undefined;
    case 'artifact':
      return { name: 'artifact', id: hit.id };
    default:
      return undefined;
  }
}

const modeHints: Readonly<Record<SearchMode, string>> = {
  keyword: 'exact words',
  semantic: 'meaning',
  hybrid: 'words and meaning',
};

export function Search({ q, mode = 'keyword' }: { q: string; mode?: SearchMode }) {
  const { navigate } = useApp();
  const [text, setText] = useState(q);
  const [chosen, setChosen] = useState<SearchMode>(mode);
  const [errors, setErrors] = useState<Errors<'q'>>({});

  const submit = (event: Event) => {
    event.preventDefault();
    const found = validateSearch(text);
    setErrors(found);
    if (!hasErrors(found)) {
      navigate({ name: 'search', q: text.trim(), mode: chosen });
    }
  };

  return (
    <section>
      <h1>Search</h1>
      <form class="search-form" role="search" onSubmit={submit} noValidate>
        <Field id="search-q" label="Search threads and comments" error={errors.q}>
          <input {...describedBy('search-q', errors.q)} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <fieldset class="modes">
          <legend>Mode</legend>
          {searchModes.map((m) => (
            <label key={m}>
              <input type="radio" name="search-mode" value={m} checked={chosen === m} onChange={() => setChosen(m)} /> {m}{' '}
              <span class="muted">({modeHints[m]})</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">Search</button>
      </form>
      {q && <Results q={q} mode={mode} />}
    </section>
  );
}

function Results({ q, mode }: { q: string; mode: SearchMode }) {
  const { api } = useApp();
  // A mode the server does not offer comes back as its problem detail, shown by LoadMore; nothing is made up here.
  const paged = usePaged<SearchHit>((cursor, signal) => api.searchModes.query(q, mode, cursor, signal), (h) => `${h.kind}:${h.id}`, [q, mode]);
  return (
    <section aria-label="Results">
      <ol class="results">
        {paged.list.items.map((hit) => {
          const to = hitRoute(hit);
          return (
            <li key={`${hit.kind}:${hit.id}`} class="result">
              <p>
                <span class="badge">{hit.kind}</span>
                <TrustBadge trust={hit.trust} />
                {hit.stale && <TrustBadge trust="stale" />}{' '}
                {to ? <Link to={to}>{hit.title || '(untitled)'}</Link> : <span>{hit.title}</span>}
              </p>
              {/* The server escapes the snippet and adds only <mark>; it is never built from raw input here. */}
              <ServerHtml html={hit.snippetHtml} class="snippet" />
              <p class="muted">
                <Link to={{ name: 'subcortex', slug: hit.subcortex }}>{hit.subcortex}</Link> · {formatTime(hit.updatedAt)}
              </p>
            </li>
          );
        })}
      </ol>
      <LoadMore paged={paged} noun="results" />
    </section>
  );
}
