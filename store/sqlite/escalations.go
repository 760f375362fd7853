package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// PutDepartmentEscalation records e unless an escalation with its Key exists,
// so an audit that runs again for the same window opens nothing new.
func (s *Store) PutDepartmentEscalation(ctx context.Context, e minyi.DepartmentEscalation) error {
	if err := input.CheckEscalation(&e); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO department_escalations
			(key, department, rung, at, on_time_rate, reason)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`,
		e.Key, e.Department, string(e.Rung), e.At.Unix(), e.OnTimeRate, e.Reason)
	if err != nil {
		return fmt.Errorf("sqlite: put department escalation %q: %w", e.Key, err)
	}
	return nil
}

// DepartmentEscalations lists escalations at or after since, newest first
// (the later recorded first among equal times); department "" means all.
func (s *Store) DepartmentEscalations(ctx context.Context, department string, since time.Time) ([]minyi.DepartmentEscalation, error) {
	query := `SELECT key, department, rung, at, on_time_rate, reason FROM department_escalations WHERE at >= ?`
	args := []any{bound(since)}
	if department != "" {
		query += ` AND department = ?`
		args = append(args, department)
	}
	rows, err := s.read.QueryContext(ctx, query+` ORDER BY at DESC, seq DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: department escalations: %w", err)
	}
	out := []minyi.DepartmentEscalation{}
	err = eachRow(rows, func() error {
		var e minyi.DepartmentEscalation
		var at int64
		if err := rows.Scan(&e.Key, &e.Department, &e.Rung, &at, &e.OnTimeRate, &e.Reason); err != nil {
			return err
		}
		e.At = fromUnix(sql.NullInt64{Int64: at, Valid: true})
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: department escalations: %w", err)
	}
	return out, nil
}
