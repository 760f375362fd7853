package postgres

import (
	"context"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5"

	"minyi/store/storetest"
)

// TestPortalTriplesMigration: migration 0021 writes the search triples of
// the letters published before it exactly as the store writes them.
func TestPortalTriplesMigration(t *testing.T) {
	s := openTestStore(t).(*Store)
	ctx := context.Background()
	migration, err := fs.ReadFile(migrationFiles, "migrations/0021_portal_search_triples.sql")
	if err != nil {
		t.Fatal(err)
	}
	triples := func() []string {
		rows, _ := s.pool.Query(ctx, `SELECT gram || ' ' || number FROM portal_grams WHERE length(gram) = 3 ORDER BY 1`)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	storetest.CheckTriplesMigration(t, s, string(migration), triples, func(q string) {
		if _, err := s.pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	})
}
