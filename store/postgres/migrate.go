package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi/store/internal/sqlstore"
)

// migrationFiles are the schema versions, applied in order of their number.
// A released file is never edited: a change to the schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the first key of the advisory lock that serialises
// migrations; the second is a hash of the schema, so that separate schemas in
// one database (one per test, or per tenant) migrate independently.
const migrationLock = 0x6d6e79 // "mny"

// migrate applies the migrations in fsys that the database has not seen yet,
// holding an advisory lock on one connection, so that two processes starting
// at once apply each migration once.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer func() {
		// Unlock even when ctx is done: the connection goes back to the pool.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrationLock); err != nil {
			conn.Conn().Close(context.Background())
		}
	}()
	return sqlstore.Migrate(ctx, dialect, conns{conn}, fsys)
}
