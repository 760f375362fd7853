package sqlstore

import (
	"context"
	"fmt"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// departmentStatsQuery aggregates in one pass over the received window. %s
// is the dialect's index hint. Parameters: ?1, ?2 the received window (also
// the due window), ?3 the last whole second at or before now, ?4 the
// input.CeilSecond of now (a case is overdue if its due is before it). The
// last column is the first due at or after ?3: until then the figures that
// depend on now stay as they are (see kept).
const departmentStatsQuery = `SELECT department,
		count(*),
		count(*) FILTER (WHERE status IN ('answered', 'closed')),
		count(*) FILTER (WHERE due >= ?1 AND due < ?2 AND due <= ?3),
		count(*) FILTER (WHERE due >= ?1 AND due < ?2 AND due <= ?3
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
	FROM cases %s
	WHERE received >= ?1 AND received < ?2 AND department <> ''
	GROUP BY department
	ORDER BY department`

// DepartmentStats computes figures per department for the cases received in
// [from, to). Due counts those whose due date is in [from, to) and has passed
// at now; AnsweredOnTime counts those of them answered on time.
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
	rows, err := s.c.Read().Query(ctx, s.sql(fmt.Sprintf(departmentStatsQuery, s.d.StatsIndexHint)),
		s.bound(from), s.bound(to), s.d.Time(now), s.bound(now))
	out := []minyi.DepartmentStats{}
	var nextDue time.Time
	err = each(rows, err, func(r Rows) error {
		var d minyi.DepartmentStats
		var due time.Time
		if err := r.Scan(&d.Department, &d.Received, &d.Answered, &d.Due, &d.AnsweredOnTime,
			&d.Returned, &d.Rated, &d.Satisfied, &d.Open, &d.Overdue,
			&d.Repeats, &d.AnsweredOnce, &d.Redone, timeOf(&due)); err != nil {
			return err
		}
		if !due.IsZero() && (nextDue.IsZero() || due.Before(nextDue)) {
			nextDue = due
		}
		out = append(out, d.WithRates())
		return nil
	})
	if err != nil {
		return nil, s.errorf("department stats: %w", err)
	}
	return s.stats.put(key, keptEntry[[]minyi.DepartmentStats]{revision, at, nextDue, out}), nil
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
