package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// errorf prefixes an error with the backend's name.
func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf(s.d.Name+": "+format, args...)
}

// each calls fn for every row of a query's result and closes it.
func each(rows Rows, err error, fn func(Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// timeDest scans a stored time: unix seconds (SQLite) or a timestamp
// (PostgreSQL), the zero time for NULL, always in UTC.
type timeDest struct{ t *time.Time }

func (d timeDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.t = time.Time{}
	case int64:
		*d.t = time.Unix(v, 0).UTC()
	case time.Time:
		*d.t = v.UTC()
	default:
		return fmt.Errorf("a stored time cannot be a %T", src)
	}
	return nil
}

// timeOf is a scan destination that sets *t.
func timeOf(t *time.Time) sql.Scanner { return timeDest{t} }

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullSimhash bit-casts the fingerprint to the signed column type; zero is
// "no fingerprint".
func nullSimhash(h uint64) any {
	if h == 0 {
		return nil
	}
	return int64(h)
}

// params returns "?first, ?first+1, ..." with n marks.
func params(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("?" + strconv.Itoa(first+i))
	}
	return b.String()
}

// queryAnyOf runs a query whose %s is the test "is one of values" of a
// column, and calls fn for every row: in one query where the dialect takes an
// array parameter, else in IN lists of at most MaxInList values.
func (s *Store) queryAnyOf(ctx context.Context, query string, values []string, fn func(Rows) error) error {
	return s.queryAnyOfIn(ctx, s.c.Read(), query, values, fn)
}

// queryAnyOfIn is queryAnyOf over db, a transaction for one.
func (s *Store) queryAnyOfIn(ctx context.Context, db DB, query string, values []string, fn func(Rows) error) error {
	return s.queryAnyOfArgs(ctx, db, query, nil, values, fn)
}

// queryAnyOfArgs is queryAnyOfIn for a query whose first parameters are
// args; the test "is one of values" takes the parameters after them.
func (s *Store) queryAnyOfArgs(ctx context.Context, db DB, query string, args []any, values []string, fn func(Rows) error) error {
	next := len(args) + 1
	if s.d.MaxInList == 0 {
		if values == nil {
			values = []string{} // nil would be NULL, and = ANY(NULL) is NULL
		}
		rows, err := db.Query(ctx, s.sql(fmt.Sprintf(query, "= ANY(?"+strconv.Itoa(next)+")")), append(slices.Clip(args), values)...)
		return each(rows, err, fn)
	}
	for chunk := range slices.Chunk(values, s.d.MaxInList) {
		all := slices.Clip(args)
		for _, v := range chunk {
			all = append(all, v)
		}
		rows, err := db.Query(ctx, s.sql(fmt.Sprintf(query, "IN ("+params(next, len(chunk))+")")), all...)
		if err := each(rows, err, fn); err != nil {
			return err
		}
	}
	return nil
}

// execAnyOf runs a statement whose %s is the test "is one of values", in
// as few runs as Dialect.MaxInList allows.
func (s *Store) execAnyOf(ctx context.Context, db DB, stmt string, values []string) error {
	if s.d.MaxInList == 0 {
		_, err := db.Exec(ctx, s.sql(fmt.Sprintf(stmt, "= ANY(?1)")), append([]string{}, values...))
		return err
	}
	for chunk := range slices.Chunk(values, s.d.MaxInList) {
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		if _, err := db.Exec(ctx, s.sql(fmt.Sprintf(stmt, "IN ("+params(1, len(chunk))+")")), args...); err != nil {
			return err
		}
	}
	return nil
}

// byKey returns the indexes of items sorted by key, stable, so that batches
// lock rows in one order and concurrent writers wait instead of deadlocking;
// repeats of a key keep their input order, so the later one wins.
func byKey[T any](items []T, key func(*T) string) []int {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(key(&items[a]), key(&items[b])) })
	return order
}

// conditions builds a WHERE clause of conditions joined by AND, each ? in
// a condition numbered after the arguments added before it.
type conditions struct {
	conds []string
	args  []any
}

func (w *conditions) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "?"+strconv.Itoa(len(w.args))))
}

// where is the clause, "" when there is no condition.
func (w *conditions) where() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limitOffset is the LIMIT and OFFSET of a page whose query has n
// parameters before them.
func limitOffset(n int) string { return fmt.Sprintf(` LIMIT ?%d OFFSET ?%d`, n+1, n+2) }
