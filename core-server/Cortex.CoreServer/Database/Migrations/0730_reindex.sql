-- Admin reindex runs (issue 8). The worker moves cursor and processed in the same transaction as each chunk it
-- rewrites, so a run interrupted by a crash resumes after the last committed chunk instead of starting over.

CREATE TABLE reindex_runs (
    id            text PRIMARY KEY,
    subcortex_id  text REFERENCES subcortexes (id),
    targets       text[] NOT NULL CHECK (targets <@ ARRAY['embeddings', 'fulltext'] AND cardinality(targets) > 0),
    state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    phase         text,
    cursor        text,
    total         bigint NOT NULL DEFAULT 0,
    processed     bigint NOT NULL DEFAULT 0,
    attempts      int NOT NULL DEFAULT 0,
    last_error    text,
    requested_by  text NOT NULL REFERENCES principals (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
