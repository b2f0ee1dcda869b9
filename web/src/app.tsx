import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/client';
import { endpoints } from './api/endpoints';
import { ApiError } from './api/problem';
import type { Session } from './api/types';
import { ErrorBanner } from './components/ErrorBanner';
import { Link } from './components/Link';
import { App as AppContext, type AppContext as Context } from './context';
import { AdminKeys } from './pages/AdminKeys';
import { AdminOperations } from './pages/AdminOperations';
import { ArtifactPage } from './pages/ArtifactPage';
import { Artifacts } from './pages/Artifacts';
import { DraftPage } from './pages/DraftPage';
import { Keys } from './pages/Keys';
import { NotificationBell } from './live/NotificationBell';
import { Notifications } from './pages/Notifications';
import { TaskPage } from './pages/TaskPage';
import { Tasks } from './pages/Tasks';
import { ReviewQueue } from './pages/ReviewQueue';
import { NewThread } from './pages/NewThread';
import { People } from './pages/People';
import { Search } from './pages/Search';
import { SignIn } from './pages/SignIn';
import { SubcortexPage } from './pages/SubcortexPage';
import { Subcortexes } from './pages/Subcortexes';
import { ThreadPage } from './pages/ThreadPage';
import { can } from './permissions';
import { href, isPublic, parseRoute, titleOf, type Route } from './router';

// Reloads the session (for a new CSRF token, or after a 401 that may come from a replaced cookie).
const refreshClient = new ApiClient();

function currentRoute(): Route {
  return parseRoute(window.location.pathname, window.location.search);
}

export function App() {
  const [route, setRoute] = useState<Route>(currentRoute);
  // undefined while the first GET /session is in flight.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(undefined);
  const sessionRef = useRef<Session | null | undefined>(undefined);
  sessionRef.current = session;
  const main = useRef<HTMLElement>(null);

  const api = useMemo(
    () =>
      endpoints(
        new ApiClient({
          csrfToken: () => sessionRef.current?.csrfToken,
          onUnauthenticated: () => setSession(null),
          refreshSession: async () => {
            try {
              const fresh = await refreshClient.get<Session>('/session');
              sessionRef.current = fresh;
              setSession(fresh);
              return true;
            } catch (error) {
              if (error instanceof ApiError && error.status === 401) {
                return false;
              }
              throw error;
            }
          },
        }),
      ),
    [],
  );

  const navigate = (to: Route | string, options: { replace?: boolean } = {}) => {
    const target = typeof to === 'string' ? to : href(to);
    if (options.replace) {
      window.history.replaceState(null, '', target);
    } else {
      window.history.pushState(null, '', target);
    }
    setRoute(currentRoute());
    window.scrollTo(0, 0);
  };

  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener('popstate', onPop);
    api.session.get().then(
      (s) => setSession(s),
      (error: unknown) => {
        setSession(null);
        if (!(error instanceof ApiError && error.status === 401)) {
          setBootError(error);
        }
      },
    );
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${titleOf(route)} · Cortex`;
    // Move focus to the new page so keyboard and screen-reader users start at its content.
    main.current?.focus({ preventScroll: true });
  }, [route]);

  const context: Context = { api, session: session ?? null, setSession, navigate };

  const signOut = async () => {
    try {
      await api.session.signOut();
    } finally {
      setSession(null);
      navigate({ name: 'signIn', next: undefined });
    }
  };

  let page;
  if (session === undefined) {
    page = (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  } else if (!session && !isPublic(route)) {
    const here = window.location.pathname + window.location.search;
    page = <SignIn next={here === '/' ? undefined : here} />;
  } else {
    page = renderRoute(route);
  }

  return (
    <AppContext.Provider value={context}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link to={{ name: 'subcortexes' }} class="brand">
          Cortex
        </Link>
        {session && (
          <nav aria-label="Main">
            <ul>
              <li>
                <Link to={{ name: 'subcortexes' }}>Subcortexes</Link>
              </li>
              <li>
                <Link to={{ name: 'search', q: '' }}>Search</Link>
              </li>
              <li>
                <Link to={{ name: 'review', filter: {} }}>{can(session.principal.role, 'reviewDrafts') ? 'Review queue' : 'My drafts'}</Link>
              </li>
              <li>
                <Link to={{ name: 'tasks', filters: { assignee: 'me', state: 'active', due: 'any' } }}>Tasks</Link>
              </li>
              <li>
                <NotificationBell />
              </li>
              <li>
                <Link to={{ name: 'keys' }}>API keys</Link>
              </li>
              {can(session.principal.role, 'administer') && (
                <li>
                  <Link to={{ name: 'people' }}>Principals</Link>
                </li>
              )}
              {can(session.principal.role, 'reviewDrafts') && (
                <li>
                  <Link to={{ name: 'operations' }}>Operations</Link>
                </li>
              )}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span data-testid="whoami">
              @{session.principal.handle} <span class="badge">{session.principal.role}</span>
            </span>
            <button type="button" class="secondary" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBanner error={bootError} />
        {page}
      </main>
    </AppContext.Provider>
  );
}

function renderRoute(route: Route) {
  switch (route.name) {
    case 'subcortexes':
      return <Subcortexes />;
    case 'signIn':
      return <SignIn next={route.next} />;
    case 'subcortex':
      return <SubcortexPage key={route.slug} slug={route.slug} />;
    case 'newThread':
      return <NewThread key={route.slug} slug={route.slug} />;
    case 'thread':
      return <ThreadPage key={route.id} id={route.id} />;
    case 'search':
      return <Search key={`${route.q}:${route.mode ?? ''}`} q={route.q} {...(route.mode ? { mode: route.mode } : {})} />;
    case 'keys':
      return <Keys />;
    case 'people':
      return <People />;
    case 'review':
      return <ReviewQueue key={JSON.stringify(route.filter)} filter={route.filter} />;
    case 'draft':
      return <DraftPage key={route.id} id={route.id} />;
    case 'artifacts':
      return <Artifacts key={route.slug} slug={route.slug} />;
    case 'artifact':
      return <ArtifactPage key={route.id} id={route.id} version={route.version} />;
    case 'principalKeys':
      return <AdminKeys key={route.id} id={route.id} />;
    case 'operations':
      return <AdminOperations run={route.run} />;
    case 'tasks':
      return <Tasks filters={route.filters} />;
    case 'task':
      return <TaskPage key={route.id} id={route.id} />;
    case 'notifications':
      return <Notifications />;
    case 'notFound':
      return (
        <section>
          <h1>Not found</h1>
          <p>There is no page at this address.</p>
          <Link to={{ name: 'subcortexes' }}>Go to the subcortexes</Link>
        </section>
      );
  }
}
