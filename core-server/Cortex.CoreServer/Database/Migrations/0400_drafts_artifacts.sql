-- Templates, drafts, artifacts and canon (issue 6). Numbered after observations (0200) and sync (0300).

ALTER TABLE subcortexes DROP CONSTRAINT subcortexes_state_check;
ALTER TABLE subcortexes ADD CONSTRAINT subcortexes_state_check
    CHECK (state IN ('proposed', 'active', 'archived', 'merged', 'declined'));

-- What a subcortex expects of one kind of content (a thread kind such as 'incident', or an artifact kind such as
-- 'runbook'); kind '*' applies to every kind without a template of its own.
CREATE TABLE subcortex_templates (
    subcortex_id        text NOT NULL REFERENCES subcortexes (id),
    kind                text NOT NULL,
    required_sections   text[] NOT NULL DEFAULT '{}',
    review_required     boolean NOT NULL DEFAULT false,
    min_evidence        int NOT NULL DEFAULT 0 CHECK (min_evidence >= 0),
    evidence_kinds      text[] NOT NULL DEFAULT '{thread,observation,attachment,url}',
    version             bigint NOT NULL DEFAULT 1,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subcortex_id, kind)
);

CREATE TABLE artifacts (
    id             text PRIMARY KEY,
    subcortex_id   text NOT NULL REFERENCES subcortexes (id),
    title          text NOT NULL,
    kind           text NOT NULL,
    state          text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deprecated', 'superseded')),
    superseded_by  text REFERENCES artifacts (id),
    canon_version  int,
    latest_version int NOT NULL DEFAULT 0,
    created_by     text NOT NULL REFERENCES principals (id),
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_subcortex ON artifacts (subcortex_id, id);

-- Versions are immutable once written except for their state: proposed → canon → superseded.
CREATE TABLE artifact_versions (
    artifact_id text NOT NULL REFERENCES artifacts (id),
    number      int NOT NULL,
    body        text NOT NULL,
    body_html   text NOT NULL,
    evidence    jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(evidence) = 'array'),
    based_on    int,
    author_id   text NOT NULL REFERENCES principals (id),
    state       text NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'canon', 'superseded')),
    accepted_by text REFERENCES principals (id),
    accepted_at timestamptz,
    draft_id    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', body), 'B')) STORED,
    PRIMARY KEY (artifact_id, number)
);
-- Exactly one canon version per artifact, whatever races the application loses.
CREATE UNIQUE INDEX artifact_versions_one_canon ON artifact_versions (artifact_id) WHERE state = 'canon';
CREATE INDEX artifact_versions_search ON artifact_versions USING gin (search) WHERE state = 'canon';

CREATE TABLE drafts (
    id               text PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('thread', 'comment', 'artifactversion')),
    subcortex_id     text NOT NULL REFERENCES subcortexes (id),
    thread_id        text REFERENCES threads (id),
    artifact_id      text REFERENCES artifacts (id),
    author_id        text NOT NULL REFERENCES principals (id),
    title            text,
    thread_kind      text,
    body             text NOT NULL,
    evidence         jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(evidence) = 'array'),
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    reason           text,
    reviewed_by      text REFERENCES principals (id),
    reviewed_at      timestamptz,
    approval_latency_ms bigint,
    materialized_id  text,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT drafts_target CHECK (
        (kind = 'thread' AND title IS NOT NULL AND thread_kind IS NOT NULL)
        OR (kind = 'comment' AND thread_id IS NOT NULL)
        OR (kind = 'artifactversion' AND artifact_id IS NOT NULL))
);
CREATE INDEX drafts_queue ON drafts (state, id);
CREATE INDEX drafts_subcortex ON drafts (subcortex_id, id);

-- Every edit of a draft before review keeps the text it replaced.
CREATE TABLE draft_revisions (
    draft_id  text NOT NULL REFERENCES drafts (id),
    version   bigint NOT NULL,
    title     text,
    body      text NOT NULL,
    evidence  jsonb NOT NULL,
    edited_by text NOT NULL REFERENCES principals (id),
    edited_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (draft_id, version)
);
