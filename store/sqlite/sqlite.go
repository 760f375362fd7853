// Package sqlite is the embedded system of record: a minyi.Store in one
// SQLite file, through the pure-Go modernc.org/sqlite driver (no cgo).
//
// Times are stored as unix seconds and come back in UTC; sub-second parts are
// dropped on write, as Document.Hash already ignores them. Petitioner contact
// data is stored and returned but never logged.
//
// The SQL is shared with the PostgreSQL store (store/internal/sqlstore); this
// package holds what SQLite does differently (dialect.go), its connections
// and its schema.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers driver "sqlite"

	"minyi"
	"minyi/store/internal/sqlstore"
)

var _ minyi.Store = (*Store)(nil)

// Store is a minyi.Store backed by one SQLite database file.
//
// SQLite allows one writer at a time. Writes go through a pool of exactly one
// connection, so writers in this process queue in Go instead of failing with
// SQLITE_BUSY; their transactions begin IMMEDIATE and wait out busy_timeout,
// so another process holding the write lock delays rather than fails them.
// Reads use their own pool and, in WAL mode, never wait for the writer.
type Store struct {
	*sqlstore.Store
	write *sql.DB
	read  *sql.DB
}

// busyTimeout is how long a writer waits for another process's write lock.
const busyTimeout = 10 * time.Second

// Open opens (creating if needed) the database at path and brings its schema
// up to date. A database written by a newer minyi is refused.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, minyi.Errorf(minyi.EINVALID, "sqlite: empty database path")
	}
	if strings.ContainsRune(path, '?') {
		// The driver reads everything after '?' as connection parameters.
		return nil, minyi.Errorf(minyi.EINVALID, "sqlite: database path %q must not contain '?'", path)
	}
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busyTimeout.Milliseconds())

	write, err := sql.Open("sqlite", path+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	ctx := context.Background()
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, write, migrationFiles); err != nil {
		write.Close()
		return nil, err
	}

	// Opened after migrating so that readers see WAL mode and the full schema.
	// Readers map the file: a page already in the OS cache then costs no
	// read system call, which is most of a page's time on the public board.
	read, err := sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)&_pragma=mmap_size(268435456)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	slog.Debug("sqlite store opened", "path", path)
	return &Store{Store: sqlstore.New(dialect, conns{write: write, read: read}), write: write, read: read}, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}
