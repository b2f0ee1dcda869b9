// The JSON shapes of core-server's /api/v1 (camelCase). Timestamps are ISO 8601 strings.

export type Role = 'admin' | 'reviewer' | 'member' | 'agent' | 'reader';
export type PrincipalKind = 'human' | 'agent';
export type SubcortexState = 'proposed' | 'active' | 'declined' | 'archived' | 'merged';
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

/** A rotation's answer: the new key (its secret shown once) and the old one, now expiring when the overlap ends. */
export interface RotatedApiKey extends CreatedApiKey {
  previous: ApiKey;
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
  /** Past its review date. */
  stale?: boolean;
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
  /** `thread`, `comment` or `artifactVersion` drafts; the fields below are what the review queue reads. */
  artifactId?: string | null;
  authorId?: string;
  threadKind?: string | null;
  evidence?: EvidenceLink[];
  reason?: string | null;
  reviewedBy?: string | null;
  reviewedAt?: string | null;
  /** The thread or comment id, or the artifact version number, that approval created. */
  materializedId?: string | null;
  version?: number;
  updatedAt?: string;
}

/** A write that either took effect (201) or went to the review queue as a draft (202). */
export type Submitted<T> = { held: false; item: T } | { held: true; draft: Draft };

export type DraftKind = 'thread' | 'comment' | 'artifactVersion';

export const draftKinds: readonly DraftKind[] = ['thread', 'comment', 'artifactVersion'];

/** Evidence an artifact version or draft cites: a thread, observation or attachment id, or an http(s) URL. */
export interface EvidenceLink {
  kind: 'thread' | 'observation' | 'attachment' | 'url' | string;
  target: string;
}

export interface DraftFilter {
  subcortex?: string | undefined;
  kind?: string | undefined;
  author?: string | undefined;
  state?: string | undefined;
}

/** One item's outcome in POST /drafts/batch: the draft after the decision, or the problem that refused it. */
export interface BatchItemResult {
  id?: string | null;
  status: number;
  draft?: Draft | null;
  problemType?: string | null;
  detail?: string | null;
}

export type ArtifactState = 'active' | 'deprecated' | 'superseded';
export type VersionState = 'proposed' | 'canon' | 'superseded';

export interface Artifact {
  id: string;
  subcortexId: string;
  title: string;
  kind: string;
  state: ArtifactState | string;
  supersededBy?: string | null;
  canonVersion?: number | null;
  latestVersion: number;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArtifactVersion {
  artifactId: string;
  number: number;
  body: string;
  /** Rendered and sanitized by the server. */
  bodyHtml: string;
  evidence: EvidenceLink[];
  basedOn?: number | null;
  authorId: string;
  state: VersionState | string;
  acceptedBy?: string | null;
  acceptedAt?: string | null;
  draftId?: string | null;
  createdAt: string;
  /** Counts live edits of a proposed version's text; accepting names the revision read. */
  revision: number;
  /** Everyone whose live edit reached the text; none of them may accept it into canon. */
  editors: string[];
}

export interface ArtifactDiff {
  from: number;
  to: number;
  unified: string;
}

export interface SubcortexTemplate {
  subcortexId: string;
  kind: string;
  requiredSections: string[];
  reviewRequired: boolean;
  minEvidence: number;
  evidenceKinds: string[];
  version: number;
  updatedAt: string;
}

/** The body of `PUT /subcortexes/{slug}/templates/{kind}`. */
export interface TemplateRequest {
  requiredSections: string[];
  reviewRequired: boolean;
  minEvidence: number;
  evidenceKinds: string[];
}

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

export const searchModes: readonly SearchMode[] = ['keyword', 'semantic', 'hybrid'];

export type TaskState = 'open' | 'inProgress' | 'blocked' | 'done' | 'cancelled';

export const taskStates: readonly TaskState[] = ['open', 'inProgress', 'blocked', 'done', 'cancelled'];

/** Assignable work in a subcortex. `dueAt` is ISO 8601; `linkKind`/`linkId` name the item it is about. */
export interface Task {
  id: string;
  subcortexId: string;
  title: string;
  description: string;
  state: TaskState;
  assigneeId?: string | null;
  dueAt?: string | null;
  linkKind?: 'thread' | 'draft' | 'artifact' | null;
  linkId?: string | null;
  createdBy: string;
  updatedBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | null;
}

/** GET /tasks filters: `assignee` is `me` or a principal id, `state` a comma-separated list, `dueBefore` ISO 8601. */
export interface TaskQuery {
  assignee?: string | undefined;
  state?: string | undefined;
  subcortex?: string | undefined;
  dueBefore?: string | undefined;
}

/** PATCH /tasks/{id}: absent fields stay; an empty assigneeId unassigns, an empty dueAt clears the due date. */
export interface TaskChange {
  title?: string;
  description?: string;
  state?: TaskState;
  assigneeId?: string;
  dueAt?: string;
}

export type NotificationKind = 'taskAssigned' | 'mention' | 'reviewRequested' | 'reviewDue' | 'taskDueSoon';

/** Something one principal should see; private to it. */
export interface Notification {
  id: string;
  principalId: string;
  kind: NotificationKind | string;
  /** `task`, `thread`, `comment`, `draft`… */
  subjectEntity: string;
  subjectId: string;
  subcortexId?: string | null;
  actorId?: string | null;
  title: string;
  readAt?: string | null;
  version: number;
  createdAt: string;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  ownerKind?: string | null;
  ownerId?: string | null;
  subcortexId?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An admin reindex (POST /admin/reindex) and how far the worker has come. */
export interface ReindexRun {
  id: string;
  subcortexId?: string | null;
  targets: string[];
  /** queued, running, succeeded or failed. */
  state: string;
  /** embeddings, fulltext, embeddings-index, fulltext-index; null before it starts. */
  phase?: string | null;
  total: number;
  processed: number;
  attempts: number;
  lastError?: string | null;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string | null;
}

/** One quarantine of one item, active until lifted. */
export interface QuarantineRecord {
  id: string;
  /** thread, comment, observation or artifactVersion. */
  entity: string;
  /** An artifact version's is `{artifactId}:{number}`. */
  entityId: string;
  subcortexId: string;
  reason: string;
  quarantinedBy: string;
  quarantinedAt: string;
  liftedBy?: string | null;
  liftedAt?: string | null;
  liftReason?: string | null;
  active: boolean;
}
