-- Settings an admin edits on the pages (departments, routing rules, deadline
-- policy), seeded from the config file. Every save is a new version, so who
-- changed what, and when, is kept; the highest version is in force.
CREATE TABLE settings (
    key     TEXT NOT NULL,               -- e.g. routing, deadlines
    version INTEGER NOT NULL,
    value   TEXT NOT NULL CHECK (json_valid(value)),
    author  TEXT NOT NULL DEFAULT '',
    at      INTEGER NOT NULL,
    PRIMARY KEY (key, version)
) STRICT;
