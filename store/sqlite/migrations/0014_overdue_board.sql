-- The overdue board counts the cases overdue now by department and rung,
-- then pages through one group, oldest due first. Only open and routing
-- cases can be overdue: a partial index of those (a small share of a year's
-- cases) in that order serves the counts from the index alone, grouped in
-- its order with no sort, and a page of one rung by reading its own rows.
-- Queries repeat the WHERE word for word.
CREATE INDEX cases_overdue_board ON cases (department, rung, due, id, status) WHERE status IN ('routing', 'open');

-- Statistics count repeat complaints (重复件) and 重办 too: the covering
-- index of the statistics query gains their columns.
DROP INDEX cases_stats;
CREATE INDEX cases_stats ON cases (department, received, status, due, on_time, returns, rating, redo, repeat_of);

-- A department's inbox pages its open cases by due date (overdue first).
CREATE INDEX cases_inbox_due ON cases (department, status, due, id);
