package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"minyi"
	"minyi/store/internal/input"
)

const caseColumns = `id, document_id, source, title, message_type, category, region, department,
	routing, status, received, due, extended, answered, on_time, rung, returns, rating, redo,
	historical, updated, repeat_of, merged_into`

// upsertCase writes the values of caseArgs, and the event of the case's
// document as it is now (cases.event follows it: see putEvents).
const upsertCase = `INSERT INTO cases (` + caseColumns + `, event)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
		(SELECT event FROM documents WHERE id = ?2))
	ON CONFLICT (id) DO UPDATE SET event = excluded.event,
		document_id = excluded.document_id, source = excluded.source, title = excluded.title,
		message_type = excluded.message_type, category = excluded.category, region = excluded.region,
		department = excluded.department, routing = excluded.routing, status = excluded.status,
		received = excluded.received, due = excluded.due, extended = excluded.extended,
		answered = excluded.answered, on_time = excluded.on_time, rung = excluded.rung,
		returns = excluded.returns, rating = excluded.rating, redo = excluded.redo,
		historical = excluded.historical, updated = excluded.updated, repeat_of = excluded.repeat_of,
		merged_into = excluded.merged_into`

// PutCase upserts the case snapshot by ID.
func (s *Store) PutCase(ctx context.Context, c minyi.Case) error {
	c, err := input.PrepareCase(c)
	if err != nil {
		return err
	}
	args, err := s.caseArgs(&c)
	if err != nil {
		return err
	}
	if _, err := s.c.Write().Exec(ctx, s.sql(upsertCase), args...); err != nil {
		return s.errorf("put case %q: %w", c.ID, err)
	}
	return nil
}

// PutCases upserts many snapshots in one transaction: the cases an ingest
// batch opens, one write instead of one each.
func (s *Store) PutCases(ctx context.Context, cases []minyi.Case) error {
	args := make([][]any, len(cases))
	for i, c := range cases {
		c, err := input.PrepareCase(c)
		if err != nil {
			return err
		}
		if args[i], err = s.caseArgs(&c); err != nil {
			return err
		}
	}
	err := s.c.InTx(ctx, func(tx DB) error {
		_, err := tx.ExecEach(ctx, s.sql(upsertCase), args)
		return err
	})
	if err != nil {
		return s.errorf("put cases: %w", err)
	}
	return nil
}

// caseArgs returns the values of caseColumns for c; nil is NULL.
func (s *Store) caseArgs(c *minyi.Case) ([]any, error) {
	var routing any
	if c.Routing != nil {
		b, err := json.Marshal(c.Routing)
		if err != nil {
			return nil, fmt.Errorf("case %q: encode routing: %w", c.ID, err)
		}
		routing = string(b)
	}
	var repeatOf any
	if len(c.RepeatOf) > 0 {
		b, err := json.Marshal(c.RepeatOf)
		if err != nil {
			return nil, fmt.Errorf("case %q: encode repeat_of: %w", c.ID, err)
		}
		repeatOf = string(b)
	}
	return []any{c.ID, c.DocumentID, c.Source, c.Title, string(c.MessageType), c.Category, c.Region,
		c.Department, routing, string(c.Status), s.time(c.Received), s.time(c.Due), c.Extended,
		s.time(c.Answered), c.OnTime, string(c.Rung), c.Returns, string(c.Rating), c.Redo,
		c.Historical, s.time(c.Updated), repeatOf, nullString(c.MergedInto)}, nil
}

func scanCase(row Row) (minyi.Case, error) {
	var c minyi.Case
	var routing, repeatOf []byte
	var mergedInto sql.NullString
	err := row.Scan(&c.ID, &c.DocumentID, &c.Source, &c.Title, &c.MessageType, &c.Category, &c.Region,
		&c.Department, &routing, &c.Status, timeOf(&c.Received), timeOf(&c.Due), &c.Extended,
		timeOf(&c.Answered), &c.OnTime, &c.Rung, &c.Returns, &c.Rating, &c.Redo, &c.Historical, timeOf(&c.Updated), &repeatOf, &mergedInto)
	if err != nil {
		return c, err
	}
	c.MergedInto = mergedInto.String
	if routing != nil {
		c.Routing = new(minyi.Routing)
		if err := json.Unmarshal(routing, c.Routing); err != nil {
			return c, fmt.Errorf("case %q: decode routing: %w", c.ID, err)
		}
		c.Routing.At = input.StoredTime(c.Routing.At) // JSON keeps the instant; the store answers in UTC
	}
	if repeatOf != nil {
		if err := json.Unmarshal(repeatOf, &c.RepeatOf); err != nil {
			return c, fmt.Errorf("case %q: decode repeat_of: %w", c.ID, err)
		}
	}
	return c, nil
}

// Case returns ENOTFOUND for an unknown id.
func (s *Store) Case(ctx context.Context, id string) (*minyi.Case, error) {
	c, err := scanCase(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+caseColumns+` FROM cases WHERE id = ?1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "case %q not found", id)
	} else if err != nil {
		return nil, s.errorf("case %q: %w", id, err)
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
	where, args := s.caseWhere(q)
	order := ` ORDER BY received DESC, id DESC`
	if q.ByDue {
		// NULL sorts first in SQLite and last in PostgreSQL: said outright.
		order = ` ORDER BY due IS NULL, due, id`
	}
	out, total, err := s.casePage(ctx, where, args, order, q.Limit, q.Offset)
	if err != nil {
		return nil, 0, s.errorf("cases: %w", err)
	}
	return out, total, nil
}

// casePage reads a page of the cases matching where (with its args) in
// order, and how many match in all, in one snapshot so that they agree.
func (s *Store) casePage(ctx context.Context, where string, args []any, order string, limit, offset int) ([]minyi.Case, int, error) {
	out := []minyi.Case{}
	var total int
	err := s.c.InSnapshot(ctx, func(tx DB) error {
		if err := tx.QueryRow(ctx, s.sql(`SELECT count(*) FROM cases`+where), args...).Scan(&total); err != nil {
			return err
		}
		if offset >= total {
			return nil
		}
		page := where + order + limitOffset(len(args))
		query := `SELECT ` + caseColumns + ` FROM cases` + page
		if s.d.PageByRowID {
			// Sorting thousands of overdue cases with their titles costs ten
			// times more than sorting their index entries.
			query = `SELECT ` + caseColumns + ` FROM cases WHERE rowid IN (SELECT rowid FROM cases` + page + `)` + order
		}
		rows, err := tx.Query(ctx, s.sql(query), append(args, limit, offset)...)
		return each(rows, err, func(r Rows) error {
			c, err := scanCase(r)
			out = append(out, c)
			return err
		})
	})
	return out, total, err
}

// caseWhere renders the filter as a WHERE clause ("" when it selects all).
func (s *Store) caseWhere(q input.CaseQuery) (string, []any) {
	var w conditions
	if q.Department != "" {
		w.add(`department = ?`, q.Department)
	}
	if q.Status != "" {
		w.add(`status = ?`, string(q.Status))
	}
	if q.Overdue != nil {
		overdue := `(status IN ('routing', 'open') AND due < ?)`
		if *q.Overdue {
			w.add(overdue, s.d.Time(q.OverdueBefore))
		} else {
			// due IS NULL makes the comparison NULL; coalesce makes it false.
			w.add(`NOT coalesce(`+overdue+`, false)`, s.d.Time(q.OverdueBefore))
		}
	}
	if !q.From.IsZero() {
		w.add(`received >= ?`, s.bound(q.From))
	}
	if !q.To.IsZero() {
		w.add(`received < ?`, s.bound(q.To))
	}
	if q.Historical != nil {
		w.add(`historical = ?`, *q.Historical)
	}
	if q.MergedInto != "" {
		w.add(`merged_into = ?`, q.MergedInto)
	}
	return w.where(), w.args
}

// AppendCaseEvents writes events in one transaction, ignoring any whose
// (CaseID, Key) exists already or earlier in the batch. The inserts run in
// input order, which is the timeline's order among events at one time.
func (s *Store) AppendCaseEvents(ctx context.Context, events []minyi.CaseEvent) error {
	events, err := input.PrepareCaseEvents(events)
	if err != nil || len(events) == 0 {
		return err
	}
	args := make([][]any, len(events))
	for i, e := range events {
		args[i] = []any{e.CaseID, e.Key, string(e.Type), s.time(e.At), e.Actor, e.Department, e.Detail, s.time(e.Due)}
	}
	err = s.c.InTx(ctx, func(tx DB) error {
		_, err := tx.ExecEach(ctx, s.sql(`INSERT INTO case_events
				(case_id, key, type, at, actor, department, detail, due)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
			ON CONFLICT (case_id, key) DO NOTHING`), args)
		if ee := (*ExecError)(nil); errors.As(err, &ee) {
			e := events[ee.Index]
			return fmt.Errorf("event %q of case %q: %w", e.Key, e.CaseID, ee.Err)
		}
		return err
	})
	if err != nil {
		return s.errorf("append case events: %w", err)
	}
	return nil
}

// CaseEvents returns a case's timeline by time, then insertion order; an
// unknown case has an empty timeline.
func (s *Store) CaseEvents(ctx context.Context, caseID string) ([]minyi.CaseEvent, error) {
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT case_id, key, type, at, actor, department, detail, due
		FROM case_events WHERE case_id = ?1 ORDER BY at, seq`), caseID)
	out := []minyi.CaseEvent{}
	err = each(rows, err, func(r Rows) error {
		var e minyi.CaseEvent
		err := r.Scan(&e.CaseID, &e.Key, &e.Type, timeOf(&e.At), &e.Actor, &e.Department, &e.Detail, timeOf(&e.Due))
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, s.errorf("case events of %q: %w", caseID, err)
	}
	return out, nil
}
