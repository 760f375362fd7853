-- Running totals of the statistics: DepartmentStats of a window sums the
-- China months it covers from case_month_stats, the other whole days from
-- case_day_stats, and counts from cases only the part of a day at either
-- end and the cases due on a day that the window or now cuts. Counting
-- 100,000 cases took 0.4-0.66 s, and a kept answer held only until the next
-- case write.
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
) WITH (fillfactor = 50); -- room for updates on their page (HOT)
-- The cases of a window received in whole months and due on a day that
-- the window or now cuts.
CREATE INDEX case_day_stats_due ON case_day_stats (due_day, received_day);

-- The same by China month of receipt and of due date (year * 12 + month -
-- 1; 2147483647: no due date), so that a year's window sums a few hundred
-- rows.
CREATE TABLE case_month_stats (
    received_month   INTEGER NOT NULL,
    department       TEXT COLLATE "C" NOT NULL,
    due_month        INTEGER NOT NULL,
    received         INTEGER NOT NULL,
    answered         INTEGER NOT NULL,
    answered_on_time INTEGER NOT NULL,
    returned         INTEGER NOT NULL,
    rated            INTEGER NOT NULL,
    satisfied        INTEGER NOT NULL,
    open             INTEGER NOT NULL,
    repeats          INTEGER NOT NULL,
    answered_once    INTEGER NOT NULL,
    redone           INTEGER NOT NULL,
    PRIMARY KEY (received_month, department, due_month)
) WITH (fillfactor = 50);

CREATE FUNCTION china_day(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT floor((extract(epoch FROM t) + 28800) / 86400)::integer
$$;
CREATE FUNCTION china_month(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT (extract(year FROM d) * 12 + extract(month FROM d) - 1)::integer
    FROM (SELECT date '1970-01-01' + china_day(t) AS d) AS day
$$;

-- What case c adds to each figure of its key times sign, or no row if it
-- has no department: the one place that turns a case into figures.
CREATE FUNCTION case_day_stats_delta(c cases, sign integer)
RETURNS TABLE (received integer, answered integer, answered_on_time integer, returned integer,
    rated integer, satisfied integer, open integer, repeats integer, answered_once integer,
    redone integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT sign,
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
$$;

-- Moves case c in the totals: sign -1 takes it out of its keys, 1 puts it
-- in. PL/pgSQL keeps its statements' plans for the session: a SQL function
-- called from a row trigger plans them again for every case written.
CREATE FUNCTION case_day_stats_move(c cases, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_day_stats AS s
    SELECT china_day(c.received), c.department, coalesce(china_day(c.due), 2147483647),
        d.received, d.answered, d.answered_on_time, d.returned, d.rated, d.satisfied, d.open,
        d.repeats, d.answered_once, d.redone
    FROM case_day_stats_delta(c, sign) AS d
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
    INSERT INTO case_month_stats AS s
    SELECT china_month(c.received), c.department, coalesce(china_month(c.due), 2147483647),
        d.received, d.answered, d.answered_on_time, d.returned, d.rated, d.satisfied, d.open,
        d.repeats, d.answered_once, d.redone
    FROM case_day_stats_delta(c, sign) AS d
    ON CONFLICT (received_month, department, due_month) DO UPDATE SET
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
    DELETE FROM case_month_stats
    WHERE received_month = china_month(c.received) AND department = c.department
        AND due_month = coalesce(china_month(c.due), 2147483647) AND received = 0;
END
$$;

-- Every write to cases moves its case in the totals, in its own
-- transaction: the old row leaves its key, the new row joins its key. The
-- case_revision trigger already queues case writers on one row lock, so
-- two writers never lock totals rows in opposite orders.
CREATE FUNCTION cases_day_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE case_day_stats, case_month_stats;
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
CREATE TRIGGER cases_day_stats AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_day_stats_follow();
-- Most updates (a rung, a deadline reminder, the updated time) change no
-- figure: they move nothing.
CREATE TRIGGER cases_day_stats_update AFTER UPDATE ON cases
    FOR EACH ROW WHEN (OLD.department IS DISTINCT FROM NEW.department
        OR OLD.received IS DISTINCT FROM NEW.received
        OR OLD.due IS DISTINCT FROM NEW.due
        OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.on_time IS DISTINCT FROM NEW.on_time
        OR OLD.returns IS DISTINCT FROM NEW.returns
        OR OLD.rating IS DISTINCT FROM NEW.rating
        OR OLD.repeat_of IS DISTINCT FROM NEW.repeat_of
        OR OLD.redo IS DISTINCT FROM NEW.redo)
    EXECUTE FUNCTION cases_day_stats_follow();
CREATE TRIGGER cases_day_stats_truncate AFTER TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_day_stats_follow();

-- The cases stored so far, summed at once: moved one by one, each total
-- would leave a dead row version per case.
INSERT INTO case_day_stats
SELECT china_day(c.received), c.department, coalesce(china_day(c.due), 2147483647),
    sum(d.received), sum(d.answered), sum(d.answered_on_time), sum(d.returned), sum(d.rated),
    sum(d.satisfied), sum(d.open), sum(d.repeats), sum(d.answered_once), sum(d.redone)
FROM cases c, case_day_stats_delta(c, 1) d
GROUP BY 1, 2, 3;
INSERT INTO case_month_stats
SELECT received_month, department, due_month, sum(received), sum(answered), sum(answered_on_time),
    sum(returned), sum(rated), sum(satisfied), sum(open), sum(repeats), sum(answered_once), sum(redone)
FROM (SELECT china_month(dayStart) AS received_month, department,
        CASE WHEN due_day = 2147483647 THEN 2147483647 ELSE china_month(dueStart) END AS due_month,
        received, answered, answered_on_time, returned, rated, satisfied, open, repeats,
        answered_once, redone
    FROM case_day_stats,
        LATERAL (SELECT to_timestamp(received_day::bigint * 86400 - 28800) AS dayStart,
            to_timestamp(due_day::bigint * 86400 - 28800) AS dueStart) AS t) AS by_day
GROUP BY 1, 2, 3;
