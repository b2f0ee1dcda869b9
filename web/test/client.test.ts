import { describe, expect, it } from 'vitest';
import { ApiClient, buildUrl, CsrfHeader, segment } from '../src/api/client';
import { endpoints } from '../src/api/endpoints';
import { ApiError } from '../src/api/problem';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  credentials: RequestCredentials | undefined;
}

function fakeFetch(respond: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      credentials: init?.credentials,
    };
    calls.push(call);
    return Promise.resolve(respond(call));
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

describe('buildUrl', () => {
  it('drops empty query values and encodes the rest', () => {
    expect(buildUrl('/api/v1', '/search', { q: 'a&b c', cursor: undefined, limit: 20, mode: null })).toBe('/api/v1/search?q=a%26b+c&limit=20');
    expect(buildUrl('/api/v1', '/subcortexes')).toBe('/api/v1/subcortexes');
  });

  it('encodes path segments so data cannot change the path', () => {
    expect(segment('../admin?x=1')).toBe('..%2Fadmin%3Fx%3D1');
  });
});

describe('ApiClient', () => {
  it('sends the CSRF token on unsafe methods only, and an Idempotency-Key on POSTs', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, {}));
    const client = new ApiClient({ fetch, csrfToken: () => 'tok', newIdempotencyKey: () => 'generated' });
    await client.get('/a');
    await client.post('/b', { body: { x: 1 } });
    await client.post('/c', { idempotencyKey: 'mine' });
    await client.delete('/d');
    await client.put('/e', { body: {} });

    expect(calls.map((c) => [c.method, c.headers.get(CsrfHeader), c.headers.get('Idempotency-Key')])).toEqual([
      ['GET', null, null],
      ['POST', 'tok', 'generated'],
      ['POST', 'tok', 'mine'],
      ['DELETE', 'tok', null],
      ['PUT', 'tok', null],
    ]);
    expect(calls[1]?.body).toBe('{"x":1}');
    expect(calls[1]?.headers.get('Content-Type')).toBe('application/json');
    expect(calls.every((c) => c.credentials === 'same-origin')).toBe(true);
  });

  it('sends no Idempotency-Key on POSTs that write nothing', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { html: '' }));
    const api = endpoints(new ApiClient({ fetch, csrfToken: () => 'tok' }));
    await api.session.signIn('ada', 'secret');
    await api.markdown.preview('**x**');
    expect(calls.map((c) => c.headers.has('Idempotency-Key'))).toEqual([false, false]);
    expect(calls[1]?.headers.get(CsrfHeader)).toBe('tok');
  });

  it('accepts an artifact version only at the revision the reviewer read (If-Match)', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, {}));
    const api = endpoints(new ApiClient({ fetch, csrfToken: () => 'tok' }));
    await api.artifacts.accept('a1', 2, 7);
    await api.artifacts.get('a1');
    expect(calls.map((c) => [c.method, c.url, c.headers.get('If-Match')])).toEqual([
      ['POST', '/api/v1/artifacts/a1/versions/2/accept', '"7"'],
      ['GET', '/api/v1/artifacts/a1', null],
    ]);
  });

  it('reloads a stale CSRF token once and retries the write with the same Idempotency-Key', async () => {
    let token = 'stale';
    let refreshed = 0;
    const { calls, fetch } = fakeFetch((call) =>
      call.headers.get(CsrfHeader) === 'fresh'
        ? json(201, { id: 's1' })
        : json(403, { type: 'urn:cortex:problem:csrf', title: 'The request lacks this session’s CSRF token.', status: 403 }),
    );
    const client = new ApiClient({
      fetch,
      csrfToken: () => token,
      refreshSession: () => {
        refreshed++;
        token = 'fresh';
        return Promise.resolve(true);
      },
    });
    await expect(client.post('/subcortexes', { body: {}, idempotencyKey: 'k1' })).resolves.toEqual({ id: 's1' });
    expect(refreshed).toBe(1);
    expect(calls.map((c) => [c.headers.get(CsrfHeader), c.headers.get('Idempotency-Key')])).toEqual([
      ['stale', 'k1'],
      ['fresh', 'k1'],
    ]);
  });

  it('gives up after one CSRF refresh', async () => {
    let refreshed = 0;
    const { calls, fetch } = fakeFetch(() => json(403, { type: 'urn:cortex:problem:csrf', title: 'No.', status: 403 }));
    const client = new ApiClient({ fetch, csrfToken: () => 'x', refreshSession: () => Promise.resolve(++refreshed > 0) });
    await expect(client.delete('/session')).rejects.toThrow('No.');
    expect(refreshed).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('sends no CSRF header before sign-in', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, {}));
    await new ApiClient({ fetch }).post('/session', { body: {} });
    expect(calls[0]?.headers.has(CsrfHeader)).toBe(false);
  });

  it('throws the problem of a failed request', async () => {
    const { fetch } = fakeFetch(() =>
      json(403, { type: 'urn:cortex:problem:forbidden', title: 'You are not allowed to do this.', status: 403 }, 'application/problem+json'),
    );
    const error = await new ApiClient({ fetch }).post('/subcortexes').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).problem.type).toBe('urn:cortex:problem:forbidden');
    expect((error as ApiError).message).toBe('You are not allowed to do this.');
  });

  it('reports a 401 so the app can drop its session', async () => {
    let dropped = 0;
    const { fetch } = fakeFetch(() => json(401, { type: 'urn:cortex:problem:unauthenticated', title: 'Authentication is required.', status: 401 }));
    const client = new ApiClient({ fetch, onUnauthenticated: () => dropped++ });
    await expect(client.get('/session')).rejects.toThrow('Authentication is required.');
    expect(dropped).toBe(1);
  });

  it('drops the session on a 401 only when reloading it finds none live', async () => {
    let dropped = 0;
    let refreshed = 0;
    const { calls, fetch } = fakeFetch(() => json(401, { type: 'urn:cortex:problem:unauthenticated', title: 'Authentication is required.', status: 401 }));
    const client = new ApiClient({ fetch, onUnauthenticated: () => dropped++, refreshSession: () => Promise.resolve(++refreshed < 0) });
    await expect(client.get('/subcortexes')).rejects.toThrow('Authentication is required.');
    expect([refreshed, dropped, calls.length]).toEqual([1, 1, 1]);
  });

  it('retries once a request whose cookie was replaced while it was in flight, keeping the session', async () => {
    // Signing in again in another tab ends the old session; a request sent with the old cookie comes back 401.
    let cookie = 'old';
    let dropped = 0;
    const { calls, fetch } = fakeFetch(() =>
      cookie === 'new' ? json(200, { items: [] }) : json(401, { type: 'urn:cortex:problem:unauthenticated', title: 'Ended.', status: 401 }),
    );
    const client = new ApiClient({
      fetch,
      onUnauthenticated: () => dropped++,
      refreshSession: () => {
        cookie = 'new';
        return Promise.resolve(true);
      },
    });
    await expect(client.get('/subcortexes')).resolves.toEqual({ items: [] });
    expect([dropped, calls.length]).toEqual([0, 2]);
  });

  it('drops the session when the retry after a reload is refused too', async () => {
    let dropped = 0;
    const { calls, fetch } = fakeFetch(() => json(401, { type: 'urn:cortex:problem:unauthenticated', title: 'No.', status: 401 }));
    const client = new ApiClient({ fetch, onUnauthenticated: () => dropped++, refreshSession: () => Promise.resolve(true) });
    await expect(client.get('/subcortexes')).rejects.toThrow('No.');
    expect([dropped, calls.length]).toEqual([1, 2]);
  });

  it('turns a network failure into a readable problem', async () => {
    const fetch = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch;
    const error = (await new ApiClient({ fetch }).get('/x').catch((e: unknown) => e)) as ApiError;
    expect(error.problem.type).toBe('urn:cortex:problem:network');
    expect(error.status).toBe(0);
  });

  it('returns undefined for 204 No Content', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(new ApiClient({ fetch }).delete('/session')).resolves.toBeUndefined();
  });

  it('tells a created item (201) from one held for review as a draft (202)', async () => {
    let status = 201;
    const { fetch } = fakeFetch(() => json(status, status === 201 ? { id: 'T1', title: 't' } : { id: 'D1', kind: 'thread', state: 'pending' }));
    const api = endpoints(new ApiClient({ fetch }));
    expect(await api.threads.create('ops', { title: 't', body: 'b', kind: 'discussion' }, 'k1')).toEqual({
      held: false,
      item: { id: 'T1', title: 't' },
    });
    status = 202;
    expect(await api.comments.create('T1', 'b', 'k2')).toEqual({ held: true, draft: { id: 'D1', kind: 'thread', state: 'pending' } });
  });

  it('builds the documented routes', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { items: [] }));
    const api = endpoints(new ApiClient({ fetch }));
    await api.threads.list('ops/../x', 'c1');
    await api.search.keyword('disk full', undefined);
    await api.keys.revoke('01KEY');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/subcortexes/ops%2F..%2Fx/threads?cursor=c1&limit=25',
      'GET /api/v1/search?q=disk+full&mode=keyword&limit=20',
      'DELETE /api/v1/keys/01KEY',
    ]);
  });
});
