package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"minyi/store/internal/sqlstore"
)

// dialect is PostgreSQL's part of the shared SQL.
var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Placeholder: "$",
	Time:        func(t time.Time) any { return t.UTC().Truncate(time.Second) },
	// Lists of ids travel as one array parameter, so their number is not
	// bounded by the protocol's 65535 parameters.
	MaxInList: 0,
	// As documents_event_day spells it. An interval zone is east of UTC
	// when positive (ISO), unlike a POSIX zone name such as 'UTC+8'.
	ChinaDay: `((published AT TIME ZONE INTERVAL '+08:00')::date - DATE '1970-01-01')`,
	// The database's default collation may sort "B" after "a"; the columns
	// keyset pagination runs over are COLLATE "C" in the schema.
	BytewiseCollation: `COLLATE "C"`,
	IsUniqueViolation: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		applied TIMESTAMPTZ NOT NULL DEFAULT now()
	)`,
}

// maxBatch bounds the statements pipelined in one round trip.
const maxBatch = 1000

// querier is a pool, a connection or a transaction of pgx.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// conns serve every use from one pool (or, while migrating, one connection).
type conns struct {
	q interface {
		querier
		BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
	}
}

func (c conns) Read() sqlstore.DB  { return conn{c.q} }
func (c conns) Write() sqlstore.DB { return conn{c.q} }

func (c conns) InTx(ctx context.Context, fn func(sqlstore.DB) error) error {
	return classify(pgx.BeginTxFunc(ctx, c.q, pgx.TxOptions{}, func(tx pgx.Tx) error { return fn(conn{tx}) }))
}

func (c conns) InSnapshot(ctx context.Context, fn func(sqlstore.DB) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return classify(pgx.BeginTxFunc(ctx, c.q, opts, func(tx pgx.Tx) error { return fn(conn{tx}) }))
}

// conn is a querier as a sqlstore.DB.
type conn struct{ q querier }

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), classify(err)
}

// ExecEach pipelines the runs in batches of maxBatch.
func (c conn) ExecEach(ctx context.Context, query string, argLists [][]any) ([]int64, error) {
	counts := make([]int64, 0, len(argLists))
	for start := 0; start < len(argLists); start += maxBatch {
		chunk := argLists[start:min(start+maxBatch, len(argLists))]
		batch := &pgx.Batch{}
		for _, args := range chunk {
			batch.Queue(query, args...)
		}
		br := c.q.SendBatch(ctx, batch)
		for i := range chunk {
			tag, err := br.Exec()
			if err != nil {
				br.Close()
				return nil, &sqlstore.ExecError{Index: start + i, Err: classify(err)}
			}
			counts = append(counts, tag.RowsAffected())
		}
		if err := br.Close(); err != nil {
			return nil, classify(err)
		}
	}
	return counts, nil
}

func (c conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.q.Query(ctx, query, args...)
	return rows, classify(err)
}

func (c conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return row{c.q.QueryRow(ctx, query, args...)}
}

// row classifies the error its Scan reports.
type row struct{ pgx.Row }

func (r row) Scan(dest ...any) error { return classify(r.Row.Scan(dest...)) }
