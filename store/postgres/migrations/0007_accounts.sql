-- Accounts of the web interface: users, their sessions and API tokens, and
-- the append-only audit log. Secrets are stored only as hashes.
CREATE TABLE users (
    login         TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'department', 'supervisor', 'admin')),
    department    TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT false,
    last_login    TIMESTAMPTZ,
    created       TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id_hash   TEXT PRIMARY KEY,
    login     TEXT COLLATE "C" NOT NULL,
    csrf      TEXT NOT NULL,
    created   TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_login ON sessions (login);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    login      TEXT COLLATE "C" NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    created    TIMESTAMPTZ NOT NULL,
    last_used  TIMESTAMPTZ
);
CREATE INDEX api_tokens_login ON api_tokens (login);

CREATE TABLE audit_log (
    seq     BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    actor   TEXT NOT NULL DEFAULT '',
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
