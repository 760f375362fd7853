-- Notices to a department as a whole, opened by the audit. key is unique per
-- department, rung and audit window, so a re-run audit opens none twice.
-- seq is the insertion order, which breaks ties between notices at one time.
CREATE TABLE department_escalations (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT NOT NULL UNIQUE,
    department   TEXT NOT NULL,
    rung         TEXT NOT NULL,
    at           INTEGER NOT NULL,
    on_time_rate REAL NOT NULL,
    reason       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX department_escalations_department_at ON department_escalations (department, at);
CREATE INDEX department_escalations_at ON department_escalations (at);
