package postgres

import (
	"context"
	"testing"

	"minyi"
	"minyi/store/postgres/pgtest"
)

func openTestStore(t *testing.T) minyi.Store {
	t.Helper()
	s, err := Open(context.Background(), freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// freshSchema is an empty schema of this test's (pgtest.FreshSchema).
func freshSchema(t testing.TB) string { return pgtest.FreshSchema(t) }
