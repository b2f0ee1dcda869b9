// The JSON shapes of core-server's /api/v1 (camelCase). Timestamps are ISO 8601 strings.

export type Role = 'admin' | 'reviewer' | 'member' | 'agent' | 'reader';
export type PrincipalKind = 'human' | 'agent';
export type SubcortexState = 'proposed' | 'active' | 'archived' | 'merged';
export type ThreadKind = 'discussion' | 'question' | 'incident' | 'decision' | 'announcement';

export const roles: readonly Role[] = ['admin', 'reviewer', 'member', 'agent', 'reader'];

export const threadKinds: readonly ThreadKind[] = ['discussion', 'question', 'incident', 'decision', 'announcement'];

export interface Principal {
  id: string;
  handle: string;
  displayName: string;
  kind: PrincipalKind;
  role: Role;
  disabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Session {
  principal: Principal;
  csrfToken: string;
  expiresAt: string;
}

export interface Subcortex {
  id: string;
  slug: string;
  name: string;
  description: string;
  state: SubcortexState;
  isPrivate: boolean;
  mergedIntoId?: string | null;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Thread {
  id: string;
  subcortexId: string;
  title: string;
  kind: ThreadKind;
  body: string;
  /** Rendered and sanitized by the server; the only HTML the UI ever inserts. */
  bodyHtml: string;
  authorId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Comment {
  id: string;
  threadId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKey {
  id: string;
  principalId: string;
  prefix: string;
  name: string;
  createdAt: string;
  expiresAt?: string | null;
  revokedAt?: string | null;
  lastUsedAt?: string | null;
}

/** The answer to creating a key: the only time the secret (`key`, `ctx_…`) is shown. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  key: string;
}

export interface SearchHit {
  /** `thread`, `comment`, `observation`, `artifact`… */
  kind: string;
  id: string;
  /** The thread of a thread or comment hit; null for other kinds. */
  threadId?: string | null;
  title: string;
  /** The subcortex's slug. */
  subcortex: string;
  /** HTML-escaped by the server; its only markup is <mark> around matched terms. */
  snippetHtml: string;
  rank: number;
  updatedAt: string;
  /** Trust level (canon, accepted…), once ranking by trust lands. */
  trust?: string | null;
}

/** One page of a list; `nextCursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export type DraftState = 'pending' | 'approved' | 'rejected';

/** Content held for review by the draft gate (agents' writes, subcortexes whose template requires review). */
export interface Draft {
  id: string;
  kind: string;
  subcortexId: string;
  threadId?: string | null;
  title?: string | null;
  body: string;
  state: DraftState | string;
  createdAt: string;
}

/** A write that either took effect (201) or went to the review queue as a draft (202). */
export type Submitted<T> = { held: false; item: T } | { held: true; draft: Draft };
