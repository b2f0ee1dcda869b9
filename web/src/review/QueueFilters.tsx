import type { DraftFilter, Principal, Subcortex } from '../api/types';
import { draftKinds } from '../api/types';

interface Props {
  filter: DraftFilter;
  subcortexes: readonly Subcortex[];
  /** Undefined when the viewer may not list principals (the author filter is then left out). */
  principals: readonly Principal[] | undefined;
  onChange: (filter: DraftFilter) => void;
}

const stateOptions = [
  ['pending', 'Pending'],
  ['approved', 'Approved'],
  ['rejected', 'Rejected'],
  ['all', 'All'],
] as const;

/** Filters for the queue; each change is a new address, so a filtered queue can be bookmarked and shared. */
export function QueueFilters({ filter, subcortexes, principals, onChange }: Props) {
  const set = (name: keyof DraftFilter, value: string) => onChange({ ...filter, [name]: value === '' ? undefined : value });
  return (
    <form class="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
      <label>
        Subcortex
        <select value={filter.subcortex ?? ''} onChange={(e) => set('subcortex', e.currentTarget.value)}>
          <option value="">All subcortexes</option>
          {subcortexes.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.slug}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select value={filter.kind ?? ''} onChange={(e) => set('kind', e.currentTarget.value)}>
          <option value="">All kinds</option>
          {draftKinds.map((k) => (
            <option key={k} value={k}>
              {k === 'artifactVersion' ? 'artifact version' : k}
            </option>
          ))}
        </select>
      </label>
      {principals && (
        <label>
          Author
          <select value={filter.author ?? ''} onChange={(e) => set('author', e.currentTarget.value)}>
            <option value="">Anyone</option>
            {principals.map((p) => (
              <option key={p.id} value={p.id}>
                @{p.handle}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        State
        <select value={filter.state ?? 'pending'} onChange={(e) => set('state', e.currentTarget.value === 'pending' ? '' : e.currentTarget.value)}>
          {stateOptions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
