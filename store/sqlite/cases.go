package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

const caseColumns = `id, document_id, source, title, message_type, category, region, department,
	routing, status, received, due, extended, answered, on_time, rung, returns, rating, redo,
	historical, updated`

const upsertCase = `INSERT INTO cases (` + caseColumns + `)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT (id) DO UPDATE SET
		document_id = excluded.document_id, source = excluded.source, title = excluded.title,
		message_type = excluded.message_type, category = excluded.category, region = excluded.region,
		department = excluded.department, routing = excluded.routing, status = excluded.status,
		received = excluded.received, due = excluded.due, extended = excluded.extended,
		answered = excluded.answered, on_time = excluded.on_time, rung = excluded.rung,
		returns = excluded.returns, rating = excluded.rating, redo = excluded.redo,
		historical = excluded.historical, updated = excluded.updated`

// PutCase upserts the case snapshot by ID.
func (s *Store) PutCase(ctx context.Context, c minyi.Case) error {
	c, err := input.PrepareCase(c)
	if err != nil {
		return err
	}
	args, err := caseArgs(&c)
	if err != nil {
		return err
	}
	if _, err := s.write.ExecContext(ctx, upsertCase, args...); err != nil {
		return fmt.Errorf("sqlite: put case %q: %w", c.ID, err)
	}
	return nil
}

// caseArgs returns the values of caseColumns for c.
func caseArgs(c *minyi.Case) ([]any, error) {
	var routing sql.NullString
	if c.Routing != nil {
		b, err := json.Marshal(c.Routing)
		if err != nil {
			return nil, fmt.Errorf("case %q: encode routing: %w", c.ID, err)
		}
		routing = sql.NullString{String: string(b), Valid: true}
	}
	return []any{c.ID, c.DocumentID, c.Source, c.Title, string(c.MessageType), c.Category, c.Region,
		c.Department, routing, string(c.Status), c.Received.Unix(), unixTime(c.Due), c.Extended,
		unixTime(c.Answered), c.OnTime, string(c.Rung), c.Returns, string(c.Rating), c.Redo,
		c.Historical, unixTime(c.Updated)}, nil
}

func scanCase(sc scanner) (minyi.Case, error) {
	var c minyi.Case
	var routing sql.NullString
	var received int64
	var due, answered, updated sql.NullInt64
	err := sc.Scan(&c.ID, &c.DocumentID, &c.Source, &c.Title, &c.MessageType, &c.Category, &c.Region,
		&c.Department, &routing, &c.Status, &received, &due, &c.Extended, &answered, &c.OnTime, &c.Rung,
		&c.Returns, &c.Rating, &c.Redo, &c.Historical, &updated)
	if err != nil {
		return c, err
	}
	c.Received = fromUnix(sql.NullInt64{Int64: received, Valid: true})
	c.Due, c.Answered, c.Updated = fromUnix(due), fromUnix(answered), fromUnix(updated)
	if routing.Valid {
		c.Routing = new(minyi.Routing)
		if err := json.Unmarshal([]byte(routing.String), c.Routing); err != nil {
			return c, fmt.Errorf("case %q: decode routing: %w", c.ID, err)
		}
		c.Routing.At = input.StoredTime(c.Routing.At) // JSON keeps the instant; the store answers in UTC
	}
	return c, nil
}

// Case returns ENOTFOUND for an unknown id.
func (s *Store) Case(ctx context.Context, id string) (*minyi.Case, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, id)
	c, err := scanCase(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "case %q not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: case %q: %w", id, err)
	}
	return &c, nil
}

// Cases returns a page of the cases matching f, newest received first (ties
// by id, descending, so that pages never overlap), and how many match in all.
func (s *Store) Cases(ctx context.Context, f minyi.CaseFilter) ([]minyi.Case, int, error) {
	q, err := input.CheckCaseFilter(f)
	if err != nil {
		return nil, 0, err
	}
	where, args := caseWhere(q)
	// One read transaction, so that the page and the total agree.
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: cases: %w", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: count cases: %w", err)
	}
	out := []minyi.Case{}
	if q.Offset >= total {
		return out, total, nil
	}
	// The page's rows are picked first and only then read whole: sorting
	// thousands of overdue cases with their titles costs ten times more
	// than sorting their index entries.
	const order = ` ORDER BY received DESC, id DESC`
	rows, err := tx.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE rowid IN (SELECT rowid FROM cases`+
		where+order+` LIMIT ? OFFSET ?)`+order, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: cases: %w", err)
	}
	err = eachRow(rows, func() error {
		c, err := scanCase(rows)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: cases: %w", err)
	}
	return out, total, nil
}

// caseWhere renders the filter as a WHERE clause ("" when it selects all).
func caseWhere(q input.CaseQuery) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if q.Department != "" {
		add(`department = ?`, q.Department)
	}
	if q.Status != "" {
		add(`status = ?`, string(q.Status))
	}
	if q.Overdue != nil {
		overdue := `(status IN ('routing', 'open') AND due < ?)`
		if *q.Overdue {
			add(overdue, q.OverdueBefore.Unix())
		} else {
			// due IS NULL makes the comparison NULL; coalesce makes it false.
			add(`NOT coalesce(`+overdue+`, 0)`, q.OverdueBefore.Unix())
		}
	}
	if !q.From.IsZero() {
		add(`received >= ?`, bound(q.From))
	}
	if !q.To.IsZero() {
		add(`received < ?`, bound(q.To))
	}
	if q.Historical != nil {
		add(`historical = ?`, *q.Historical)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// bound converts a window bound for comparison with stored unix seconds.
func bound(t time.Time) int64 { return input.CeilSecond(t).Unix() }

// AppendCaseEvents writes events in one transaction, ignoring any whose
// (CaseID, Key) exists already or earlier in the batch.
func (s *Store) AppendCaseEvents(ctx context.Context, events []minyi.CaseEvent) error {
	events, err := input.PrepareCaseEvents(events)
	if err != nil || len(events) == 0 {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO case_events
				(case_id, key, type, at, actor, department, detail, due)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (case_id, key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range events {
			if _, err := stmt.ExecContext(ctx, e.CaseID, e.Key, string(e.Type), e.At.Unix(), e.Actor,
				e.Department, e.Detail, unixTime(e.Due)); err != nil {
				return fmt.Errorf("event %q of case %q: %w", e.Key, e.CaseID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: append case events: %w", err)
	}
	return nil
}

// CaseEvents returns a case's timeline by time, then insertion order; an
// unknown case has an empty timeline.
func (s *Store) CaseEvents(ctx context.Context, caseID string) ([]minyi.CaseEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT case_id, key, type, at, actor, department, detail, due
		FROM case_events WHERE case_id = ? ORDER BY at, seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: case events of %q: %w", caseID, err)
	}
	out := []minyi.CaseEvent{}
	err = eachRow(rows, func() error {
		var e minyi.CaseEvent
		var at int64
		var due sql.NullInt64
		if err := rows.Scan(&e.CaseID, &e.Key, &e.Type, &at, &e.Actor, &e.Department, &e.Detail, &due); err != nil {
			return err
		}
		e.At = fromUnix(sql.NullInt64{Int64: at, Valid: true})
		e.Due = fromUnix(due)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: case events of %q: %w", caseID, err)
	}
	return out, nil
}

// departmentStatsQuery aggregates in one pass over the received window.
// Parameters: from, to (received window, also the due window), due_by (the
// last whole second at or before now), overdue_before (input.CeilSecond of now).
// The PostgreSQL store runs the same query but for the placeholders and the
// index hint. cases_stats covers every column read here in department order;
// without statistics (no ANALYZE) SQLite prefers cases_received, which reads
// every row and sorts, 2-3 times slower on 100k cases, hence INDEXED BY.
const departmentStatsQuery = `SELECT department,
		count(*),
		count(*) FILTER (WHERE status IN ('answered', 'closed')),
		count(*) FILTER (WHERE due >= :from AND due < :to AND due <= :due_by),
		count(*) FILTER (WHERE due >= :from AND due < :to AND due <= :due_by
			AND status IN ('answered', 'closed') AND on_time),
		count(*) FILTER (WHERE returns > 0),
		count(*) FILTER (WHERE rating <> ''),
		count(*) FILTER (WHERE rating IN ('satisfied', 'basic')),
		count(*) FILTER (WHERE status IN ('routing', 'open')),
		count(*) FILTER (WHERE status IN ('routing', 'open') AND due < :overdue_before)
	FROM cases INDEXED BY cases_stats
	WHERE received >= :from AND received < :to AND department <> ''
	GROUP BY department
	ORDER BY department`

// DepartmentStats computes figures per department for the cases received in
// [from, to). Due counts those whose due date is in [from, to) and has passed
// at now; AnsweredOnTime counts those of them answered on time.
func (s *Store) DepartmentStats(ctx context.Context, from, to, now time.Time) ([]minyi.DepartmentStats, error) {
	if err := input.CheckStatsWindow(from, to, now); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, departmentStatsQuery,
		sql.Named("from", bound(from)), sql.Named("to", bound(to)),
		sql.Named("due_by", now.Unix()), sql.Named("overdue_before", input.CeilSecond(now).Unix()))
	if err != nil {
		return nil, fmt.Errorf("sqlite: department stats: %w", err)
	}
	out := []minyi.DepartmentStats{}
	err = eachRow(rows, func() error {
		var d minyi.DepartmentStats
		if err := rows.Scan(&d.Department, &d.Received, &d.Answered, &d.Due, &d.AnsweredOnTime,
			&d.Returned, &d.Rated, &d.Satisfied, &d.Open, &d.Overdue); err != nil {
			return err
		}
		out = append(out, d.WithRates())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: department stats: %w", err)
	}
	return out, nil
}
