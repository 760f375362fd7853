// Package sqlstore is the one implementation of minyi.Store over SQL that the
// SQLite and PostgreSQL backends share: the query text, the arguments and
// the scanning of rows, the batching rules and the migration runner. A
// backend contributes what differs between the two engines, as a Dialect,
// and its connections, as Conns; it keeps its own Open, Close and schema
// files.
//
// Queries are written once with numbered placeholders (?1, ?2, ...), which
// SQLite reads as they are and PostgreSQL reads as $1, $2, ...
package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// Dialect is what the two engines do differently in the SQL this package
// writes.
type Dialect struct {
	// Name prefixes every error ("sqlite: ...").
	Name string
	// Placeholder is the mark of a numbered parameter: "?" or "$".
	Placeholder string
	// Time is t as the engine stores and compares it, in whole seconds (the
	// fraction is dropped); the zero time too is a time here, see Store.time.
	Time func(time.Time) any
	// MaxInList bounds the values bound in one IN (...) list; 0 means the
	// list travels as one array parameter (= ANY(?1)) and needs no chunks.
	MaxInList int
	// PageByRowID picks a page of cases by rowid first and reads the rows
	// whole after: the SQLite planner then sorts index entries, not rows.
	PageByRowID bool
	// OverdueIndexHint follows "FROM cases" in the overdue board's count.
	OverdueIndexHint string
	// ChinaDay is the China-time day (UTC+8, as minyi.ChinaTime) of the
	// column published, as whole days since 1970-01-01: hot events count
	// an event's documents per day in the engine, by an index on it where
	// the engine sorts to group (SQLite's documents_event_day).
	ChinaDay string
	// BytewiseCollation follows a text sort key that must sort as Go
	// compares strings when the column's collation may not.
	BytewiseCollation string
	// IsUniqueViolation tells a duplicate-key error from others.
	IsUniqueViolation func(error) bool
	// MigrationsTable creates schema_migrations if it is missing.
	MigrationsTable string
}

// DB is a connection pool or a transaction, as the shared SQL uses it.
type DB interface {
	// Exec runs one statement and returns the rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// ExecEach runs one statement once per argument list, in order, in as
	// few round trips as the driver allows, and returns the rows each run
	// affected. An error names the failing run's index in ExecError.
	ExecEach(ctx context.Context, query string, argLists [][]any) ([]int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is a result being read; Close may be called more than once.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is a single-row result; Scan returns an error wrapping sql.ErrNoRows
// when there is no row.
type Row interface{ Scan(dest ...any) error }

// ExecError is the error of one run of ExecEach.
type ExecError struct {
	Index int
	Err   error
}

func (e *ExecError) Error() string { return e.Err.Error() }
func (e *ExecError) Unwrap() error { return e.Err }

// Conns are a backend's connections.
type Conns interface {
	// Read serves reads outside a transaction.
	Read() DB
	// Write serves single-statement writes.
	Write() DB
	// InTx runs fn in a write transaction, committing if it returns nil.
	InTx(ctx context.Context, fn func(DB) error) error
	// InSnapshot runs fn in a read-only transaction that sees one instant,
	// so that several queries agree.
	InSnapshot(ctx context.Context, fn func(DB) error) error
}

// Store implements minyi.Store, Close aside (the backend owns its
// connections), and minyi.SettingsStore.
type Store struct {
	d     Dialect
	c     Conns
	stats *kept[[2]int64, []minyi.DepartmentStats] // by window, in Unix seconds
	board *kept[struct{}, []minyi.OverdueGroup]
	group *writeGroup
}

// New returns the store that runs d's SQL over c.
func New(d Dialect, c Conns) *Store {
	return &Store{d: d, c: c,
		stats: &kept[[2]int64, []minyi.DepartmentStats]{copy: copyStats},
		board: &kept[struct{}, []minyi.OverdueGroup]{copy: slices.Clone[[]minyi.OverdueGroup]},
		group: &writeGroup{},
	}
}

// sql renders query text for the dialect. No query here has a "?" but its
// placeholders, and no value is ever part of the text.
func (s *Store) sql(query string) string {
	if s.d.Placeholder == "?" {
		return query
	}
	return strings.ReplaceAll(query, "?", s.d.Placeholder)
}

// time is t as a stored value: NULL for the zero time, which means "not set".
func (s *Store) time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.d.Time(t)
}

// bound is t as the bound of a window over stored times: for a stored x,
// "x < t" iff "x < bound(t)", and likewise for >= (see input.CeilSecond).
// The zero time bounds nothing out.
func (s *Store) bound(t time.Time) any { return s.d.Time(input.CeilSecond(t)) }
