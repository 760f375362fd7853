-- The statistics page keeps DepartmentStats per window in memory and serves
-- it again while nothing it counts has changed. Any write to cases, by any
-- process, moves the revision in the writing transaction, and a kept result
-- is served only at the revision it was computed at.
CREATE TABLE case_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO case_revision (id, n) VALUES (1, 0);

-- Once per statement, before it: a transaction takes the revision's row
-- lock before any case row lock, so two case writers queue on the revision
-- and never deadlock over case rows.
CREATE FUNCTION case_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_revision SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_revision BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_revision_bump();
