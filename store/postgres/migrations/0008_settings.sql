-- Settings an admin edits on the pages (departments, routing rules, deadline
-- policy), seeded from the config file. Every save is a new version, so who
-- changed what, and when, is kept; the highest version is in force.
CREATE TABLE settings (
    key     TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    value   JSONB NOT NULL,
    author  TEXT NOT NULL DEFAULT '',
    at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, version)
);
