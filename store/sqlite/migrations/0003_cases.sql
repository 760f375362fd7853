-- Cases: the store's projection of each case workflow, for listing and
-- statistics, and the timeline of each case. Times are unix seconds in UTC;
-- NULL means not set. Booleans are 0 or 1.
CREATE TABLE cases (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    message_type TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    department   TEXT NOT NULL DEFAULT '', -- '' while routing
    routing      TEXT CHECK (routing IS NULL OR json_valid(routing)),
    status       TEXT NOT NULL CHECK (status IN ('routing', 'open', 'answered', 'closed')),
    received     INTEGER NOT NULL,
    due          INTEGER,
    extended     INTEGER NOT NULL DEFAULT 0,
    answered     INTEGER,
    on_time      INTEGER NOT NULL DEFAULT 0,
    rung         TEXT NOT NULL DEFAULT '',
    returns      INTEGER NOT NULL DEFAULT 0,
    rating       TEXT NOT NULL DEFAULT '',
    redo         INTEGER NOT NULL DEFAULT 0,
    historical   INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER
) STRICT;

-- A department's inbox: its cases by status, newest first (id breaks ties).
CREATE INDEX cases_inbox ON cases (department, status, received, id);
-- Exports and listings over a window of received times.
CREATE INDEX cases_received ON cases (received);
-- Department statistics: covers every column the audit reads, in department
-- order, so it is computed from the index alone with no sort; it also serves
-- a department's inbox across statuses.
CREATE INDEX cases_stats ON cases (department, received, status, due, on_time, returns, rating);
-- The overdue board: open or routing cases by due date, with the columns a
-- page is sorted by, so that only the cases on the page are read.
CREATE INDEX cases_status_due ON cases (status, due, received, id);

-- No foreign key to cases: a workflow writes its events and its snapshot in
-- separate activities, and either may land first.
-- seq is the insertion order, which breaks ties between events at one time.
CREATE TABLE case_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    TEXT NOT NULL,
    key        TEXT NOT NULL,
    type       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    due        INTEGER,
    UNIQUE (case_id, key)
) STRICT;

CREATE INDEX case_events_timeline ON case_events (case_id, at, seq);
