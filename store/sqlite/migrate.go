package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"

	"minyi/store/internal/sqlstore"
)

// migrationFiles are the schema versions, applied in order of their number.
// A released file is never edited: a change to the schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the migrations in fsys that db has not seen yet.
// Transactions begin IMMEDIATE (see Open), so two processes opening the
// same file at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	return sqlstore.Migrate(ctx, dialect, conns{write: db, read: db}, fsys)
}
