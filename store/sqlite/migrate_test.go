package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"minyi"
	"minyi/store/internal/sqlstore"
	"minyi/store/storetest"
)

func TestReopenIsNoOp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "minyi.db")
	for range 3 {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var n, max int
		if err := s.read.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
			t.Fatal(err)
		}
		ms, _ := sqlstore.LoadMigrations(migrationFiles)
		if n != len(ms) || max != len(ms) {
			t.Errorf("schema_migrations has %d rows up to version %d, want %d", n, max, len(ms))
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "minyi.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (999, '0999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "version 999") || !strings.Contains(err.Error(), "newer minyi") {
		t.Fatalf("Open of a newer schema: err = %v, want a refusal naming version 999", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	fsys := fstest.MapFS{
		"migrations/0001_one.sql": {Data: []byte(`CREATE TABLE one (x INTEGER);`)},
		"migrations/0002_two.sql": {Data: []byte(`CREATE TABLE two (x INTEGER); CREATE TABLE broken (;`)},
	}
	if err := migrate(ctx, db, fsys); err == nil || !strings.Contains(err.Error(), "0002_two.sql") {
		t.Fatalf("migrate = %v, want an error naming 0002_two.sql", err)
	}
	v, err := sqlstore.SchemaVersion(ctx, conn{db})
	if err != nil || v != 1 {
		t.Fatalf("schema version = %d, %v; want 1", v, err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'two'`).Scan(&n)
	if n != 0 {
		t.Error("table two of the failed migration exists")
	}

	// Fixed, it applies on the next run.
	fsys["migrations/0002_two.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE two (x INTEGER);`)}
	if err := migrate(ctx, db, fsys); err != nil {
		t.Fatal(err)
	}
	if v, _ := sqlstore.SchemaVersion(ctx, conn{db}); v != 2 {
		t.Errorf("schema version = %d, want 2", v)
	}
}

func TestLoadMigrationsChecksNames(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":      {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"bad name": {"migrations/0001_a.sql": {}, "migrations/2_b.sql": {}},
		"dup":      {"migrations/0001_a.sql": {}, "migrations/0001_b.sql": {}},
	} {
		if _, err := sqlstore.LoadMigrations(fsys); err == nil {
			t.Errorf("%s: loadMigrations accepted %v", name, fsys)
		}
	}
	ms, err := sqlstore.LoadMigrations(migrationFiles)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %v, %v", ms, err)
	}
}

func TestCaseDayStatsRebuilt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "minyi.db")
	db, err := sql.Open("sqlite", path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckStatsRebuilt(t, func(ctx context.Context, cases []minyi.Case) error {
		if err := migrate(ctx, db, storetest.MigrationsBefore(t, migrationFiles, 19)); err != nil {
			return err
		}
		// Today's PutCases writes cases.event, which 0020 adds: the column is
		// there for the write only.
		if _, err := db.ExecContext(ctx, `ALTER TABLE cases ADD COLUMN event TEXT`); err != nil {
			return err
		}
		if err := sqlstore.New(dialect, conns{write: db, read: db}).PutCases(ctx, cases); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `ALTER TABLE cases DROP COLUMN event`)
		return err
	}, func() minyi.Store {
		db.Close()
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
