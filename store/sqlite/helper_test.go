package sqlite

import (
	"path/filepath"
	"testing"

	"minyi"
)

func openTestStore(t *testing.T) minyi.Store { return openFresh(t) }

// openFresh opens a new database file that the test removes afterwards.
func openFresh(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
