-- A counter of changes to who may read which subcortex (subcortexes created, deleted or made private or public;
-- memberships). A replica's scopes, once settled at a version, cannot change until the version moves, so pulls skip
-- the scope refresh (a write transaction) while it stays. Updated in the same transaction as the change it counts, so a
-- reader's snapshot never sees the new access with the old version. Access changes are rare; the one hot row is fine.
CREATE TABLE sync_access_version (
    id      int PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO sync_access_version (id, version) VALUES (1, 0);

CREATE FUNCTION sync_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sync_access_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER subcortexes_access_changed AFTER INSERT OR DELETE ON subcortexes
    FOR EACH STATEMENT EXECUTE FUNCTION sync_access_changed();
CREATE TRIGGER subcortexes_privacy_changed AFTER UPDATE OF is_private ON subcortexes
    FOR EACH STATEMENT EXECUTE FUNCTION sync_access_changed();
CREATE TRIGGER subcortex_members_access_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON subcortex_members
    FOR EACH STATEMENT EXECUTE FUNCTION sync_access_changed();
