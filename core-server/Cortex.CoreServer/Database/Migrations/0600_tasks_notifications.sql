-- Tasks (assignable work in a subcortex) and notifications (private to their principal), issue 6.

CREATE TABLE tasks (
    id               text PRIMARY KEY,
    subcortex_id     text NOT NULL REFERENCES subcortexes (id),
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'inprogress', 'blocked', 'done', 'cancelled')),
    assignee_id      text REFERENCES principals (id),
    -- Who set the current assignee and at which task version: together they identify the assignment event, so a
    -- re-assignment notifies again and a replayed fan-out does not.
    assigned_by      text REFERENCES principals (id),
    assigned_version bigint,
    due_at           timestamptz,
    link_kind        text CHECK (link_kind IN ('thread', 'draft', 'artifact')),
    link_id          text,
    created_by       text NOT NULL REFERENCES principals (id),
    updated_by       text NOT NULL REFERENCES principals (id),
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    CONSTRAINT tasks_link CHECK ((link_kind IS NULL) = (link_id IS NULL)),
    CONSTRAINT tasks_assignment CHECK ((assignee_id IS NULL) OR (assigned_version IS NOT NULL AND assigned_by IS NOT NULL))
);
CREATE INDEX tasks_subcortex ON tasks (subcortex_id, id DESC);
CREATE INDEX tasks_assignee ON tasks (assignee_id, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX tasks_due ON tasks (due_at) WHERE due_at IS NOT NULL AND state IN ('open', 'inprogress', 'blocked');

CREATE TABLE notifications (
    id             text PRIMARY KEY,
    principal_id   text NOT NULL REFERENCES principals (id),
    kind           text NOT NULL CHECK (kind IN ('taskassigned', 'mention', 'reviewrequested', 'reviewdue', 'taskduesoon', 'draftdecided')),
    subject_entity text NOT NULL,
    subject_id     text NOT NULL,
    subcortex_id   text REFERENCES subcortexes (id),
    actor_id       text REFERENCES principals (id),
    title          text NOT NULL,
    -- The source event (e.g. 'mention:comment:<id>'): one notification per principal per event, whatever retries.
    dedup_key      text NOT NULL,
    read_at        timestamptz,
    -- Set by the one server instance that pushed it live to the principal's connected clients.
    pushed_at      timestamptz,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_once UNIQUE (principal_id, dedup_key)
);
CREATE INDEX notifications_inbox ON notifications (principal_id, id DESC);
CREATE INDEX notifications_unread ON notifications (principal_id, id DESC) WHERE read_at IS NULL;
-- Reminders look up their source event across recipients.
CREATE INDEX notifications_dedup ON notifications (dedup_key);
CREATE INDEX notifications_unpushed ON notifications (created_at) WHERE pushed_at IS NULL;

-- How far the worker's fan-out has read the change feed. It starts at the current head: content written before
-- notifications existed notifies nobody.
CREATE TABLE notification_fanout_cursor (
    id       int PRIMARY KEY CHECK (id = 1),
    position bigint NOT NULL
);
INSERT INTO notification_fanout_cursor (id, position) SELECT 1, position FROM feed_head WHERE id = 1;
