package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"minyi"
	"minyi/store/internal/sqlstore"
	"minyi/store/storetest"
)

func TestReopenIsNoOp(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	ms, err := sqlstore.LoadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	// Processes starting together must apply each migration once.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, max int
	if err := s.pool.QueryRow(ctx, `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || max != len(ms) {
		t.Errorf("schema_migrations has %d rows up to version %d, want %d", n, max, len(ms))
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "version 999") || !strings.Contains(err.Error(), "newer minyi") {
		t.Fatalf("Open of a newer schema: err = %v, want a refusal naming version 999", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The applied migrations again (not rerun, so their text does not
	// matter) and a broken next one.
	ms, err := sqlstore.LoadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, m := range ms {
		fsys["migrations/"+m.Name] = &fstest.MapFile{Data: []byte(`SELECT 1;`)}
	}
	next := fmt.Sprintf("%04d_three.sql", len(ms)+1)
	fsys["migrations/"+next] = &fstest.MapFile{Data: []byte(`CREATE TABLE three (x INTEGER); CREATE TABLE broken (;`)}
	if err := migrate(ctx, s.pool, fsys); err == nil || !strings.Contains(err.Error(), next) {
		t.Fatalf("migrate = %v, want an error naming %s", err, next)
	}
	var version int
	var three *string
	err = s.pool.QueryRow(ctx, `SELECT (SELECT max(version) FROM schema_migrations), to_regclass('three')::text`).Scan(&version, &three)
	if err != nil {
		t.Fatal(err)
	}
	if version != len(ms) || three != nil {
		t.Errorf("after a failed migration: version %d, table three %v; want %d and no table", version, three, len(ms))
	}
}

// The database's default collation may sort "B" after "a"; keyset pagination
// relies on ids sorting bytewise, as Go compares them.
func TestDocumentIDsSortBytewise(t *testing.T) {
	s := openTestStore(t).(*Store)
	var collation string
	err := s.pool.QueryRow(context.Background(), `SELECT coalesce(collation_name, '')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'documents' AND column_name = 'id'`).Scan(&collation)
	if err != nil {
		t.Fatal(err)
	}
	if collation != "C" {
		t.Errorf("documents.id collation = %q, want C", collation)
	}
}

func TestCaseDayStatsRebuilt(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	storetest.CheckStatsRebuilt(t, func(ctx context.Context, cases []minyi.Case) error {
		if err := migrate(ctx, pool, storetest.MigrationsBefore(t, migrationFiles, 19)); err != nil {
			return err
		}
		// Today's PutCases writes cases.event, which 0020 adds: the column is
		// there for the write only.
		if _, err := pool.Exec(ctx, `ALTER TABLE cases ADD COLUMN event TEXT`); err != nil {
			return err
		}
		if err := sqlstore.New(dialect, conns{q: pool}).PutCases(ctx, cases); err != nil {
			return err
		}
		_, err := pool.Exec(ctx, `ALTER TABLE cases DROP COLUMN event`)
		return err
	}, func() minyi.Store {
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
