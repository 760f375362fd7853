package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// overdueCases are the cases overdue when ?1 (the input.CeilSecond of now)
// comes; the condition is word for word that of the partial index
// cases_overdue_board (migration 0014), so both engines use it.
const overdueCases = `status IN ('routing', 'open') AND due < ?1`

// OverdueBoard counts the overdue cases by department and rung from the
// partial index alone, in its order, and folds the rungs below the overdue
// one into it (minyi.BoardRung).
func (s *Store) OverdueBoard(ctx context.Context, now time.Time) ([]minyi.OverdueGroup, error) {
	if now.IsZero() {
		return nil, minyi.Errorf(minyi.EINVALID, "the overdue board needs the time to judge it at")
	}
	instant := instantOf(now)
	revision, err := s.caseRevision(ctx)
	if err != nil {
		return nil, err
	}
	if out, ok := s.board.get(struct{}{}, revision, instant); ok {
		return out, nil
	}
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT department, rung, count(*), min(due)
		FROM cases `+s.d.OverdueIndexHint+` WHERE `+overdueCases+`
		GROUP BY department, rung`), s.bound(now))
	var out []minyi.OverdueGroup
	at := map[minyi.OverdueGroup]int{} // department and rung → index in out
	err = each(rows, err, func(r Rows) error {
		var g minyi.OverdueGroup
		if err := r.Scan(&g.Department, &g.Rung, &g.Count, timeOf(&g.OldestDue)); err != nil {
			return err
		}
		g.Rung = minyi.BoardRung(g.Rung)
		k := minyi.OverdueGroup{Department: g.Department, Rung: g.Rung}
		if i, ok := at[k]; ok {
			out[i].Count += g.Count
			if g.OldestDue.Before(out[i].OldestDue) {
				out[i].OldestDue = g.OldestDue
			}
			return nil
		}
		at[k] = len(out)
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, s.errorf("overdue board: %w", err)
	}
	// A handful of groups: sorted here, bytewise whatever the collation.
	slices.SortFunc(out, func(a, b minyi.OverdueGroup) int {
		return cmp.Or(strings.Compare(a.Department, b.Department),
			slices.Index(minyi.BoardRungs, a.Rung)-slices.Index(minyi.BoardRungs, b.Rung))
	})
	if out == nil {
		out = []minyi.OverdueGroup{}
	}
	// The board holds until an open case's due date passes: the first at
	// or after now, read through cases_status_due per status.
	var open, routing time.Time
	err = s.c.Read().QueryRow(ctx, s.sql(`SELECT
			(SELECT due FROM cases WHERE status = 'open' AND due >= ?1 ORDER BY due LIMIT 1),
			(SELECT due FROM cases WHERE status = 'routing' AND due >= ?1 ORDER BY due LIMIT 1)`),
		s.d.Time(now)).Scan(timeOf(&open), timeOf(&routing))
	if err != nil {
		return nil, s.errorf("overdue board: next due date: %w", err)
	}
	next := open
	if next.IsZero() || !routing.IsZero() && routing.Before(next) {
		next = routing
	}
	return s.board.put(struct{}{}, keptEntry[[]minyi.OverdueGroup]{revision, instant, next, out}), nil
}

// OverdueCases reads one group's page; the total is counted from
// cases_overdue_board, and a page of one rung is read in its order.
func (s *Store) OverdueCases(ctx context.Context, f minyi.OverdueFilter) ([]minyi.Case, int, error) {
	f, err := input.CheckOverdueFilter(f)
	if err != nil {
		return nil, 0, err
	}
	where := ` WHERE ` + overdueCases + ` AND department = ?2`
	args := []any{s.bound(f.Now), f.Department}
	switch f.Rung {
	case minyi.RungNone:
	case minyi.RungOverdue:
		where += ` AND rung IN ('', 'reminder', 'overdue')`
	default:
		where += ` AND rung = ?3`
		args = append(args, string(f.Rung))
	}
	out, total, err := s.casePage(ctx, where, args, ` ORDER BY due, id`, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, s.errorf("overdue cases: %w", err)
	}
	return out, total, nil
}
