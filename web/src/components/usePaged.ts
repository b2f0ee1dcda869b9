import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { appendPage, emptyList, type PageFetcher, type PagedList } from '../pagination';

export interface Paged<T> {
  list: PagedList<T>;
  loading: boolean;
  error: unknown;
  more: () => void;
  /** Puts a just-created item first without refetching. */
  prepend: (item: T) => void;
  /** Adds a just-created item at the end (for oldest-first lists such as comments). */
  append: (item: T) => void;
  replaceAll: (items: T[]) => void;
}

/** A cursor-paginated list: loads the first page when `deps` change, then one page per `more()`. */
export function usePaged<T>(fetchPage: PageFetcher<T>, key: (item: T) => string, deps: readonly unknown[]): Paged<T> {
  const [list, setList] = useState<PagedList<T>>(emptyList<T>());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);
  const controller = useRef<AbortController | undefined>(undefined);

  const load = useCallback(
    (from: PagedList<T>) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      const mine = generation.current;
      setLoading(true);
      setError(undefined);
      fetchPage(from.nextCursor, current.signal).then(
        (page) => {
          if (mine === generation.current && !current.signal.aborted) {
            setList(appendPage(from, page, key));
            setLoading(false);
          }
        },
        (failure: unknown) => {
          if (mine === generation.current && !current.signal.aborted) {
            setError(failure);
            setLoading(false);
          }
        },
      );
    },
    // fetchPage and key change identity each render; deps name what they depend on.
    deps,
  );

  useEffect(() => {
    generation.current++;
    const first = emptyList<T>();
    setList(first);
    load(first);
    return () => controller.current?.abort();
  }, deps);

  return {
    list,
    loading,
    error,
    more: () => {
      if (!loading && !list.done) {
        load(list);
      }
    },
    prepend: (item) => setList((l) => ({ ...l, items: [item, ...l.items.filter((i) => key(i) !== key(item))] })),
    append: (item) => setList((l) => ({ ...l, items: [...l.items.filter((i) => key(i) !== key(item)), item] })),
    replaceAll: (items) => setList((l) => ({ ...l, items })),
  };
}
