package sqlite

import (
	"io/fs"
	"testing"

	"minyi/store/storetest"
)

// TestPortalTriplesMigration: migration 0021 writes the search triples of
// the letters published before it exactly as the store writes them.
func TestPortalTriplesMigration(t *testing.T) {
	s := openFresh(t)
	migration, err := fs.ReadFile(migrationFiles, "migrations/0021_portal_search_triples.sql")
	if err != nil {
		t.Fatal(err)
	}
	triples := func() []string {
		rows, err := s.write.Query(`SELECT gram || ' ' || number FROM portal_grams WHERE length(gram) = 3 ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var g string
			if err := rows.Scan(&g); err != nil {
				t.Fatal(err)
			}
			out = append(out, g)
		}
		return out
	}
	storetest.CheckTriplesMigration(t, s, string(migration), triples, func(q string) {
		if _, err := s.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	})
}
