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
    department       TEXT NOT NULL,
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
) STRICT, WITHOUT ROWID;
-- The cases of a window received in whole months and due on a day that
-- the window or now cuts.
CREATE INDEX case_day_stats_due ON case_day_stats (due_day, received_day);

-- The same by China month of receipt and of due date (year * 12 + month -
-- 1; 2147483647: no due date, or a year after 9999), so that a year's
-- window sums a few hundred rows.
CREATE TABLE case_month_stats (
    received_month   INTEGER NOT NULL,
    department       TEXT NOT NULL,
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
) STRICT, WITHOUT ROWID;

-- Every write to cases moves its case in the totals, in its own
-- transaction: the old row leaves its key (sign -1), the new row joins its
-- key (sign 1). The moves pass through case_day_moves, whose trigger is the
-- one place that turns a case into figures; the table stays empty. An
-- upsert that updates fires the update trigger.
CREATE TABLE case_day_moves (
    sign       INTEGER NOT NULL,
    received   INTEGER NOT NULL,
    department TEXT NOT NULL,
    due        INTEGER,
    status     TEXT NOT NULL,
    on_time    INTEGER NOT NULL,
    returns    INTEGER NOT NULL,
    rating     TEXT NOT NULL,
    repeat_of  TEXT,
    redo       INTEGER NOT NULL
) STRICT;

-- A day is floor((t + 8 h) / 1 day); "/" truncates toward zero, so a time
-- before 1970 steps one day back.
CREATE TRIGGER case_day_moves_apply AFTER INSERT ON case_day_moves
BEGIN
    INSERT INTO case_day_stats
    SELECT (NEW.received + 28800) / 86400 - ((NEW.received + 28800) % 86400 < 0),
        NEW.department,
        coalesce((NEW.due + 28800) / 86400 - ((NEW.due + 28800) % 86400 < 0), 2147483647),
        NEW.sign,
        NEW.sign * (NEW.status IN ('answered', 'closed')),
        NEW.sign * (NEW.status IN ('answered', 'closed') AND NEW.on_time),
        NEW.sign * (NEW.returns > 0),
        NEW.sign * (NEW.rating <> ''),
        NEW.sign * (NEW.rating IN ('satisfied', 'basic')),
        NEW.sign * (NEW.status IN ('routing', 'open')),
        NEW.sign * (NEW.repeat_of IS NOT NULL),
        NEW.sign * (NEW.status IN ('answered', 'closed') OR NEW.redo),
        NEW.sign * (NEW.redo <> 0)
    WHERE true
    ON CONFLICT (received_day, department, due_day) DO UPDATE SET
        received = received + excluded.received,
        answered = answered + excluded.answered,
        answered_on_time = answered_on_time + excluded.answered_on_time,
        returned = returned + excluded.returned,
        rated = rated + excluded.rated,
        satisfied = satisfied + excluded.satisfied,
        open = open + excluded.open,
        repeats = repeats + excluded.repeats,
        answered_once = answered_once + excluded.answered_once,
        redone = redone + excluded.redone;
    DELETE FROM case_day_stats
    WHERE received_day = (NEW.received + 28800) / 86400 - ((NEW.received + 28800) % 86400 < 0)
        AND department = NEW.department
        AND due_day = coalesce((NEW.due + 28800) / 86400 - ((NEW.due + 28800) % 86400 < 0), 2147483647)
        AND received = 0;
    INSERT INTO case_month_stats
    SELECT coalesce(CAST(strftime('%Y', NEW.received + 28800, 'unixepoch') AS INTEGER) * 12
            + CAST(strftime('%m', NEW.received + 28800, 'unixepoch') AS INTEGER) - 1, 2147483647),
        NEW.department,
        coalesce(CAST(strftime('%Y', NEW.due + 28800, 'unixepoch') AS INTEGER) * 12
            + CAST(strftime('%m', NEW.due + 28800, 'unixepoch') AS INTEGER) - 1, 2147483647),
        NEW.sign,
        NEW.sign * (NEW.status IN ('answered', 'closed')),
        NEW.sign * (NEW.status IN ('answered', 'closed') AND NEW.on_time),
        NEW.sign * (NEW.returns > 0),
        NEW.sign * (NEW.rating <> ''),
        NEW.sign * (NEW.rating IN ('satisfied', 'basic')),
        NEW.sign * (NEW.status IN ('routing', 'open')),
        NEW.sign * (NEW.repeat_of IS NOT NULL),
        NEW.sign * (NEW.status IN ('answered', 'closed') OR NEW.redo),
        NEW.sign * (NEW.redo <> 0)
    WHERE true
    ON CONFLICT (received_month, department, due_month) DO UPDATE SET
        received = received + excluded.received,
        answered = answered + excluded.answered,
        answered_on_time = answered_on_time + excluded.answered_on_time,
        returned = returned + excluded.returned,
        rated = rated + excluded.rated,
        satisfied = satisfied + excluded.satisfied,
        open = open + excluded.open,
        repeats = repeats + excluded.repeats,
        answered_once = answered_once + excluded.answered_once,
        redone = redone + excluded.redone;
    DELETE FROM case_month_stats
    WHERE received_month = coalesce(CAST(strftime('%Y', NEW.received + 28800, 'unixepoch') AS INTEGER) * 12
            + CAST(strftime('%m', NEW.received + 28800, 'unixepoch') AS INTEGER) - 1, 2147483647)
        AND department = NEW.department
        AND due_month = coalesce(CAST(strftime('%Y', NEW.due + 28800, 'unixepoch') AS INTEGER) * 12
            + CAST(strftime('%m', NEW.due + 28800, 'unixepoch') AS INTEGER) - 1, 2147483647)
        AND received = 0;
    DELETE FROM case_day_moves WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER cases_day_stats_insert AFTER INSERT ON cases
WHEN NEW.department <> ''
BEGIN
    INSERT INTO case_day_moves VALUES (1, NEW.received, NEW.department, NEW.due, NEW.status,
        NEW.on_time, NEW.returns, NEW.rating, NEW.repeat_of, NEW.redo);
END;
CREATE TRIGGER cases_day_stats_delete AFTER DELETE ON cases
WHEN OLD.department <> ''
BEGIN
    INSERT INTO case_day_moves VALUES (-1, OLD.received, OLD.department, OLD.due, OLD.status,
        OLD.on_time, OLD.returns, OLD.rating, OLD.repeat_of, OLD.redo);
END;
-- Most updates (a rung, a deadline reminder, the updated time) change no
-- figure: they move nothing.
CREATE TRIGGER cases_day_stats_update AFTER UPDATE ON cases
WHEN OLD.department IS NOT NEW.department
    OR OLD.received IS NOT NEW.received
    OR OLD.due IS NOT NEW.due
    OR OLD.status IS NOT NEW.status
    OR OLD.on_time IS NOT NEW.on_time
    OR OLD.returns IS NOT NEW.returns
    OR OLD.rating IS NOT NEW.rating
    OR OLD.repeat_of IS NOT NEW.repeat_of
    OR OLD.redo IS NOT NEW.redo
BEGIN
    INSERT INTO case_day_moves SELECT -1, OLD.received, OLD.department, OLD.due, OLD.status,
        OLD.on_time, OLD.returns, OLD.rating, OLD.repeat_of, OLD.redo
    WHERE OLD.department <> '';
    INSERT INTO case_day_moves SELECT 1, NEW.received, NEW.department, NEW.due, NEW.status,
        NEW.on_time, NEW.returns, NEW.rating, NEW.repeat_of, NEW.redo
    WHERE NEW.department <> '';
END;

-- The cases stored so far, as if each were written now.
INSERT INTO case_day_moves
SELECT 1, received, department, due, status, on_time, returns, rating, repeat_of, redo
FROM cases WHERE department <> '';
