import { describe, expect, it } from 'vitest';
import { isFinished, pollDelay, reindexProgress } from '../src/admin/reindex';
import { ApiClient } from '../src/api/client';
import { endpoints } from '../src/api/endpoints';
import type { ReindexRun } from '../src/api/types';

const run = (over: Partial<ReindexRun>): ReindexRun => ({
  id: 'R1',
  targets: ['embeddings', 'fulltext'],
  state: 'running',
  phase: 'embeddings',
  total: 200,
  processed: 50,
  attempts: 1,
  requestedBy: 'P1',
  createdAt: '2026-11-27T00:00:00Z',
  updatedAt: '2026-11-27T00:00:00Z',
  ...over,
});

describe('reindex progress', () => {
  it('is indeterminate while queued or before the total is known', () => {
    expect(reindexProgress(run({ state: 'queued', phase: null, total: 0, processed: 0 }))).toEqual({
      value: undefined,
      max: 1,
      finished: false,
      label: 'Queued: waiting for a worker to pick it up.',
    });
    expect(reindexProgress(run({ total: 0, processed: 0 })).value).toBeUndefined();
  });

  it('counts items in the current phase, naming the phase and retries', () => {
    expect(reindexProgress(run({}))).toEqual({ value: 50, max: 200, finished: false, label: 'Running, computing embeddings: 50 of 200 items.' });
    expect(reindexProgress(run({ phase: 'fulltext-index', attempts: 2, processed: 300 })).value).toBe(200);
    expect(reindexProgress(run({ phase: 'fulltext-index', attempts: 2 })).label).toBe('Running, rebuilding the full-text index: 50 of 200 items (attempt 2).');
  });

  it('ends full on success and says why on failure', () => {
    expect(reindexProgress(run({ state: 'succeeded', processed: 200 }))).toEqual({ value: 200, max: 200, finished: true, label: 'Done: 200 of 200 items reindexed.' });
    expect(reindexProgress(run({ state: 'succeeded', total: 0, processed: 0 })).value).toBe(1);
    expect(reindexProgress(run({ state: 'failed', lastError: 'model missing' })).label).toBe('Failed: model missing');
  });

  it('polls until the run finishes', () => {
    expect(pollDelay(run({ state: 'queued' }))).toBe(2_000);
    expect(pollDelay(run({}))).toBe(1_000);
    expect(pollDelay(run({ state: 'succeeded' }))).toBeUndefined();
    expect(isFinished(run({ state: 'failed' }))).toBe(true);
  });
});

describe('operations endpoints', () => {
  it('go to /admin with the session CSRF token, and the rest stays under /api/v1', async () => {
    const calls: Array<{ url: string; method: string; csrf: string | null }> = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', csrf: new Headers(init?.headers).get('X-CSRF-Token') });
      return Promise.resolve(new Response(JSON.stringify(run({ state: 'queued' })), { status: 202, headers: { 'Content-Type': 'application/json' } }));
    }) as typeof globalThis.fetch;
    const api = endpoints(new ApiClient({ fetch, csrfToken: () => 'tok' }));
    await api.operations.reindex({ targets: ['fulltext'] });
    await api.operations.reindexRun('R/1');
    await api.quarantine.list(true, undefined);
    expect(calls).toEqual([
      { url: '/admin/reindex', method: 'POST', csrf: 'tok' },
      { url: '/admin/reindex/R%2F1', method: 'GET', csrf: null },
      { url: '/api/v1/quarantine?active=true&limit=50', method: 'GET', csrf: null },
    ]);
  });

  it('retry once after a stale session on /admin as on /api/v1', async () => {
    let answered = 0;
    const fetch = (() => {
      answered++;
      return Promise.resolve(
        answered === 1
          ? new Response(JSON.stringify({ type: 'urn:cortex:problem:unauthenticated', title: 'no', status: 401 }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } })
          : new Response(JSON.stringify(run({})), { status: 200, headers: { 'Content-Type': 'application/json' } }),
      );
    }) as typeof globalThis.fetch;
    let refreshed = 0;
    const api = endpoints(new ApiClient({ fetch, refreshSession: () => Promise.resolve(++refreshed > 0) }));
    expect((await api.operations.reindexRun('R1')).id).toBe('R1');
    expect(refreshed).toBe(1);
    expect(answered).toBe(2);
  });
});
