-- CRDT document bodies (issue 4): one Yjs doc per body (thread, draft, proposed artifact version), kept as an append-only
-- log of v1 updates that compaction replaces by their merge. The owning entity's body stays the source of truth for
-- REST, search and replicas; the doc materializes into it on every accepted update.

CREATE TABLE documents (
    id                text PRIMARY KEY,
    -- The entity body the doc last wrote or was reconciled with; a different body means a REST edit the doc lacks.
    materialized_body text NOT NULL,
    -- Updates appended since the last compaction.
    update_count      int NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE document_updates (
    document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    payload     bytea NOT NULL,
    -- Who sent it (principal id); null for the server's own seed, reconciliation and compaction updates.
    author_id   text REFERENCES principals (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, seq)
);
