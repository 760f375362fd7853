package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Migration is one schema version, from a file migrations/NNNN_name.sql. A
// released file is never edited: a change to the schema is a new file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

// LoadMigrations reads migrations/NNNN_name.sql from fsys and checks that the
// versions run 1, 2, 3... without gaps, so that a missing file is caught here
// and not as a mysterious schema later.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		text, err := fs.ReadFile(fsys, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(text)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %04d", m.Name, i+1)
		}
	}
	return ms, nil
}

// Migrate applies the migrations in fsys that the database has not seen
// yet, each in a transaction of its own that first reads the version again:
// another process may have migrated since. Keeping two processes from
// applying one migration at once is the backend's part (SQLite begins write
// transactions IMMEDIATE, PostgreSQL holds an advisory lock). A database
// migrated by a newer minyi is refused.
func Migrate(ctx context.Context, d Dialect, c Conns, fsys fs.FS) error {
	s := New(d, c)
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return s.errorf("%w", err)
	}
	if _, err := c.Write().Exec(ctx, d.MigrationsTable); err != nil {
		return s.errorf("create schema_migrations: %w", err)
	}
	current, err := s.schemaVersion(ctx, c.Write(), len(ms))
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Version <= current {
			continue
		}
		err := c.InTx(ctx, func(tx DB) error {
			if current, err := s.schemaVersion(ctx, tx, len(ms)); err != nil || current >= m.Version {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, s.sql(`INSERT INTO schema_migrations (version, name, applied) VALUES (?1, ?2, ?3)`),
				m.Version, m.Name, s.time(time.Now()))
			return err
		})
		if err != nil {
			return s.errorf("migration %s: %w", m.Name, err)
		}
		slog.Info(d.Name+" schema migrated", "version", m.Version, "migration", m.Name)
	}
	return nil
}

// SchemaVersion is the highest migration applied to the database.
func SchemaVersion(ctx context.Context, db DB) (int, error) {
	var v int
	err := db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// schemaVersion reads the version and refuses one newer than latest.
func (s *Store) schemaVersion(ctx context.Context, db DB, latest int) (int, error) {
	v, err := SchemaVersion(ctx, db)
	if err != nil {
		return 0, s.errorf("read schema version: %w", err)
	}
	if v > latest {
		return 0, s.errorf("database schema is at version %d but this minyi knows versions up to %d only; "+
			"run a newer minyi against this database", v, latest)
	}
	return v, nil
}
