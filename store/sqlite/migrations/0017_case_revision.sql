-- The statistics page keeps DepartmentStats per window in memory and serves
-- it again while nothing it counts has changed. Any write to cases, by this
-- process or another one on the same file, moves the revision, and a kept
-- result is served only at the revision it was computed at.
CREATE TABLE case_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO case_revision (id, n) VALUES (1, 0);

CREATE TRIGGER cases_revision_insert AFTER INSERT ON cases
BEGIN
    UPDATE case_revision SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER cases_revision_update AFTER UPDATE ON cases
BEGIN
    UPDATE case_revision SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER cases_revision_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_revision SET n = n + 1 WHERE id = 1;
END;
