package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"minyi/store/internal/sqlstore"
)

// dialect is SQLite's part of the shared SQL.
var dialect = sqlstore.Dialect{
	Name:        "sqlite",
	Placeholder: "?",
	Time:        func(t time.Time) any { return t.Unix() }, // read back in UTC,
	// SQLite refuses more than 32766 variables, and shorter lists plan
	// just as well.
	MaxInList:   500,
	PageByRowID: true,
	// Without statistics SQLite counts the board through cases_status_due
	// and reads every overdue row for its department and rung; the partial
	// index covers them.
	OverdueIndexHint: "INDEXED BY cases_overdue_board",
	// As documents_event_day spells it, so that the planner reads the
	// days from that index (published is never before 1970).
	ChinaDay: `(published + 28800) / 86400`,
	// BINARY, SQLite's default collation, already sorts bytewise.
	BytewiseCollation: "",
	IsUniqueViolation: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) &&
			(e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
	},
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		applied INTEGER NOT NULL
	) STRICT`,
}

// conns are the two pools of Open: writes queue for the one write
// connection, reads use their own.
type conns struct{ write, read *sql.DB }

func (c conns) Read() sqlstore.DB  { return conn{c.read} }
func (c conns) Write() sqlstore.DB { return conn{c.write} }

// InTx begins IMMEDIATE (see Open), so the transaction holds the write
// lock from its first statement.
func (c conns) InTx(ctx context.Context, fn func(sqlstore.DB) error) error {
	tx, err := c.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(conn{tx}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// InSnapshot is a read transaction: in WAL mode it sees the database as of
// its first read, whatever the writer does meanwhile.
func (c conns) InSnapshot(ctx context.Context, fn func(sqlstore.DB) error) error {
	tx, err := c.read.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(conn{tx})
}

// conn is a pool or a transaction of database/sql as a sqlstore.DB.
type conn struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ExecEach prepares the statement once; SQLite has no round trips to save.
func (c conn) ExecEach(ctx context.Context, query string, argLists [][]any) ([]int64, error) {
	if len(argLists) == 0 {
		return nil, nil
	}
	stmt, err := c.q.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	counts := make([]int64, len(argLists))
	for i, args := range argLists {
		res, err := stmt.ExecContext(ctx, args...)
		if err == nil {
			counts[i], err = res.RowsAffected()
		}
		if err != nil {
			return nil, &sqlstore.ExecError{Index: i, Err: err}
		}
	}
	return counts, nil
}

func (c conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	r, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

func (c conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return c.q.QueryRowContext(ctx, query, args...)
}

type rows struct{ *sql.Rows }

func (r rows) Close() { r.Rows.Close() }
