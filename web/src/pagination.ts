import type { Page } from './api/types';

/** Fetches one page; `cursor` is undefined for the first. */
export type PageFetcher<T> = (cursor: string | undefined, signal?: AbortSignal) => Promise<Page<T>>;

/** The accumulated state of a cursor-paginated list shown with a "Load more" button. */
export interface PagedList<T> {
  items: T[];
  nextCursor: string | undefined;
  done: boolean;
}

export function emptyList<T>(): PagedList<T> {
  return { items: [], nextCursor: undefined, done: false };
}

/**
 * Appends a page. Items already present (by key) are replaced in place rather than duplicated, since a
 * list that changes between page requests may repeat an item across pages.
 */
export function appendPage<T>(list: PagedList<T>, page: Page<T>, key: (item: T) => string): PagedList<T> {
  const index = new Map<string, number>();
  const items = list.items.slice();
  items.forEach((item, i) => index.set(key(item), i));
  for (const item of page.items) {
    const at = index.get(key(item));
    if (at === undefined) {
      index.set(key(item), items.length);
      items.push(item);
    } else {
      items[at] = item;
    }
  }
  const nextCursor = page.nextCursor ?? undefined;
  // A cursor that does not move would loop forever; treat it as the end.
  const done = nextCursor === undefined || nextCursor === '' || nextCursor === list.nextCursor;
  return { items, nextCursor: done ? undefined : nextCursor, done };
}

/** Loads the next page of `list`; a finished list is returned unchanged. */
export async function loadMore<T>(
  list: PagedList<T>,
  fetchPage: PageFetcher<T>,
  key: (item: T) => string,
  signal?: AbortSignal,
): Promise<PagedList<T>> {
  if (list.done) {
    return list;
  }
  const page = await fetchPage(list.nextCursor, signal);
  return appendPage(list, page, key);
}

/** Follows every cursor up to `maxPages` pages (for small lists such as one's own API keys). */
export async function loadAll<T>(fetchPage: PageFetcher<T>, key: (item: T) => string, maxPages = 20): Promise<T[]> {
  let list = emptyList<T>();
  for (let i = 0; i < maxPages && !list.done; i++) {
    list = await loadMore(list, fetchPage, key);
  }
  return list.items;
}
