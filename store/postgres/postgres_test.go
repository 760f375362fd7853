package postgres

import (
	"context"
	"testing"

	"minyi/store/storetest"
)

func TestStore(t *testing.T) { storetest.RunStoreTests(t, openTestStore) }

func TestStatsSeeOtherWriters(t *testing.T) {
	dsn := freshSchema(t)
	open := func() *Store {
		s, err := Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.TestStatsSeeOtherWriters(t, open(), open())
}
