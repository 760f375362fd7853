package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
	"minyi/store/internal/input"
)

const caseColumns = `id, document_id, source, title, message_type, category, region, department,
	routing, status, received, due, extended, answered, on_time, rung, returns, rating, redo,
	historical, updated`

const upsertCase = `INSERT INTO cases (` + caseColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
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
	if _, err := s.pool.Exec(ctx, upsertCase, args...); err != nil {
		return fmt.Errorf("postgres: put case %q: %w", c.ID, err)
	}
	return nil
}

// caseArgs returns the values of caseColumns for c; nil is NULL.
func caseArgs(c *minyi.Case) ([]any, error) {
	var routing any
	if c.Routing != nil {
		b, err := json.Marshal(c.Routing)
		if err != nil {
			return nil, fmt.Errorf("case %q: encode routing: %w", c.ID, err)
		}
		routing = string(b)
	}
	return []any{c.ID, c.DocumentID, c.Source, c.Title, string(c.MessageType), c.Category, c.Region,
		c.Department, routing, string(c.Status), dbTime(c.Received), dbTime(c.Due), c.Extended,
		dbTime(c.Answered), c.OnTime, string(c.Rung), c.Returns, string(c.Rating), c.Redo,
		c.Historical, dbTime(c.Updated)}, nil
}

func scanCase(row pgx.Row) (minyi.Case, error) {
	var c minyi.Case
	var routing []byte
	var due, answered, updated *time.Time
	err := row.Scan(&c.ID, &c.DocumentID, &c.Source, &c.Title, &c.MessageType, &c.Category, &c.Region,
		&c.Department, &routing, &c.Status, &c.Received, &due, &c.Extended, &answered, &c.OnTime, &c.Rung,
		&c.Returns, &c.Rating, &c.Redo, &c.Historical, &updated)
	if err != nil {
		return c, err
	}
	c.Received = c.Received.UTC()
	c.Due, c.Answered, c.Updated = fromDB(due), fromDB(answered), fromDB(updated)
	if routing != nil {
		c.Routing = new(minyi.Routing)
		if err := json.Unmarshal(routing, c.Routing); err != nil {
			return c, fmt.Errorf("case %q: decode routing: %w", c.ID, err)
		}
		c.Routing.At = input.StoredTime(c.Routing.At) // JSON keeps the instant; the store answers in UTC
	}
	return c, nil
}

// Case returns ENOTFOUND for an unknown id.
func (s *Store) Case(ctx context.Context, id string) (*minyi.Case, error) {
	c, err := scanCase(s.pool.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "case %q not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: case %q: %w", id, err)
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
	out := []minyi.Case{}
	var total int
	// One snapshot, so that the page and the total agree.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err = pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM cases`+where, args...).Scan(&total); err != nil {
			return err
		}
		if q.Offset >= total {
			return nil
		}
		n := len(args)
		rows, _ := tx.Query(ctx, fmt.Sprintf(`SELECT %s FROM cases%s ORDER BY received DESC, id DESC LIMIT $%d OFFSET $%d`,
			caseColumns, where, n+1, n+2), append(args, q.Limit, q.Offset)...)
		defer rows.Close()
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: cases: %w", err)
	}
	return out, total, nil
}

// caseWhere renders the filter as a WHERE clause ("" when it selects all).
func caseWhere(q input.CaseQuery) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a any) {
		args = append(args, a)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
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
			add(overdue, q.OverdueBefore)
		} else {
			// due IS NULL makes the comparison NULL; coalesce makes it false.
			add(`NOT coalesce(`+overdue+`, false)`, q.OverdueBefore)
		}
	}
	if !q.From.IsZero() {
		add(`received >= ?`, input.CeilSecond(q.From))
	}
	if !q.To.IsZero() {
		add(`received < ?`, input.CeilSecond(q.To))
	}
	if q.Historical != nil {
		add(`historical = ?`, *q.Historical)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AppendCaseEvents writes events in one transaction, ignoring any whose
// (CaseID, Key) exists already or earlier in the batch. The inserts run in
// input order, which is the timeline's order among events at one time.
func (s *Store) AppendCaseEvents(ctx context.Context, events []minyi.CaseEvent) error {
	events, err := input.PrepareCaseEvents(events)
	if err != nil || len(events) == 0 {
		return err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for start := 0; start < len(events); start += maxBatch {
			batch := &pgx.Batch{}
			for _, e := range events[start:min(start+maxBatch, len(events))] {
				batch.Queue(`INSERT INTO case_events (case_id, key, type, at, actor, department, detail, due)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
					ON CONFLICT (case_id, key) DO NOTHING`,
					e.CaseID, e.Key, string(e.Type), dbTime(e.At), e.Actor, e.Department, e.Detail, dbTime(e.Due))
			}
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: append case events: %w", err)
	}
	return nil
}

// CaseEvents returns a case's timeline by time, then insertion order; an
// unknown case has an empty timeline.
func (s *Store) CaseEvents(ctx context.Context, caseID string) ([]minyi.CaseEvent, error) {
	rows, _ := s.pool.Query(ctx, `SELECT case_id, key, type, at, actor, department, detail, due
		FROM case_events WHERE case_id = $1 ORDER BY at, seq`, caseID)
	out := []minyi.CaseEvent{}
	var e minyi.CaseEvent
	var due *time.Time
	_, err := pgx.ForEachRow(rows, []any{&e.CaseID, &e.Key, &e.Type, &e.At, &e.Actor, &e.Department, &e.Detail, &due},
		func() error {
			ev := e
			ev.At, ev.Due = e.At.UTC(), fromDB(due)
			out = append(out, ev)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: case events of %q: %w", caseID, err)
	}
	return out, nil
}

// departmentStatsQuery aggregates in one pass over the received window; the
// SQLite store runs the same query. Parameters: $1, $2 the received window
// (also the due window), $3 the last whole second at or before now, $4 the
// input.CeilSecond of now (a case is overdue if its due is before it).
const departmentStatsQuery = `SELECT department,
		count(*),
		count(*) FILTER (WHERE status IN ('answered', 'closed')),
		count(*) FILTER (WHERE due >= $1 AND due < $2 AND due <= $3),
		count(*) FILTER (WHERE due >= $1 AND due < $2 AND due <= $3
			AND status IN ('answered', 'closed') AND on_time),
		count(*) FILTER (WHERE returns > 0),
		count(*) FILTER (WHERE rating <> ''),
		count(*) FILTER (WHERE rating IN ('satisfied', 'basic')),
		count(*) FILTER (WHERE status IN ('routing', 'open')),
		count(*) FILTER (WHERE status IN ('routing', 'open') AND due < $4)
	FROM cases
	WHERE received >= $1 AND received < $2 AND department <> ''
	GROUP BY department
	ORDER BY department`

// DepartmentStats computes figures per department for the cases received in
// [from, to). Due counts those whose due date is in [from, to) and has passed
// at now; AnsweredOnTime counts those of them answered on time.
func (s *Store) DepartmentStats(ctx context.Context, from, to, now time.Time) ([]minyi.DepartmentStats, error) {
	if err := input.CheckStatsWindow(from, to, now); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, departmentStatsQuery,
		input.CeilSecond(from), input.CeilSecond(to), now.UTC().Truncate(time.Second), input.CeilSecond(now))
	out := []minyi.DepartmentStats{}
	var d minyi.DepartmentStats
	_, err := pgx.ForEachRow(rows, []any{&d.Department, &d.Received, &d.Answered, &d.Due, &d.AnsweredOnTime,
		&d.Returned, &d.Rated, &d.Satisfied, &d.Open, &d.Overdue},
		func() error {
			out = append(out, d.WithRates())
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: department stats: %w", err)
	}
	return out, nil
}
