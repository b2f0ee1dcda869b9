// Client-side routes. Pages for drafts, artifacts and tasks slot in as new entries in `Route` and `patterns`.

export type Route =
  | { name: 'subcortexes' }
  | { name: 'signIn'; next: string | undefined }
  | { name: 'subcortex'; slug: string }
  | { name: 'newThread'; slug: string }
  | { name: 'thread'; id: string }
  | { name: 'search'; q: string }
  | { name: 'keys' }
  | { name: 'people' }
  | { name: 'notFound'; path: string };

type Named = Exclude<Route['name'], 'notFound'>;

const patterns: ReadonlyArray<readonly [Named, string]> = [
  ['subcortexes', '/'],
  ['signIn', '/sign-in'],
  ['subcortex', '/s/:slug'],
  ['newThread', '/s/:slug/new'],
  ['thread', '/t/:id'],
  ['search', '/search'],
  ['keys', '/settings/keys'],
  // Not under /admin: that prefix belongs to the server's operations endpoints.
  ['people', '/manage/principals'],
];

/** Matches `/s/:slug` against a path; parameters are decoded, and a malformed escape is no match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return undefined;
      }
    } else if (w !== h) {
      return undefined;
    }
  }
  return params;
}

/**
 * Accepts only a same-origin path as a post-sign-in destination, so `?next=` cannot send a person to
 * another site (`//evil`, `/\evil`, `https://evil`, `javascript:`).
 */
export function safeNext(next: string | null | undefined): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return undefined;
  }
  return /[\u0000-\u001f]/.test(next) ? undefined : next;
}

export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [name, pattern] of patterns) {
    const params = matchPath(pattern, path);
    if (!params) {
      continue;
    }
    switch (name) {
      case 'subcortexes':
        return { name };
      case 'signIn':
        return { name, next: safeNext(query.get('next')) };
      case 'subcortex':
      case 'newThread':
        return { name, slug: params.slug ?? '' };
      case 'thread':
        return { name, id: params.id ?? '' };
      case 'search':
        return { name, q: query.get('q') ?? '' };
      case 'keys':
      case 'people':
        return { name };
    }
  }
  return { name: 'notFound', path: pathname };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'subcortexes':
      return '/';
    case 'signIn':
      return route.next ? `/sign-in?${new URLSearchParams({ next: route.next }).toString()}` : '/sign-in';
    case 'subcortex':
      return `/s/${encodeURIComponent(route.slug)}`;
    case 'newThread':
      return `/s/${encodeURIComponent(route.slug)}/new`;
    case 'thread':
      return `/t/${encodeURIComponent(route.id)}`;
    case 'search':
      return route.q ? `/search?${new URLSearchParams({ q: route.q }).toString()}` : '/search';
    case 'keys':
      return '/settings/keys';
    case 'people':
      return '/manage/principals';
    case 'notFound':
      return route.path;
  }
}

/** Pages that anyone may see without a session. */
export function isPublic(route: Route): boolean {
  return route.name === 'signIn' || route.name === 'notFound';
}

export function titleOf(route: Route): string {
  switch (route.name) {
    case 'subcortexes':
      return 'Subcortexes';
    case 'signIn':
      return 'Sign in';
    case 'subcortex':
      return route.slug;
    case 'newThread':
      return 'New thread';
    case 'thread':
      return 'Thread';
    case 'search':
      return route.q ? `Search: ${route.q}` : 'Search';
    case 'keys':
      return 'API keys';
    case 'people':
      return 'Principals';
    case 'notFound':
      return 'Not found';
  }
}
