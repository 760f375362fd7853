package sqlite

import (
	"path/filepath"
	"testing"

	"minyi/store/storetest"
)

func TestStore(t *testing.T) { storetest.RunStoreTests(t, openTestStore) }

func TestStatsSeeOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "minyi.db")
	open := func() *Store {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.TestStatsSeeOtherWriters(t, open(), open())
}
