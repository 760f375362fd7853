-- Crawl state: what the crawler remembers per URL for conditional GET, and
-- the progress of each crawl run. Times are unix seconds in UTC.
CREATE TABLE page_states (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL DEFAULT '',
    fetched       INTEGER
) STRICT;

CREATE TABLE crawl_runs (
    id                 TEXT PRIMARY KEY,
    source             TEXT NOT NULL,
    started            INTEGER NOT NULL,
    finished           INTEGER,
    pages_fetched      INTEGER NOT NULL DEFAULT 0,
    pages_not_modified INTEGER NOT NULL DEFAULT 0,
    items              INTEGER NOT NULL DEFAULT 0,
    new_items          INTEGER NOT NULL DEFAULT 0,
    errors             INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX crawl_runs_source_started ON crawl_runs (source, started);
