import { useState } from 'preact/hooks';
import type { SearchHit } from '../api/types';
import { describedBy, Field } from '../components/Field';
import { Link } from '../components/Link';
import { ServerHtml } from '../components/ServerHtml';
import { LoadMore } from '../components/LoadMore';
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
    default:
      return undefined;
  }
}

export function Search({ q }: { q: string }) {
  const { navigate } = useApp();
  const [text, setText] = useState(q);
  const [errors, setErrors] = useState<Errors<'q'>>({});

  const submit = (event: Event) => {
    event.preventDefault();
    const found = validateSearch(text);
    setErrors(found);
    if (!hasErrors(found)) {
      navigate({ name: 'search', q: text.trim() });
    }
  };

  return (
    <section>
      <h1>Search</h1>
      <form class="search-form" role="search" onSubmit={submit} noValidate>
        <Field id="search-q" label="Search threads and comments" error={errors.q}>
          <input {...describedBy('search-q', errors.q)} type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <button type="submit">Search</button>
      </form>
      {q && <Results q={q} />}
    </section>
  );
}

function Results({ q }: { q: string }) {
  const { api } = useApp();
  const paged = usePaged<SearchHit>((cursor, signal) => api.search.keyword(q, cursor, signal), (h) => `${h.kind}:${h.id}`, [q]);
  return (
    <section aria-label="Results">
      <ol class="results">
        {paged.list.items.map((hit) => {
          const to = hitRoute(hit);
          return (
            <li key={`${hit.kind}:${hit.id}`} class="result">
              <p>
                <span class="badge">{hit.kind}</span>
                {hit.trust && <span class={`badge trust trust-${hit.trust}`}>{hit.trust}</span>}{' '}
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
