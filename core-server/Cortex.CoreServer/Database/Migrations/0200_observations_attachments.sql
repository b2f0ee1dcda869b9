-- Observations and attachments (issue 6). Numbered well above the foundation's and the web sessions' migrations.

-- A small machine-recorded fact. The client names each item (client_id, unique per author) so that a replayed item
-- is recognised; content_hash tells a harmless replay from a different item sent under the same client id.
CREATE TABLE observations (
    id             text PRIMARY KEY,
    subcortex_id   text NOT NULL REFERENCES subcortexes (id),
    author_id      text NOT NULL REFERENCES principals (id),
    client_id      text NOT NULL,
    content_hash   bytea NOT NULL,
    kind           text NOT NULL,
    source         text,
    body           text NOT NULL,
    attributes     jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    occurred_at    timestamptz NOT NULL,
    attachment_ids text[] NOT NULL DEFAULT '{}',
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    search         tsvector GENERATED ALWAYS AS (to_tsvector('english', kind || ' ' || body)) STORED,
    CONSTRAINT observations_client_id_key UNIQUE (author_id, client_id)
);
CREATE INDEX observations_subcortex ON observations (subcortex_id, id DESC);
CREATE INDEX observations_search ON observations USING gin (search);

-- A file in the object store. Content-addressed: object_key is derived from sha256, so equal content is stored once
-- however many attachments point at it. The ACL follows the owner: the thread or observation it belongs to
-- (subcortex_id is that owner's subcortex), or, until it is linked, only the uploader.
CREATE TABLE attachments (
    id              text PRIMARY KEY,
    object_key      text NOT NULL,
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size            bigint NOT NULL CHECK (size >= 0),
    content_type    text NOT NULL,
    file_name       text NOT NULL,
    uploaded_by     text NOT NULL REFERENCES principals (id),
    owner_kind      text CHECK (owner_kind IN ('thread', 'observation')),
    owner_id        text,
    subcortex_id    text REFERENCES subcortexes (id),
    idempotency_key text,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT attachments_owner_complete CHECK ((owner_kind IS NULL) = (owner_id IS NULL) AND (owner_id IS NULL) = (subcortex_id IS NULL)),
    CONSTRAINT attachments_idempotency_key UNIQUE (uploaded_by, idempotency_key)
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX attachments_sha256 ON attachments (sha256);
