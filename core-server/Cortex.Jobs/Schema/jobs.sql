-- The durable job queue of Cortex.Jobs. Idempotent, so it runs on every worker start and can be included in
-- the server's migrations as it is.
--
-- States: queued -> running -> succeeded | failed (waits for run_after, then runs again) | dead (no attempts left,
-- or a permanent failure). A running job holds a lease (locked_until); one whose lease expires is taken again.

CREATE TABLE IF NOT EXISTS jobs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind ~ '^[a-z0-9][a-z0-9._-]{0,199}$'),
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    state        text        NOT NULL DEFAULT 'queued'
                             CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
    attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts integer     NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    run_after    timestamptz NOT NULL DEFAULT now(),
    locked_by    text,
    locked_until timestamptz,
    last_error   text,
    dedup_key    text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CONSTRAINT jobs_lease_only_while_running CHECK ((state = 'running') = (locked_until IS NOT NULL))
);

-- A dedup key is unique among unfinished jobs of a kind; once a job finishes, the key may be used again.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_dedup_unfinished ON jobs (kind, dedup_key)
    WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'failed');

CREATE INDEX IF NOT EXISTS jobs_due ON jobs (run_after, id) WHERE state IN ('queued', 'failed');
CREATE INDEX IF NOT EXISTS jobs_leases ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS jobs_unfinished_by_kind ON jobs (kind, state) WHERE state <> 'succeeded';
CREATE INDEX IF NOT EXISTS jobs_succeeded ON jobs (finished_at) WHERE state = 'succeeded';

-- Idle workers LISTEN on cortex_jobs; each insert statement wakes them once per kind it added (on commit).
CREATE OR REPLACE FUNCTION jobs_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cortex_jobs', k.kind) FROM (SELECT DISTINCT kind FROM inserted) AS k;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER jobs_notify_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify_inserted();
