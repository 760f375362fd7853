package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
	"minyi/store/internal/input"
)

// PutDepartmentEscalation records e unless an escalation with its Key exists,
// so an audit that runs again for the same window opens nothing new.
func (s *Store) PutDepartmentEscalation(ctx context.Context, e minyi.DepartmentEscalation) error {
	if err := input.CheckEscalation(&e); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO department_escalations
			(key, department, rung, at, on_time_rate, reason)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (key) DO NOTHING`,
		e.Key, e.Department, string(e.Rung), dbTime(e.At), e.OnTimeRate, e.Reason)
	if err != nil {
		return fmt.Errorf("postgres: put department escalation %q: %w", e.Key, err)
	}
	return nil
}

// DepartmentEscalations lists escalations at or after since, newest first
// (the later recorded first among equal times); department "" means all.
func (s *Store) DepartmentEscalations(ctx context.Context, department string, since time.Time) ([]minyi.DepartmentEscalation, error) {
	rows, _ := s.pool.Query(ctx, `SELECT key, department, rung, at, on_time_rate, reason
		FROM department_escalations
		WHERE at >= $1 AND ($2 = '' OR department = $2)
		ORDER BY at DESC, seq DESC`, input.CeilSecond(since), department)
	out := []minyi.DepartmentEscalation{}
	var e minyi.DepartmentEscalation
	_, err := pgx.ForEachRow(rows, []any{&e.Key, &e.Department, &e.Rung, &e.At, &e.OnTimeRate, &e.Reason},
		func() error {
			ev := e
			ev.At = e.At.UTC()
			out = append(out, ev)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: department escalations: %w", err)
	}
	return out, nil
}
