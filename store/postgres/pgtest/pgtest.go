// Package pgtest gives tests and benchmarks of any package a schema of
// their own in the PostgreSQL database at TEST_POSTGRES_URL.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// FreshSchema creates an empty schema in the database at TEST_POSTGRES_URL,
// drops it when the test ends, and returns a DSN whose search_path points at
// it. It skips the test when no database is configured or reachable.
func FreshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("TEST_POSTGRES_URL is not set; to run the PostgreSQL store tests set it, e.g. " +
			"TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'")
	}
	if err := reachable(base); err != nil {
		t.Skipf("TEST_POSTGRES_URL is set but the database is unreachable: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to TEST_POSTGRES_URL: %v", err)
	}
	defer admin.Close(ctx)

	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "minyi_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(t, base, schema)
}

// reachable connects once per test binary, so that an unreachable server
// costs one timeout, not one per test.
var reachable = func() func(dsn string) error {
	var once sync.Once
	var err error
	return func(dsn string) error {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var conn *pgx.Conn
			if conn, err = pgx.Connect(ctx, dsn); err == nil {
				conn.Close(ctx)
			}
		})
		return err
	}
}()

// WithSearchPath is dsn with its search_path set to schema.
func WithSearchPath(t testing.TB, dsn, schema string) string {
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
