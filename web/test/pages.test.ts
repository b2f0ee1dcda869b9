import { describe, expect, it } from 'vitest';
import type { ApiKey, SearchHit } from '../src/api/types';
import { keyStatus } from '../src/components/KeyRow';
import { hitRoute } from '../src/pages/Search';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  id: 'h',
  kind: 'thread',
  threadId: 'h',
  title: 't',
  subcortex: 'ops',
  snippetHtml: '',
  rank: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('search hits', () => {
  it('link threads to themselves and comments to their thread', () => {
    expect(hitRoute(hit({ id: 'T1', threadId: 'T1' }))).toEqual({ name: 'thread', id: 'T1' });
    expect(hitRoute(hit({ id: 'C1', kind: 'comment', threadId: 'T1' }))).toEqual({ name: 'thread', id: 'T1' });
    expect(hitRoute(hit({ id: 'C1', kind: 'comment', threadId: '' }))).toBeUndefined();
    expect(hitRoute(hit({ kind: 'artifact' }))).toEqual({ name: 'artifact', id: 'h' });
    expect(hitRoute(hit({ kind: 'observation' }))).toBeUndefined();
  });
});

describe('key status', () => {
  const key: ApiKey = { id: 'k', principalId: 'p', prefix: 'ctx_ab', name: 'laptop', createdAt: '2026-01-01T00:00:00Z' };
  const now = new Date('2026-06-01T00:00:00Z');
  it('is revoked, expired or active', () => {
    expect(keyStatus(key, now)).toBe('active');
    expect(keyStatus({ ...key, expiresAt: '2026-05-01T00:00:00Z' }, now)).toBe('expired');
    expect(keyStatus({ ...key, expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('active');
    expect(keyStatus({ ...key, revokedAt: '2026-02-01T00:00:00Z' }, now)).toBe('revoked');
  });
});
