-- Web UI sign-in (issue 7): password hashes for human principals and server-side cookie sessions.
-- Numbered well above the foundation's migrations so the two series can grow without colliding.

ALTER TABLE principals ADD COLUMN password_hash text;
ALTER TABLE principals ADD COLUMN password_changed_at timestamptz;

-- One row per signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a database
-- leak does not hand out live sessions. Expiry slides (expires_at) up to a hard limit (absolute_expires_at);
-- sign-out, a password change and disabling the principal end sessions at once.
CREATE TABLE web_sessions (
    id                  text PRIMARY KEY,
    token_hash          bytea NOT NULL UNIQUE,
    principal_id        text NOT NULL REFERENCES principals (id),
    csrf_token          text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    last_seen_at        timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    revoked_at          timestamptz,
    remote_ip           text,
    user_agent          text
);
CREATE INDEX web_sessions_principal ON web_sessions (principal_id) WHERE revoked_at IS NULL;
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
