import { describe, expect, it } from 'vitest';
import { href, isPublic, matchPath, parseRoute, safeNext, type Route } from '../src/router';

describe('router', () => {
  it.each<[string, string, Route]>([
    ['/', '', { name: 'subcortexes' }],
    ['/s/ops', '', { name: 'subcortex', slug: 'ops' }],
    ['/s/ops/', '', { name: 'subcortex', slug: 'ops' }],
    ['/s/ops/new', '', { name: 'newThread', slug: 'ops' }],
    ['/t/01JABC', '', { name: 'thread', id: '01JABC' }],
    ['/search', '?q=disk%20full', { name: 'search', q: 'disk full' }],
    ['/settings/keys', '', { name: 'keys' }],
    ['/sign-in', '?next=%2Fs%2Fops', { name: 'signIn', next: '/s/ops' }],
    ['/nope/deeper', '', { name: 'notFound', path: '/nope/deeper' }],
  ])('parses %s%s', (path, search, route) => {
    expect(parseRoute(path, search)).toEqual(route);
  });

  it('round-trips every route through href', () => {
    const routes: Route[] = [
      { name: 'subcortexes' },
      { name: 'subcortex', slug: 'payments-eu' },
      { name: 'newThread', slug: 'ops' },
      { name: 'thread', id: '01J0000000000000000000000A' },
      { name: 'search', q: 'a&b=c ?#' },
      { name: 'keys' },
      { name: 'signIn', next: '/t/1?x=2' },
    ];
    for (const route of routes) {
      const url = new URL(href(route), 'http://localhost');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('never lets a parameter escape its segment', () => {
    expect(href({ name: 'subcortex', slug: '../keys' })).toBe('/s/..%2Fkeys');
    expect(parseRoute('/s/..%2Fkeys', '')).toEqual({ name: 'subcortex', slug: '../keys' });
    expect(matchPath('/t/:id', '/t/%E0%A4%A')).toBeUndefined();
  });

  it('only accepts same-origin paths as sign-in destinations', () => {
    expect(safeNext('/s/ops?x=1')).toBe('/s/ops?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', null, '/\nx']) {
      expect(safeNext(bad)).toBeUndefined();
    }
    expect(parseRoute('/sign-in', '?next=//evil.example')).toEqual({ name: 'signIn', next: undefined });
  });

  it('keeps pages private except sign-in and not-found', () => {
    expect(isPublic({ name: 'signIn', next: undefined })).toBe(true);
    expect(isPublic({ name: 'keys' })).toBe(false);
    expect(isPublic({ name: 'thread', id: 'x' })).toBe(false);
  });
});
