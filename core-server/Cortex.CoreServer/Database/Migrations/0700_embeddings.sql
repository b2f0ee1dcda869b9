-- Semantic search (issue 6): one all-MiniLM-L6-v2 vector per searchable item, computed by the worker.
-- entity is the feed entity name (thread, comment, observation, artifact — an artifact's vector is its canon version's);
-- version is the item's row version that was embedded, so a newer row is known to be stale.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE embeddings (
    entity       text NOT NULL CHECK (entity IN ('thread', 'comment', 'observation', 'artifact')),
    entity_id    text NOT NULL,
    version      bigint NOT NULL,
    model        text NOT NULL,
    subcortex_id text NOT NULL REFERENCES subcortexes (id),
    embedding    vector(384) NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, entity_id)
);
CREATE INDEX embeddings_subcortex ON embeddings (subcortex_id);
-- Vectors are L2-normalized, so cosine distance orders exactly like inner product; cosine keeps the scores readable.
CREATE INDEX embeddings_hnsw ON embeddings USING hnsw (embedding vector_cosine_ops);

-- Search ranks a thread or comment a reviewer approved through the draft gate as "accepted"; this finds its draft.
CREATE INDEX drafts_materialized ON drafts (materialized_id) WHERE state = 'approved';

-- Every searchable write enqueues embedding work in its own transaction, batched per statement (job kind search.embed,
-- payload {entity, ids}, at most 1,000 ids per job). Triggers cover every write path: REST, drafts approval, sync
-- uploads, document edits. New observations are the exception: batch ingestion enqueues one job per batch itself
-- (ObservationIngest), so only their (rare) updates are caught here.
CREATE FUNCTION search_enqueue_embeddings(p_entity text, p_ids text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO jobs (kind, payload, max_attempts)
    SELECT 'search.embed', jsonb_build_object('entity', p_entity, 'ids', to_jsonb(array_agg(id ORDER BY id))), 8
    FROM (SELECT id, (row_number() OVER () - 1) / 1000 AS chunk FROM unnest(p_ids) AS id) AS t
    GROUP BY chunk
$$;

CREATE FUNCTION search_embed_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_enqueue_embeddings(TG_ARGV[0], ARRAY(SELECT id FROM inserted));
    RETURN NULL;
END
$$;

-- The generated search column changes exactly when the searchable text does.
CREATE FUNCTION search_embed_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_enqueue_embeddings(TG_ARGV[0], ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.search IS DISTINCT FROM o.search));
    RETURN NULL;
END
$$;

CREATE TRIGGER threads_embed_inserted AFTER INSERT ON threads REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_inserted('thread');
CREATE TRIGGER threads_embed_updated AFTER UPDATE ON threads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_updated('thread');
CREATE TRIGGER comments_embed_inserted AFTER INSERT ON comments REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_inserted('comment');
CREATE TRIGGER comments_embed_updated AFTER UPDATE ON comments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_updated('comment');
CREATE TRIGGER observations_embed_updated AFTER UPDATE ON observations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_updated('observation');

-- Only canon versions are searched: an artifact is (re-)embedded when a version becomes canon.
CREATE FUNCTION search_embed_canon() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_enqueue_embeddings('artifact', ARRAY(
        SELECT DISTINCT n.artifact_id FROM new_rows n
        WHERE n.state = 'canon'
          AND NOT EXISTS (SELECT 1 FROM old_rows o
                          WHERE o.artifact_id = n.artifact_id AND o.number = n.number AND o.state = 'canon')));
    RETURN NULL;
END
$$;

CREATE TRIGGER artifact_versions_embed_canon AFTER UPDATE ON artifact_versions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_canon();
