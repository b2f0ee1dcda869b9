import type { Paged } from './usePaged';
import { ErrorBanner } from './ErrorBanner';

/** The "Load more" footer of a paged list, with its loading and error states. */
export function LoadMore<T>({ paged, noun }: { paged: Paged<T>; noun: string }) {
  return (
    <div class="load-more">
      <ErrorBanner error={paged.error} />
      {paged.loading && (
        <p class="muted" role="status">
          Loading {noun}…
        </p>
      )}
      {!paged.loading && paged.list.done && paged.list.items.length === 0 && !paged.error && <p class="muted">No {noun} yet.</p>}
      {!paged.loading && !paged.list.done && (
        <button type="button" class="secondary" onClick={paged.more}>
          Load more {noun}
        </button>
      )}
    </div>
  );
}
