import type { EvidenceLink } from '../api/types';
import { evidenceKinds } from '../artifacts/evidence';

interface Props {
  id: string;
  links: EvidenceLink[];
  onChange: (links: EvidenceLink[]) => void;
  /** Messages per row index (client checks, or the server's `evidence[i]` errors). */
  errors?: Record<number, string>;
  /** The template's requirement, shown as a hint. */
  hint?: string | undefined;
}

/** Rows of {kind, target}: add, change and remove pieces of evidence, each row labelled for screen readers. */
export function EvidenceEditor({ id, links, onChange, errors = {}, hint }: Props) {
  const set = (i: number, link: EvidenceLink) => onChange(links.map((l, j) => (j === i ? link : l)));
  return (
    <fieldset class="evidence-editor">
      <legend>Evidence</legend>
      {hint && <p class="hint">{hint}</p>}
      {links.length === 0 && <p class="muted">No evidence yet.</p>}
      <ol>
        {links.map((link, i) => {
          const rowId = `${id}-${i}`;
          const error = errors[i];
          return (
            <li key={i} class={error ? 'invalid' : undefined}>
              <label for={`${rowId}-kind`} class="visually-hidden">
                Evidence {i + 1} kind
              </label>
              <select id={`${rowId}-kind`} value={link.kind} onChange={(e) => set(i, { ...link, kind: e.currentTarget.value })}>
                {evidenceKinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
              <label for={`${rowId}-target`} class="visually-hidden">
                Evidence {i + 1} id or URL
              </label>
              <input
                id={`${rowId}-target`}
                value={link.target}
                placeholder={link.kind === 'url' ? 'https://…' : `${link.kind} id`}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${rowId}-error` : undefined}
                onInput={(e) => set(i, { ...link, target: e.currentTarget.value })}
              />
              <button type="button" class="secondary" aria-label={`Remove evidence ${i + 1}`} onClick={() => onChange(links.filter((_, j) => j !== i))}>
                Remove
              </button>
              {error && (
                <p class="field-error" id={`${rowId}-error`}>
                  {error}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" class="secondary" onClick={() => onChange([...links, { kind: 'thread', target: '' }])}>
        Add evidence
      </button>
    </fieldset>
  );
}
