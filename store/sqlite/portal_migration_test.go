package sqlite

import (
	"io/fs"
	"slices"
	"testing"

	"minyi/store/storetest"
)

// TestPortalTriplesMigration: migration 0021 writes the search triples of
// the letters published before it exactly as the store writes them.
func TestPortalTriplesMigration(t *testing.T) {
	s := openFresh(t)
	storetest.SeedPortalSearch(t, s)
	triples := func() []string {
		t.Helper()
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
	written := triples()
	if !slices.Contains(written, "et  MY20261207-K") || !slices.Contains(written, "𠮷野家 MY20261207-M") {
		t.Fatalf("the store's triples lack folded ASCII or a character outside the BMP: %q", written)
	}
	migration, err := fs.ReadFile(migrationFiles, "migrations/0021_portal_search_triples.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.Exec(`DELETE FROM portal_grams WHERE length(gram) = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.Exec(string(migration)); err != nil {
		t.Fatal(err)
	}
	if got := triples(); !slices.Equal(got, written) {
		t.Errorf("triples after the migration:\n%q\nthe store's:\n%q", got, written)
	}
}
