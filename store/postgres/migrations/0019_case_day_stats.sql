-- Running totals of the statistics: DepartmentStats of a window sums the
-- China days it covers from here, and counts from cases only the part of a
-- day at either end and the cases due today. Counting 100,000 cases took
-- 0.4-0.66 s, and a kept answer holds only until the next case write.
--
-- One row per department, China day of receipt and China day of due date
-- (days since 1 January 1970 there, UTC+8; 2147483647: no due date), with
-- the cases of that key in each figure of minyi.DepartmentStats that does
-- not depend on now. The due day lets a window count the cases due in it
-- (and by now) and the open ones overdue. Cases without a department are
-- not counted, nor kept here. A row whose last case leaves is deleted.
CREATE TABLE case_day_stats (
    received_day     INTEGER NOT NULL,
    department       TEXT COLLATE "C" NOT NULL,
    due_day          INTEGER NOT NULL,
    received         INTEGER NOT NULL,
    answered         INTEGER NOT NULL, -- answered or closed
    answered_on_time INTEGER NOT NULL, -- answered or closed, on time
    returned         INTEGER NOT NULL,
    rated            INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL, -- satisfied or basically satisfied
    open             INTEGER NOT NULL, -- open or routing
    repeats          INTEGER NOT NULL, -- 重复件
    answered_once    INTEGER NOT NULL, -- answered or closed, or 重办
    redone           INTEGER NOT NULL, -- 重办
    PRIMARY KEY (received_day, department, due_day)
);

CREATE FUNCTION china_day(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT floor((extract(epoch FROM t) + 28800) / 86400)::integer
$$;

-- Moves case c in the totals: sign -1 takes it out of its key, 1 puts it in.
-- The one place that turns a case into figures.
CREATE FUNCTION case_day_stats_move(c cases, sign integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_day_stats AS s
    SELECT china_day(c.received), c.department, coalesce(china_day(c.due), 2147483647),
        sign,
        sign * (c.status IN ('answered', 'closed'))::integer,
        sign * (c.status IN ('answered', 'closed') AND c.on_time)::integer,
        sign * (c.returns > 0)::integer,
        sign * (c.rating <> '')::integer,
        sign * (c.rating IN ('satisfied', 'basic'))::integer,
        sign * (c.status IN ('routing', 'open'))::integer,
        sign * (c.repeat_of IS NOT NULL)::integer,
        sign * (c.status IN ('answered', 'closed') OR c.redo)::integer,
        sign * c.redo::integer
    WHERE c.department <> ''
    ON CONFLICT (received_day, department, due_day) DO UPDATE SET
        received = s.received + excluded.received,
        answered = s.answered + excluded.answered,
        answered_on_time = s.answered_on_time + excluded.answered_on_time,
        returned = s.returned + excluded.returned,
        rated = s.rated + excluded.rated,
        satisfied = s.satisfied + excluded.satisfied,
        open = s.open + excluded.open,
        repeats = s.repeats + excluded.repeats,
        answered_once = s.answered_once + excluded.answered_once,
        redone = s.redone + excluded.redone;
    DELETE FROM case_day_stats
    WHERE received_day = china_day(c.received) AND department = c.department
        AND due_day = coalesce(china_day(c.due), 2147483647) AND received = 0;
$$;

-- Every write to cases moves its case in the totals, in its own
-- transaction: the old row leaves its key, the new row joins its key. The
-- case_revision trigger already queues case writers on one row lock, so
-- two writers never lock totals rows in opposite orders.
CREATE FUNCTION cases_day_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE case_day_stats;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM case_day_stats_move(OLD, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM case_day_stats_move(NEW, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_day_stats AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_day_stats_follow();
CREATE TRIGGER cases_day_stats_truncate AFTER TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_day_stats_follow();

-- The cases stored so far, as if each were written now.
SELECT case_day_stats_move(c, 1) FROM cases c WHERE department <> '';
