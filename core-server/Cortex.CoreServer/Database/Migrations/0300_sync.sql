-- Sync engine (issue 4): idempotent outbox uploads, per-principal replica epochs, the private scopes each replica
-- has been fed (so lost access becomes a purge), and a NOTIFY on every feed commit for live "head advanced" pushes.

-- One row per uploaded client ULID, written in the same transaction as the mutation's effects, so a repeat gets the
-- first verdict and never applies twice.
CREATE TABLE sync_mutations (
    client_id    text PRIMARY KEY,
    principal_id text NOT NULL REFERENCES principals (id),
    kind         text NOT NULL,
    verdict      jsonb NOT NULL,
    decided_at   timestamptz NOT NULL DEFAULT now()
);

-- A principal's replicas hold this epoch; bumping it makes them wipe and re-bootstrap. No row means epoch 1.
CREATE TABLE sync_epochs (
    principal_id text PRIMARY KEY REFERENCES principals (id),
    epoch        bigint NOT NULL,
    reason       text NOT NULL,
    bumped_at    timestamptz NOT NULL DEFAULT now()
);

-- The subcortexes whose content a replica has been allowed to receive. A scope that leaves the principal's access gets
-- lost_at (the feed head then) and is purged on every pull until the replica's cursor passes lost_at, which proves it
-- applied a batch sent after the purge; only then is the row dropped.
CREATE TABLE sync_replica_scopes (
    replica_id   text NOT NULL,
    principal_id text NOT NULL REFERENCES principals (id),
    subcortex_id text NOT NULL REFERENCES subcortexes (id),
    lost_at      bigint,
    PRIMARY KEY (replica_id, subcortex_id)
);

-- NOTIFY is delivered at COMMIT and feed_head is updated as the last statement of every writing transaction, so
-- listeners hear about a position only once it is readable.
CREATE FUNCTION sync_notify_feed_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cortex_feed', NEW.position::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER feed_head_notify AFTER UPDATE ON feed_head FOR EACH ROW EXECUTE FUNCTION sync_notify_feed_head();
