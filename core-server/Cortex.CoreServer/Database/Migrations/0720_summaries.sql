-- Extractive summaries (issue 6, issue 8): a thread's summary and a subcortex's digest, computed by the worker and
-- rebuilt by POST /admin/rebuild-summaries. Writes enqueue the work through triggers. No dedup key: a unique-index
-- conflict with another writer's uncommitted job would make concurrent writes to one subcortex wait for each other's
-- commit. Duplicates are cheap instead: the handlers skip work that is already current.

CREATE TABLE thread_summaries (
    thread_id      text PRIMARY KEY REFERENCES threads (id),
    summary        text NOT NULL,
    sentences      int NOT NULL,
    thread_version bigint NOT NULL,
    comment_count  int NOT NULL,
    computed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subcortex_digests (
    subcortex_id   text PRIMARY KEY REFERENCES subcortexes (id),
    digest         jsonb NOT NULL CHECK (jsonb_typeof(digest) = 'object'),
    computed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION summaries_enqueue(p_kind text, p_keys text[], p_delay interval) RETURNS void LANGUAGE sql AS $$
    INSERT INTO jobs (kind, payload, run_after, max_attempts)
    SELECT p_kind, jsonb_build_object('id', k), now() + p_delay, 5 FROM (SELECT DISTINCT unnest(p_keys) AS k) AS keys
$$;

CREATE FUNCTION summaries_thread_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM summaries_enqueue('summaries.thread', ARRAY(SELECT id FROM written), interval '2 seconds');
    PERFORM summaries_enqueue('summaries.digest', ARRAY(SELECT subcortex_id FROM written), interval '30 seconds');
    RETURN NULL;
END
$$;

CREATE FUNCTION summaries_comment_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM summaries_enqueue('summaries.thread', ARRAY(SELECT thread_id FROM written), interval '2 seconds');
    RETURN NULL;
END
$$;

CREATE TRIGGER threads_summaries_inserted AFTER INSERT ON threads REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION summaries_thread_written();
CREATE TRIGGER threads_summaries_updated AFTER UPDATE ON threads REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION summaries_thread_written();
CREATE TRIGGER comments_summaries_inserted AFTER INSERT ON comments REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION summaries_comment_written();
