-- Quarantine (issue 6): reviewers and admins hide an item from search, the change feed and replicas at once; lifting it
-- restores it. One row per quarantine, kept after it is lifted, so the history (who, when, why) stays.
-- entity is the feed entity name; an artifact version's id is '{artifactId}:{number}' as in the feed.

CREATE TABLE quarantines (
    id              text PRIMARY KEY,
    entity          text NOT NULL CHECK (entity IN ('thread', 'comment', 'observation', 'artifactVersion')),
    entity_id       text NOT NULL,
    subcortex_id    text NOT NULL REFERENCES subcortexes (id),
    reason          text NOT NULL,
    quarantined_by  text NOT NULL REFERENCES principals (id),
    quarantined_at  timestamptz NOT NULL DEFAULT now(),
    lifted_by       text REFERENCES principals (id),
    lifted_at       timestamptz,
    lift_reason     text,
    CONSTRAINT quarantines_lift_complete CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
-- At most one active quarantine per item; the search and feed filters probe this index.
CREATE UNIQUE INDEX quarantines_active ON quarantines (entity, entity_id) WHERE lifted_at IS NULL;
CREATE INDEX quarantines_listing ON quarantines (id DESC);
