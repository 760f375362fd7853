-- Accounts of the web interface: users, their sessions and API tokens, and
-- the append-only audit log. Secrets are stored only as hashes. Times are
-- unix seconds in UTC.
CREATE TABLE users (
    login         TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'department', 'supervisor', 'admin')),
    department    TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    last_login    INTEGER,
    created       INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id_hash   TEXT PRIMARY KEY,          -- sha256 of the cookie value
    login     TEXT NOT NULL,
    csrf      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_login ON sessions (login);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    login      TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,     -- sha256 of the token
    created    INTEGER NOT NULL,
    last_used  INTEGER
) STRICT;
CREATE INDEX api_tokens_login ON api_tokens (login);

CREATE TABLE audit_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL DEFAULT '',    -- login, or '' when nobody is logged in
    action  TEXT NOT NULL,               -- e.g. login, login_failed, denied, user_add, export
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
