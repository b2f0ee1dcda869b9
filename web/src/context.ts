import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Endpoints } from './api/endpoints';
import type { Session } from './api/types';
import type { Route } from './router';

export interface AppContext {
  api: Endpoints;
  session: Session | null;
  setSession: (session: Session | null) => void;
  navigate: (to: Route | string, options?: { replace?: boolean }) => void;
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) {
    throw new Error('useApp outside the App provider');
  }
  return context;
}

/** For pages that only render with a session (the shell guarantees it). */
export function useSession(): Session {
  const { session } = useApp();
  if (!session) {
    throw new Error('useSession without a session');
  }
  return session;
}
