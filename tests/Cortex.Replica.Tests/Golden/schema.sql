CREATE TABLE artifact_versions (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    artifact_id,
    number,
    state,
    author_id,
    created_at);
CREATE TABLE artifacts (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    title,
    kind,
    canon_version,
    updated_at);
CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    thread_id,
    author_id,
    created_at);
CREATE TABLE document_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    origin INTEGER NOT NULL,
    payload BLOB NOT NULL,
    at_ms INTEGER NOT NULL);
CREATE TABLE documents (
    document_id TEXT PRIMARY KEY,
    text TEXT,
    update_count INTEGER NOT NULL DEFAULT 0,
    updated_at_ms INTEGER NOT NULL);
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    kind,
    state,
    author_id,
    target_id,
    created_at);
CREATE TABLE epoch_resets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    from_epoch INTEGER NOT NULL,
    to_epoch INTEGER NOT NULL,
    reason TEXT NOT NULL);
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    principal_id,
    kind,
    read_at,
    created_at);
CREATE TABLE observations (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    kind,
    author_id,
    created_at);
CREATE TABLE other_entities (
    entity TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    PRIMARY KEY (entity, id));
CREATE TABLE outbox (
    client_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    target_entity TEXT,
    target_id TEXT,
    payload BLOB NOT NULL,
    base_version INTEGER,
    created_at_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'accepted', 'draft', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    sent_at_ms INTEGER,
    last_error TEXT,
    visible_at INTEGER,
    entity_id TEXT,
    draft_id TEXT,
    reason_code TEXT,
    reason_message TEXT,
    decided_at_ms INTEGER);
CREATE TABLE principals (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    handle,
    display_name,
    kind,
    role,
    disabled);
CREATE TABLE purge_fences (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at_position INTEGER NOT NULL,
    PRIMARY KEY (kind, key));
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL);
CREATE TABLE sqlite_sequence(name,seq);
CREATE TABLE subcortexes (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    slug,
    name,
    state,
    is_private,
    merged_into_id);
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    replica_id TEXT NOT NULL,
    server_url TEXT,
    principal_id TEXT,
    epoch INTEGER NOT NULL DEFAULT 0,
    cursor INTEGER NOT NULL DEFAULT 0,
    head INTEGER NOT NULL DEFAULT 0,
    lag_since_ms INTEGER,
    last_sync_at_ms INTEGER,
    bootstrap_sent INTEGER,
    bootstrap_total INTEGER,
    reset_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    title,
    state,
    assignee_id,
    due_at);
CREATE TABLE threads (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    subcortex_id TEXT,
    json TEXT NOT NULL,
    embedding BLOB,
    title,
    kind,
    author_id,
    created_at,
    updated_at);
CREATE INDEX artifact_versions_artifact_id ON artifact_versions (artifact_id);
CREATE INDEX artifact_versions_subcortex ON artifact_versions (subcortex_id);
CREATE INDEX artifacts_subcortex ON artifacts (subcortex_id);
CREATE INDEX comments_subcortex ON comments (subcortex_id);
CREATE INDEX comments_thread_id ON comments (thread_id);
CREATE INDEX document_updates_document ON document_updates (document_id, seq);
CREATE INDEX drafts_subcortex ON drafts (subcortex_id);
CREATE INDEX notifications_created_at ON notifications (created_at);
CREATE INDEX notifications_subcortex ON notifications (subcortex_id);
CREATE INDEX observations_created_at ON observations (created_at);
CREATE INDEX observations_subcortex ON observations (subcortex_id);
CREATE INDEX other_entities_subcortex ON other_entities (subcortex_id);
CREATE INDEX outbox_state ON outbox (state, client_id);
CREATE INDEX principals_subcortex ON principals (subcortex_id);
CREATE INDEX subcortexes_slug ON subcortexes (slug);
CREATE INDEX subcortexes_subcortex ON subcortexes (subcortex_id);
CREATE INDEX tasks_assignee_id ON tasks (assignee_id);
CREATE INDEX tasks_subcortex ON tasks (subcortex_id);
CREATE INDEX threads_subcortex ON threads (subcortex_id);
CREATE INDEX threads_updated_at ON threads (updated_at);
