package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"minyi/store/internal/storebench"
	"minyi/store/postgres/pgtest"
)

func BenchmarkPutDocuments(b *testing.B) { storebench.PutDocuments(b, openBench(b)) }

func BenchmarkDepartmentStats100k(b *testing.B) { storebench.DepartmentStats100k(b, openSeeded(b)) }

func BenchmarkCases100k(b *testing.B) { storebench.Cases100k(b, openSeeded(b)) }

func openBench(b *testing.B) *Store {
	s, err := Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// openSeeded is a new schema with the benchmarks' 100k cases, and the
// planner's statistics refreshed as autovacuum would soon after.
func openSeeded(b *testing.B) *Store {
	s := openBench(b)
	storebench.SeedCases(b, s.PutCases)
	if _, err := s.pool.Exec(context.Background(), `ANALYZE cases`); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkHotEvents ranks hot events over storebench.EventDocs documents
// (MINYI_BENCH_EVENT_DOCS=100000 for a quicker run), with the planner's
// statistics and visibility map refreshed as autovacuum would soon after.
// With MINYI_BENCH_CACHE set, the seeded store is kept in a schema of its
// own (the directory is not used) that later runs of the same size read,
// after the minyi under test migrated it.
func BenchmarkHotEvents(b *testing.B) {
	n := storebench.EventDocs()
	var dsn string
	seeded := false
	if storebench.CacheRoot() != "" {
		dsn, seeded = keptSchema(b, fmt.Sprintf("minyi_bench_%s_%d", strings.ReplaceAll(storebench.EventsSeed, "-", "_"), n))
	} else {
		dsn = freshSchema(b)
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if seeded {
		b.Log("seeded store kept from an earlier run")
	} else {
		storebench.SeedEvents(b, s, n)
	}
	// Also after a migration that rewrote rows of a kept store.
	for _, q := range []string{`VACUUM ANALYZE documents`, `VACUUM ANALYZE events`, `VACUUM ANALYZE cases`, `CREATE TABLE IF NOT EXISTS bench_seeded ()`} {
		if _, err := s.pool.Exec(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	storebench.HotEvents(b, s)
}

// keptSchema is the DSN of schema, which stays after the benchmark, and
// whether an earlier run seeded it completely (left the table
// bench_seeded); an incomplete one is emptied.
func keptSchema(b *testing.B, schema string) (string, bool) {
	base := os.Getenv("TEST_POSTGRES_URL")
	if base == "" {
		b.Skip("TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	var seeded bool
	err = admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.tables
		WHERE table_schema = $1 AND table_name = 'bench_seeded')`, schema).Scan(&seeded)
	if err != nil {
		b.Fatal(err)
	}
	if !seeded {
		for _, q := range []string{`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`, `CREATE SCHEMA ` + schema} {
			if _, err := admin.Exec(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	return pgtest.WithSearchPath(b, base, schema), seeded
}
