import { useEffect, useLayoutEffect, useRef, useState, type MutableRef } from 'preact/hooks';

export type Loadable<T> = { state: 'loading' } | { state: 'loaded'; value: T } | { state: 'failed'; error: unknown };

/** Runs `load` whenever `deps` change; an outdated request is aborted so it cannot overwrite a newer answer. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): [Loadable<T>, (value: T) => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) {
          setResult({ state: 'loaded', value });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResult({ state: 'failed', error });
        }
      },
    );
    return () => controller.abort();
  }, deps);
  return [result, (value: T) => setResult({ state: 'loaded', value })];
}

/** One idempotency key per logical submission: kept across retries, renewed after a success. */
export function useIdempotencyKey(): [string, () => void] {
  const [key, setKey] = useState(() => crypto.randomUUID());
  return [key, () => setKey(crypto.randomUUID())];
}

/** Focuses the element once it is rendered, for controls that appear in place of the one just pressed. */
export function useFocusOnMount<T extends HTMLElement>(): MutableRef<T | null> {
  const ref = useRef<T | null>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
