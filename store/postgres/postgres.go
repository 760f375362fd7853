// Package postgres is the system of record for the scale deployment: a
// minyi.Store in PostgreSQL through a pgx connection pool.
//
// Times are stored as timestamptz truncated to whole seconds (Document.Hash
// ignores sub-seconds too) and come back in UTC. Tables are created unqualified,
// so a search_path in the DSN (e.g. ...?search_path=minyi) picks the schema.
// Petitioner contact data is stored and returned but never logged.
//
// The SQL is shared with the SQLite store (store/internal/sqlstore); this
// package holds what PostgreSQL does differently (dialect.go), its
// connections and its schema.
package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi"
	"minyi/store/internal/sqlstore"
)

var _ minyi.Store = (*Store)(nil)

// Store is a minyi.Store backed by a PostgreSQL database.
type Store struct {
	*sqlstore.Store
	pool *pgxpool.Pool
}

// Open connects to the database at dsn (URL or key=value form) and brings its
// schema up to date. A database migrated by a newer minyi is refused.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error may quote the DSN, password included.
		return nil, minyi.Errorf(minyi.EINVALID, "postgres: cannot parse the connection string")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	if err := migrate(ctx, pool, migrationFiles); err != nil {
		pool.Close()
		return nil, err
	}
	slog.Debug("postgres store opened", "host", cfg.ConnConfig.Host, "database", cfg.ConnConfig.Database)
	return &Store{Store: sqlstore.New(dialect, conns{pool}), pool: pool}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
