-- Foundation schema (issue 2). Ids are ULID strings; every mutable row carries a version for optimistic concurrency.

CREATE TABLE principals (
    id           text PRIMARY KEY,
    handle       text NOT NULL UNIQUE,
    display_name text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('human', 'agent')),
    role         text NOT NULL CHECK (role IN ('admin', 'reviewer', 'member', 'agent', 'reader')),
    disabled     boolean NOT NULL DEFAULT false,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    principal_id text NOT NULL REFERENCES principals (id),
    prefix       text NOT NULL UNIQUE,
    secret_hash  bytea NOT NULL,
    name         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_keys_principal ON api_keys (principal_id, id);

CREATE TABLE subcortexes (
    id             text PRIMARY KEY,
    slug           text NOT NULL UNIQUE,
    name           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    state          text NOT NULL CHECK (state IN ('proposed', 'active', 'archived', 'merged')),
    is_private     boolean NOT NULL DEFAULT false,
    merged_into_id text REFERENCES subcortexes (id),
    created_by     text NOT NULL REFERENCES principals (id),
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subcortex_members (
    subcortex_id text NOT NULL REFERENCES subcortexes (id),
    principal_id text NOT NULL REFERENCES principals (id),
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subcortex_id, principal_id)
);
CREATE INDEX subcortex_members_principal ON subcortex_members (principal_id);

CREATE TABLE threads (
    id           text PRIMARY KEY,
    subcortex_id text NOT NULL REFERENCES subcortexes (id),
    title        text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('discussion', 'question', 'incident', 'decision', 'announcement')),
    body         text NOT NULL,
    body_html    text NOT NULL,
    author_id    text NOT NULL REFERENCES principals (id),
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    search       tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED
);
CREATE INDEX threads_subcortex ON threads (subcortex_id, id DESC);
CREATE INDEX threads_search ON threads USING gin (search);

CREATE TABLE comments (
    id         text PRIMARY KEY,
    thread_id  text NOT NULL REFERENCES threads (id),
    author_id  text NOT NULL REFERENCES principals (id),
    body       text NOT NULL,
    body_html  text NOT NULL,
    version    bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search     tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);
CREATE INDEX comments_thread ON comments (thread_id, id);
CREATE INDEX comments_search ON comments USING gin (search);

-- The change feed. Positions are handed out by the single feed_head row as the last statement of each writing
-- transaction; the row lock is held until COMMIT, so positions become visible in commit order and a reader that
-- has seen position p can never later find a smaller one appear.
CREATE TABLE feed_head (
    id       int PRIMARY KEY CHECK (id = 1),
    position bigint NOT NULL
);
INSERT INTO feed_head (id, position) VALUES (1, 0);

CREATE TABLE changes (
    position     bigint PRIMARY KEY,
    entity       text NOT NULL,
    entity_id    text NOT NULL,
    operation    text NOT NULL CHECK (operation IN ('created', 'updated', 'deleted')),
    version      bigint NOT NULL,
    subcortex_id text,
    principal_id text,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE audit_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    principal_id text,
    key_id       text,
    action       text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('succeeded', 'denied', 'unauthenticated')),
    target_kind  text,
    target_id    text,
    method       text,
    path         text,
    remote_ip    text,
    detail       text
);
CREATE INDEX audit_events_principal ON audit_events (principal_id, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE idempotency_keys (
    principal_id  text NOT NULL REFERENCES principals (id),
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    status        int,
    content_type  text,
    location      text,
    etag          text,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal_id, key)
);
