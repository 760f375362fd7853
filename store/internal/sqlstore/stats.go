package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// departmentStatsQuery counts the cases received in a span of less than a
// day or two (read through cases_received), in one pass. Parameters: ?1,
// ?2 the received span, ?3 the last whole second at or before now, ?4 the
// input.CeilSecond of now (a case is overdue if its due is before it), ?5,
// ?6 the window whose due dates count. The last column is the first due at
// or after ?3: until then the figures that depend on now stay as they are
// (see kept).
const departmentStatsQuery = `SELECT department,
		count(*),
		count(*) FILTER (WHERE status IN ('answered', 'closed')),
		count(*) FILTER (WHERE due >= ?5 AND due < ?6 AND due <= ?3),
		count(*) FILTER (WHERE due >= ?5 AND due < ?6 AND due <= ?3
			AND status IN ('answered', 'closed') AND on_time),
		count(*) FILTER (WHERE returns > 0),
		count(*) FILTER (WHERE rating <> ''),
		count(*) FILTER (WHERE rating IN ('satisfied', 'basic')),
		count(*) FILTER (WHERE status IN ('routing', 'open')),
		count(*) FILTER (WHERE status IN ('routing', 'open') AND due < ?4),
		count(*) FILTER (WHERE repeat_of IS NOT NULL),
		count(*) FILTER (WHERE status IN ('answered', 'closed') OR redo),
		count(*) FILTER (WHERE redo),
		min(due) FILTER (WHERE due >= ?3)
	FROM cases
	WHERE received >= ?1 AND received < ?2 AND department <> ''
	GROUP BY department`

// totalsQuery sums the running totals of whole units of receipt [?1, ?2)
// (%[1]s: the table, %[2]s and %[3]s: its columns of the units of receipt and
// of due date): the cases due in the whole units [?3, ?4), the open ones due
// before unit ?5, and the first unit after ?6 (now's) that a case is due in.
const totalsQuery = `SELECT department,
		sum(received), sum(answered),
		sum(CASE WHEN %[3]s >= ?3 AND %[3]s < ?4 THEN received ELSE 0 END),
		sum(CASE WHEN %[3]s >= ?3 AND %[3]s < ?4 THEN answered_on_time ELSE 0 END),
		sum(returned), sum(rated), sum(satisfied), sum(open),
		sum(CASE WHEN %[3]s < ?5 THEN open ELSE 0 END),
		sum(repeats), sum(answered_once), sum(redone),
		min(CASE WHEN %[3]s > ?6 AND %[3]s < ?7 THEN %[3]s END)
	FROM %[1]s
	WHERE %[2]s >= ?1 AND %[2]s < ?2
	GROUP BY department`

// dueDaysQuery is dueStatsQuery from the day totals: the cases received on
// the days [?3, ?4) and due on the whole days [?1, ?2), through
// case_day_stats_due; the last column is the first of those due days.
const dueDaysQuery = `SELECT department, sum(received), sum(answered_on_time), sum(open), min(due_day)
	FROM case_day_stats
	WHERE due_day >= ?1 AND due_day < ?2 AND received_day >= ?3 AND received_day < ?4
	GROUP BY department`

// dueStatsQuery counts the cases received in [?3, ?4) that are due in
// [?1, ?2), a day or less: all of them, those answered on time, the open
// ones, and the first due date. The status list is every status, so that
// the (status, due) index cases_status_due serves the due span.
const dueStatsQuery = `SELECT department, count(*),
		count(*) FILTER (WHERE status IN ('answered', 'closed') AND on_time),
		count(*) FILTER (WHERE status IN ('routing', 'open')),
		min(due)
	FROM cases
	WHERE status IN ('routing', 'open', 'answered', 'closed') AND due >= ?1 AND due < ?2
		AND received >= ?3 AND received < ?4 AND department <> ''
	GROUP BY department`

// DepartmentStats computes figures per department for the cases received in
// [from, to). Due counts those whose due date is in [from, to) and has passed
// at now; AnsweredOnTime counts those of them answered on time.
//
// The whole China days of the window are summed from case_day_stats, which
// every case write keeps in step; only the parts of a day at its ends, the
// cases due on the days that the window or now cut, and the first due date
// to come are counted from cases.
func (s *Store) DepartmentStats(ctx context.Context, from, to, now time.Time) ([]minyi.DepartmentStats, error) {
	if err := input.CheckStatsWindow(from, to, now); err != nil {
		return nil, err
	}
	key := [2]int64{input.CeilSecond(from).Unix(), input.CeilSecond(to).Unix()}
	at := instantOf(now)
	revision, err := s.caseRevision(ctx)
	if err != nil {
		return nil, err
	}
	if out, ok := s.stats.get(key, revision, at); ok {
		return out, nil
	}
	c := statsCount{window: span{input.CeilSecond(from), input.CeilSecond(to)}, at: at,
		byDepartment: map[string]*minyi.DepartmentStats{}}
	if err := s.c.InSnapshot(ctx, func(tx DB) error { return s.countStats(ctx, tx, &c) }); err != nil {
		return nil, s.errorf("department stats: %w", err)
	}
	return s.stats.put(key, keptEntry[[]minyi.DepartmentStats]{revision, at, c.nextDue, c.result()}), nil
}

// statsCount is DepartmentStats being summed from its parts.
type statsCount struct {
	window       span // received, and due
	at           keptInstant
	byDepartment map[string]*minyi.DepartmentStats
	nextDue      time.Time // the first due at or after at.floor of a case counted
}

func (c *statsCount) department(name string) *minyi.DepartmentStats {
	d, ok := c.byDepartment[name]
	if !ok {
		d = &minyi.DepartmentStats{Department: name}
		c.byDepartment[name] = d
	}
	return d
}

func (c *statsCount) due(t time.Time) {
	if !t.IsZero() && (c.nextDue.IsZero() || t.Before(c.nextDue)) {
		c.nextDue = t
	}
}

// result is in bytewise order of department ids, whatever the collation.
func (c *statsCount) result() []minyi.DepartmentStats {
	out := make([]minyi.DepartmentStats, 0, len(c.byDepartment))
	for _, d := range c.byDepartment {
		out = append(out, d.WithRates())
	}
	slices.SortFunc(out, func(a, b minyi.DepartmentStats) int { return strings.Compare(a.Department, b.Department) })
	return out
}

// countStats sums the window's whole months, then its other whole days,
// from the totals, and counts the parts of a day at its ends from cases.
func (s *Store) countStats(ctx context.Context, tx DB, c *statsCount) error {
	byMonth := months.split(c.window)
	for _, part := range []span{byMonth.head, byMonth.tail} {
		byDay := days.split(part)
		for _, edge := range []span{byDay.head, byDay.tail} {
			if err := s.countCases(ctx, tx, c, edge); err != nil {
				return err
			}
		}
		if err := s.countTotals(ctx, tx, c, days, byDay.first, byDay.end); err != nil {
			return err
		}
	}
	return s.countTotals(ctx, tx, c, months, byMonth.first, byMonth.end)
}

// countTotals adds the cases received in the whole units [first, end) of u:
// the totals by unit of receipt and of due date, and, for the due dates in
// a unit that the window or now cuts, the totals by day and the cases.
func (s *Store) countTotals(ctx context.Context, tx DB, c *statsCount, u unit, first, end int64) error {
	if first >= end {
		return nil
	}
	// The due dates counted are in the window and at or before now.
	due := span{c.window.from, c.window.to}
	if byNow := c.at.floor.Add(time.Second); byNow.Before(due.to) {
		due.to = byNow
	}
	dueUnits := u.split(due)
	overdueUnit := u.of(c.at.ceil)
	nowUnit := u.of(c.at.floor)
	rows, err := tx.Query(ctx, s.sql(u.totals), first, end,
		dueUnits.first, dueUnits.end, overdueUnit, nowUnit, noDue)
	err = each(rows, err, func(r Rows) error {
		var x minyi.DepartmentStats
		var name string
		var next sql.NullInt64
		if err := r.Scan(countColumns(&name, &x, &next)...); err != nil {
			return err
		}
		add(c.department(name), x)
		if next.Valid {
			c.due(u.start(next.Int64))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("running totals: %w", err)
	}
	received := span{u.start(first), u.start(end)}
	for _, part := range []span{dueUnits.head, dueUnits.tail} {
		err := s.countDue(ctx, tx, received, part, func(name string, x dueCount) {
			d := c.department(name)
			d.Due += x.cases
			d.AnsweredOnTime += x.onTime
		})
		if err != nil {
			return err
		}
	}
	overdue := span{u.start(overdueUnit), c.at.ceil}
	err = s.countDue(ctx, tx, received, overdue, func(name string, x dueCount) { c.department(name).Overdue += x.open })
	if err != nil {
		return err
	}
	// The first due date to come: in a later unit, the unit's start will do
	// (the answer is computed again a little early); in now's, the exact
	// one, or the start of its first day that has one.
	next := span{c.at.floor, u.start(nowUnit + 1)}
	return s.countDue(ctx, tx, received, next, func(_ string, x dueCount) { c.due(x.first) })
}

// countCases adds the cases received in part, counted one by one.
func (s *Store) countCases(ctx context.Context, tx DB, c *statsCount, part span) error {
	if part.empty() {
		return nil
	}
	rows, err := tx.Query(ctx, s.sql(departmentStatsQuery),
		s.d.Time(part.from), s.d.Time(part.to), s.d.Time(c.at.floor), s.d.Time(c.at.ceil),
		s.d.Time(c.window.from), s.d.Time(c.window.to))
	err = each(rows, err, func(r Rows) error {
		var x minyi.DepartmentStats
		var name string
		var due time.Time
		if err := r.Scan(countColumns(&name, &x, timeOf(&due))...); err != nil {
			return err
		}
		add(c.department(name), x)
		c.due(due)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cases received in part of a day: %w", err)
	}
	return nil
}

// dueCount is a row of dueStatsQuery.
type dueCount struct {
	cases, onTime, open int
	first               time.Time
}

// countDue passes to fn, per department, the cases received in the whole
// days received and due in part: the whole days of part from the day
// totals (first is the start of the first day), the rest from cases.
func (s *Store) countDue(ctx context.Context, tx DB, received, part span, fn func(department string, x dueCount)) error {
	if part.empty() {
		return nil
	}
	byDay := days.split(part)
	if byDay.first < byDay.end {
		rows, err := tx.Query(ctx, s.sql(dueDaysQuery), byDay.first, byDay.end,
			days.of(received.from), days.of(received.to))
		err = each(rows, err, func(r Rows) error {
			var x dueCount
			var name string
			var first int64
			if err := r.Scan(&name, &x.cases, &x.onTime, &x.open, &first); err != nil {
				return err
			}
			x.first = days.start(first)
			fn(name, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("cases due on whole days: %w", err)
		}
	}
	for _, edge := range []span{byDay.head, byDay.tail} {
		if edge.empty() {
			continue
		}
		rows, err := tx.Query(ctx, s.sql(dueStatsQuery), s.d.Time(edge.from), s.d.Time(edge.to),
			s.d.Time(received.from), s.d.Time(received.to))
		err = each(rows, err, func(r Rows) error {
			var x dueCount
			var name string
			if err := r.Scan(&name, &x.cases, &x.onTime, &x.open, timeOf(&x.first)); err != nil {
				return err
			}
			fn(name, x)
			return nil
		})
		if err != nil {
			return fmt.Errorf("cases due in part of a day: %w", err)
		}
	}
	return nil
}

// countColumns are the columns of a row of counts, as the running totals
// and the count of cases one by one both read them: the department, the
// counts of x in the order of DepartmentStats, and then last.
func countColumns(name *string, x *minyi.DepartmentStats, last any) []any {
	return []any{name, &x.Received, &x.Answered, &x.Due, &x.AnsweredOnTime,
		&x.Returned, &x.Rated, &x.Satisfied, &x.Open, &x.Overdue,
		&x.Repeats, &x.AnsweredOnce, &x.Redone, last}
}

// add adds the counts of x to d.
func add(d *minyi.DepartmentStats, x minyi.DepartmentStats) {
	d.Received += x.Received
	d.Answered += x.Answered
	d.Due += x.Due
	d.AnsweredOnTime += x.AnsweredOnTime
	d.Returned += x.Returned
	d.Rated += x.Rated
	d.Satisfied += x.Satisfied
	d.Open += x.Open
	d.Overdue += x.Overdue
	d.Repeats += x.Repeats
	d.AnsweredOnce += x.AnsweredOnce
	d.Redone += x.Redone
}

// copyStats gives a caller rows and rates of its own: callers sort and
// rank what they get.
func copyStats(rows []minyi.DepartmentStats) []minyi.DepartmentStats {
	out := make([]minyi.DepartmentStats, len(rows))
	for i, d := range rows {
		out[i] = d.WithRates()
	}
	return out
}

// PutDepartmentEscalation records e unless an escalation with its Key exists,
// so an audit that runs again for the same window opens nothing new.
func (s *Store) PutDepartmentEscalation(ctx context.Context, e minyi.DepartmentEscalation) error {
	if err := input.CheckEscalation(&e); err != nil {
		return err
	}
	_, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO department_escalations
			(key, department, rung, at, on_time_rate, reason)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6)
		ON CONFLICT (key) DO NOTHING`),
		e.Key, e.Department, string(e.Rung), s.time(e.At), e.OnTimeRate, e.Reason)
	if err != nil {
		return s.errorf("put department escalation %q: %w", e.Key, err)
	}
	return nil
}

// DepartmentEscalations lists escalations at or after since, newest first
// (the later recorded first among equal times); department "" means all.
func (s *Store) DepartmentEscalations(ctx context.Context, department string, since time.Time) ([]minyi.DepartmentEscalation, error) {
	query := `SELECT key, department, rung, at, on_time_rate, reason FROM department_escalations WHERE at >= ?1`
	args := []any{s.bound(since)}
	if department != "" {
		query += ` AND department = ?2`
		args = append(args, department)
	}
	rows, err := s.c.Read().Query(ctx, s.sql(query+` ORDER BY at DESC, seq DESC`), args...)
	out := []minyi.DepartmentEscalation{}
	err = each(rows, err, func(r Rows) error {
		var e minyi.DepartmentEscalation
		err := r.Scan(&e.Key, &e.Department, &e.Rung, timeOf(&e.At), &e.OnTimeRate, &e.Reason)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, s.errorf("department escalations: %w", err)
	}
	return out, nil
}
