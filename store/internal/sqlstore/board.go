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

// boardRungSQL is minyi.BoardRung in SQL.
const boardRungSQL = `CASE WHEN rung IN ('', 'reminder') THEN 'overdue' ELSE rung END`

// OverdueBoard counts the overdue cases by department and board rung from
// the partial index alone.
func (s *Store) OverdueBoard(ctx context.Context, now time.Time) ([]minyi.OverdueGroup, error) {
	if now.IsZero() {
		return nil, minyi.Errorf(minyi.EINVALID, "the overdue board needs the time to judge it at")
	}
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT department, `+boardRungSQL+` AS board_rung, count(*), min(due)
		FROM cases `+s.d.OverdueIndexHint+` WHERE `+overdueCases+`
		GROUP BY department, board_rung`), s.bound(now))
	out := []minyi.OverdueGroup{}
	err = each(rows, err, func(r Rows) error {
		var g minyi.OverdueGroup
		err := r.Scan(&g.Department, &g.Rung, &g.Count, timeOf(&g.OldestDue))
		out = append(out, g)
		return err
	})
	if err != nil {
		return nil, s.errorf("overdue board: %w", err)
	}
	// A handful of groups: sorted here, bytewise whatever the collation.
	slices.SortFunc(out, func(a, b minyi.OverdueGroup) int {
		return cmp.Or(strings.Compare(a.Department, b.Department),
			slices.Index(minyi.BoardRungs, a.Rung)-slices.Index(minyi.BoardRungs, b.Rung))
	})
	return out, nil
}

// OverdueCases reads one group's page in the order of cases_overdue_board
// (department, due, id), so a page costs its own rows and the total is
// counted from the index.
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
