package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// BackupFile writes a consistent copy of the SQLite database at src to dst
// with VACUUM INTO, while other processes keep reading and writing it: in
// WAL mode the copy is one read transaction, a snapshot of one instant.
// It serves the store's file and the embedded Temporal server's alike.
func BackupFile(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("sqlite: backup of %s: %w", src, err)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("sqlite: backup target %s exists already", dst)
	}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("sqlite: backup of %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO '`+strings.ReplaceAll(dst, "'", "''")+`'`); err != nil {
		return fmt.Errorf("sqlite: backup of %s: %w", src, err)
	}
	return nil
}
