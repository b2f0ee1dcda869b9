import { type Answer, type ApiClient, segment } from './client';
import { taskEndpoints } from './tasks';
import type {
  ApiKey,
  Artifact,
  ArtifactDiff,
  ArtifactVersion,
  BatchItemResult,
  DraftFilter,
  EvidenceLink,
  QuarantineRecord,
  ReindexRun,
  SearchMode,
  SubcortexTemplate,
  TemplateRequest,
  Comment,
  CreatedApiKey,
  Draft,
  Page,
  Principal,
  PrincipalKind,
  Role,
  RotatedApiKey,
  SearchHit,
  Session,
  Subcortex,
  SubcortexState,
  Submitted,
  Thread,
  ThreadKind,
} from './types';

/** Typed calls for each /api/v1 resource the UI uses. */
export function endpoints(client: ApiClient) {
  return {
    ...taskEndpoints(client),
    session: {
      get: (signal?: AbortSignal) => client.get<Session>('/session', signal ? { signal } : {}),
      signIn: (handle: string, password: string) => client.post<Session>('/session', { body: { handle, password }, idempotent: false }),
      signOut: () => client.delete<undefined>('/session'),
      setPassword: (principalId: string, password: string, currentPassword: string | undefined) =>
        client.put<undefined>(`/principals/${segment(principalId)}/password`, {
          body: currentPassword === undefined ? { password } : { password, currentPassword },
        }),
    },
    principals: {
      get: (id: string) => client.get<Principal>(`/principals/${segment(id)}`),
      list: (cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Principal>>('/principals', withSignal({ query: { cursor, limit: 100 } }, signal)),
      create: (body: { handle: string; displayName: string; kind: PrincipalKind; role: Role }, idempotencyKey: string) =>
        client.post<Principal>('/principals', { body, idempotencyKey }),
    },
    subcortexes: {
      list: (cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Subcortex>>('/subcortexes', withSignal({ query: { cursor, limit: 50 } }, signal)),
      get: (slug: string, signal?: AbortSignal) => client.get<Subcortex>(`/subcortexes/${segment(slug)}`, withSignal({}, signal)),
      create: (body: { slug: string; name: string; description: string; isPrivate: boolean }, idempotencyKey: string) =>
        client.post<Subcortex>('/subcortexes', { body, idempotencyKey }),
      /** Changes the state; `version` is the one the change was based on (a stale one is a 409 problem). */
      setState: (slug: string, state: SubcortexState, version: number) =>
        client.patch<Subcortex>(`/subcortexes/${segment(slug)}`, { body: { state, version } }),
      /** A reviewer's refusal of a proposed subcortex. */
      decline: (slug: string) => client.post<Subcortex>(`/subcortexes/${segment(slug)}/decline`),
    },
    threads: {
      list: (slug: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Thread>>(`/subcortexes/${segment(slug)}/threads`, withSignal({ query: { cursor, limit: 25 } }, signal)),
      get: (id: string, signal?: AbortSignal) => client.get<Thread>(`/threads/${segment(id)}`, withSignal({}, signal)),
      create: (slug: string, body: { title: string; body: string; kind: ThreadKind }, idempotencyKey: string) =>
        submitted<Thread>(client.exchange('POST', `/subcortexes/${segment(slug)}/threads`, { body, idempotencyKey })),
    },
    comments: {
      list: (threadId: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Comment>>(`/threads/${segment(threadId)}/comments`, withSignal({ query: { cursor, limit: 50 } }, signal)),
      create: (threadId: string, body: string, idempotencyKey: string) =>
        submitted<Comment>(client.exchange('POST', `/threads/${segment(threadId)}/comments`, { body: { body }, idempotencyKey })),
    },
    markdown: {
      preview: (markdown: string, signal?: AbortSignal) =>
        client.post<{ html: string }>('/markdown/preview', withSignal({ body: { markdown }, idempotent: false as const }, signal)),
    },
    search: {
      keyword: (q: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<SearchHit>>('/search', withSignal({ query: { q, mode: 'keyword', cursor, limit: 20 } }, signal)),
    },
    keys: {
      list: (principalId: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<ApiKey>>(`/principals/${segment(principalId)}/keys`, withSignal({ query: { cursor, limit: 100 } }, signal)),
      create: (principalId: string, name: string, idempotencyKey: string) =>
        client.post<CreatedApiKey>(`/principals/${segment(principalId)}/keys`, { body: { name }, idempotencyKey }),
      revoke: (keyId: string) => client.delete<ApiKey>(`/keys/${segment(keyId)}`),
      rotate: (keyId: string, overlapSeconds: number, idempotencyKey: string) =>
        client.post<RotatedApiKey>(`/keys/${segment(keyId)}/rotate`, { body: { overlapSeconds }, idempotencyKey }),
    },
    searchModes: {
      /** Any mode; a mode the server does not offer comes back as its problem, shown as is. */
      query: (q: string, mode: SearchMode, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<SearchHit>>('/search', withSignal({ query: { q, mode, cursor, limit: 20 } }, signal)),
    },
    drafts: {
      list: (filter: DraftFilter, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Draft>>('/drafts', withSignal({ query: { ...filter, cursor, limit: 50 } }, signal)),
      get: (id: string, signal?: AbortSignal) => client.get<Draft>(`/drafts/${segment(id)}`, withSignal({}, signal)),
      edit: (id: string, body: { title?: string; body?: string; evidence?: EvidenceLink[]; version: number }) =>
        client.patch<Draft>(`/drafts/${segment(id)}`, { body }),
      approve: (id: string) => client.post<Draft>(`/drafts/${segment(id)}/approve`),
      reject: (id: string, reason: string) => client.post<Draft>(`/drafts/${segment(id)}/reject`, { body: { reason } }),
      batch: (items: ReadonlyArray<{ id: string; action: 'approve' | 'reject'; reason?: string }>) =>
        client.post<{ results: BatchItemResult[] }>('/drafts/batch', { body: { items } }),
    },
    artifacts: {
      list: (subcortex: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<Artifact>>('/artifacts', withSignal({ query: { subcortex, cursor, limit: 50 } }, signal)),
      get: (id: string, signal?: AbortSignal) => client.get<Artifact>(`/artifacts/${segment(id)}`, withSignal({}, signal)),
      create: (body: { subcortex: string; title: string; kind: string }, idempotencyKey: string) =>
        client.post<Artifact>('/artifacts', { body, idempotencyKey }),
      versions: (id: string, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<ArtifactVersion>>(`/artifacts/${segment(id)}/versions`, withSignal({ query: { cursor, limit: 100 } }, signal)),
      version: (id: string, n: number, signal?: AbortSignal) =>
        client.get<ArtifactVersion>(`/artifacts/${segment(id)}/versions/${n}`, withSignal({}, signal)),
      /** Proposes a new version based on `basedOn`; 202 means the template held it for review as a draft. */
      propose: (id: string, body: { body: string; evidence: EvidenceLink[]; basedOn?: number }, idempotencyKey: string) =>
        submitted<ArtifactVersion>(client.exchange('POST', `/artifacts/${segment(id)}/versions`, { body, idempotencyKey })),
      /** Accepts the revision the reviewer read: a version co-edited since is refused (412). */
      accept: (id: string, n: number, revision: number) =>
        client.post<ArtifactVersion>(`/artifacts/${segment(id)}/versions/${n}/accept`, { ifMatch: revision }),
      diff: (id: string, from: number, to: number, signal?: AbortSignal) =>
        client.get<ArtifactDiff>(`/artifacts/${segment(id)}/diff`, withSignal({ query: { from, to } }, signal)),
      deprecate: (id: string) => client.post<Artifact>(`/artifacts/${segment(id)}/deprecate`),
      supersede: (id: string, by: string) => client.post<Artifact>(`/artifacts/${segment(id)}/supersede`, { body: { by } }),
    },
    operations: {
      // The server's operations endpoints live under /admin, beside /api/v1.
      reindex: (body: { subcortex?: string; targets?: string[] }) => client.withBaseUrl('/admin').post<ReindexRun>('/reindex', { body }),
      reindexRun: (id: string, signal?: AbortSignal) => client.withBaseUrl('/admin').get<ReindexRun>(`/reindex/${segment(id)}`, withSignal({}, signal)),
    },
    quarantine: {
      list: (active: boolean, cursor: string | undefined, signal?: AbortSignal) =>
        client.get<Page<QuarantineRecord>>('/quarantine', withSignal({ query: { active, cursor, limit: 50 } }, signal)),
      create: (body: { entity: string; entityId: string; reason: string }, idempotencyKey: string) =>
        client.post<QuarantineRecord>('/quarantine', { body, idempotencyKey }),
      lift: (id: string, reason: string | undefined) =>
        client.post<QuarantineRecord>(`/quarantine/${segment(id)}/lift`, { body: reason ? { reason } : {} }),
    },
    templates: {
      list: (slug: string, signal?: AbortSignal) =>
        client.get<SubcortexTemplate[]>(`/subcortexes/${segment(slug)}/templates`, withSignal({}, signal)),
      /** Creates or replaces the template for `kind` (`*` for every kind). */
      put: (slug: string, kind: string, body: TemplateRequest) =>
        client.put<SubcortexTemplate>(`/subcortexes/${segment(slug)}/templates/${segment(kind)}`, { body }),
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

/** 202 Accepted means the draft gate held the write for review; its body is the draft. */
export async function submitted<T>(answer: Promise<Answer<unknown>>): Promise<Submitted<T>> {
  const { status, body } = await answer;
  return status === 202 ? { held: true, draft: body as Draft } : { held: false, item: body as T };
}

function withSignal<T extends object>(options: T, signal: AbortSignal | undefined): T & { signal?: AbortSignal } {
  return signal ? { ...options, signal } : options;
}
