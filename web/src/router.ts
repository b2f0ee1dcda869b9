import type { DraftFilter, SearchMode } from './api/types';
import { parseTaskFilters, taskFiltersQuery, type TaskFilters } from './tasks/filters';

// Client-side routes. Pages for drafts, artifacts and tasks slot in as new entries in `Route` and `patterns`.

export type Route =
  | { name: 'subcortexes' }
  | { name: 'signIn'; next: string | undefined }
  | { name: 'subcortex'; slug: string }
  | { name: 'newThread'; slug: string }
  | { name: 'thread'; id: string }
  | { name: 'search'; q: string; mode?: SearchMode }
  | { name: 'keys' }
  | { name: 'people' }
  | { name: 'review'; filter: DraftFilter }
  | { name: 'draft'; id: string }
  | { name: 'artifacts'; slug: string }
  | { name: 'artifact'; id: string; version?: number }
  | { name: 'principalKeys'; id: string }
  | { name: 'operations'; run?: string }
  | { name: 'tasks'; filters: TaskFilters }
  | { name: 'task'; id: string }
  | { name: 'notifications' }
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
  ['review', '/review'],
  ['draft', '/drafts/:id'],
  ['artifacts', '/s/:slug/artifacts'],
  ['artifact', '/a/:id'],
  ['principalKeys', '/manage/principals/:id/keys'],
  ['operations', '/manage/operations'],
  ['tasks', '/tasks'],
  ['task', '/tasks/:id'],
  ['notifications', '/notifications'],
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
      case 'search': {
        const mode = query.get('mode');
        return mode === 'semantic' || mode === 'hybrid' ? { name, q: query.get('q') ?? '', mode } : { name, q: query.get('q') ?? '' };
      }
      case 'keys':
      case 'people':
        return { name };
      case 'review':
        return { name, filter: reviewFilter(query) };
      case 'draft':
      case 'principalKeys':
        return { name, id: params.id ?? '' };
      case 'artifacts':
        return { name, slug: params.slug ?? '' };
      case 'operations': {
        const run = query.get('run');
        return run ? { name, run } : { name };
      }
      case 'artifact': {
        const version = Number(query.get('v'));
        return Number.isInteger(version) && version > 0 ? { name, id: params.id ?? '', version } : { name, id: params.id ?? '' };
      }
      case 'tasks':
        return { name, filters: parseTaskFilters(query) };
      case 'task':
        return { name, id: params.id ?? '' };
      case 'notifications':
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
    case 'search': {
      const query = new URLSearchParams(route.q ? { q: route.q } : {});
      if (route.mode && route.mode !== 'keyword') {
        query.set('mode', route.mode);
      }
      const search = query.toString();
      return search ? `/search?${search}` : '/search';
    }
    case 'review': {
      const query = new URLSearchParams();
      for (const name of reviewFilterNames) {
        const value = route.filter[name];
        if (value) {
          query.set(name, value);
        }
      }
      const search = query.toString();
      return search ? `/review?${search}` : '/review';
    }
    case 'draft':
      return `/drafts/${encodeURIComponent(route.id)}`;
    case 'artifacts':
      return `/s/${encodeURIComponent(route.slug)}/artifacts`;
    case 'artifact':
      return `/a/${encodeURIComponent(route.id)}${route.version ? `?v=${route.version}` : ''}`;
    case 'principalKeys':
      return `/manage/principals/${encodeURIComponent(route.id)}/keys`;
    case 'operations':
      return route.run ? `/manage/operations?${new URLSearchParams({ run: route.run }).toString()}` : '/manage/operations';
    case 'keys':
      return '/settings/keys';
    case 'people':
      return '/manage/principals';
    case 'tasks': {
      const search = taskFiltersQuery(route.filters);
      return search ? `/tasks?${search}` : '/tasks';
    }
    case 'task':
      return `/tasks/${encodeURIComponent(route.id)}`;
    case 'notifications':
      return '/notifications';
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
    case 'review':
      return 'Review queue';
    case 'draft':
      return 'Draft';
    case 'artifacts':
      return `Artifacts · ${route.slug}`;
    case 'artifact':
      return 'Artifact';
    case 'principalKeys':
      return 'Keys of a principal';
    case 'operations':
      return 'Operations';
    case 'tasks':
      return 'Tasks';
    case 'task':
      return 'Task';
    case 'notifications':
      return 'Notifications';
    case 'notFound':
      return 'Not found';
  }
}

const reviewFilterNames = ['subcortex', 'kind', 'author', 'state'] as const;

/** The review queue's filters from its query string; only pending drafts unless another state is asked for. */
function reviewFilter(query: URLSearchParams): DraftFilter {
  const filter: DraftFilter = {};
  for (const name of reviewFilterNames) {
    const value = query.get(name);
    if (value) {
      filter[name] = value;
    }
  }
  return filter;
}
