-- Observation full-text vectors leave the insert path (issue 6, ingestion goal; DECISIONS.md 2026-11-27). The english
-- to_tsvector was the largest single cost of a batch insert, so observations are written with search NULL and
-- ObservationSearchIndexer fills it after the burst. Until then keyword search computes the vector of the few
-- not-yet-indexed rows itself (SearchableItems), found through observations_unindexed; the expression stays
-- to_tsvector('english', kind || ' ' || body) everywhere (ObservationSearch.VectorSql).

DROP INDEX observations_search;
ALTER TABLE observations ALTER COLUMN search DROP EXPRESSION;
CREATE INDEX observations_search ON observations USING gin (search) WHERE search IS NOT NULL;
CREATE INDEX observations_unindexed ON observations (created_at) WHERE search IS NULL;

-- A write to the text (a correction, or the reindex's "SET body = body") recomputes the vector at once, as the
-- generated column did.
CREATE FUNCTION observations_search_recompute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := to_tsvector('english', NEW.kind || ' ' || NEW.body);
    RETURN NEW;
END
$$;

CREATE TRIGGER observations_search_recompute BEFORE UPDATE OF kind, body ON observations
    FOR EACH ROW EXECUTE FUNCTION observations_search_recompute();

-- Re-embed when the searchable text changes, not when the indexer fills search in (which changes search only).
CREATE FUNCTION search_embed_observations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_enqueue_embeddings('observation', ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.kind IS DISTINCT FROM o.kind OR n.body IS DISTINCT FROM o.body));
    RETURN NULL;
END
$$;

DROP TRIGGER observations_embed_updated ON observations;
CREATE TRIGGER observations_embed_updated AFTER UPDATE ON observations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_embed_observations_updated();
