-- 舆情事件: what an analyst raised and judged. Its state (open, answered,
-- closed, the rung reached) is its case's, the row of cases with the same
-- id, which the case workflow keeps.
CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('general', 'serious', 'major')),
    note        TEXT NOT NULL,
    event       TEXT NOT NULL DEFAULT '',
    document_id TEXT NOT NULL,
    department  TEXT NOT NULL,
    deadline    INTEGER NOT NULL,
    raised_by   TEXT NOT NULL,
    raised      INTEGER NOT NULL
) STRICT;
CREATE INDEX incidents_deadline ON incidents (deadline, id);

-- The watch desk (值班台): when each analyst last marked it read.
CREATE TABLE watch_seen (
    login TEXT PRIMARY KEY,
    seen  INTEGER NOT NULL
) STRICT;
