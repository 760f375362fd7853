package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minyi"
)

// markPending records, in PutDocuments' transaction, that a document version
// still owes its pipeline; a later version replaces an earlier one.
const markPending = `INSERT INTO pending_documents (id, content_hash, since) VALUES (?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, since = excluded.since`

// PendingDocuments lists pending documents marked at or before `before`, oldest first.
func (s *Store) PendingDocuments(ctx context.Context, before time.Time, limit int) ([]minyi.DocumentVersion, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, content_hash FROM pending_documents
		WHERE since <= ? ORDER BY since, id LIMIT ?`, before.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending documents: %w", err)
	}
	defer rows.Close()
	var out []minyi.DocumentVersion
	for rows.Next() {
		var v minyi.DocumentVersion
		if err := rows.Scan(&v.ID, &v.ContentHash); err != nil {
			return nil, fmt.Errorf("sqlite: pending documents: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FinishDocuments clears the marks of exactly these versions.
func (s *Store) FinishDocuments(ctx context.Context, done []minyi.DocumentVersion) error {
	if len(done) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `DELETE FROM pending_documents WHERE id = ? AND content_hash = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, v := range done {
			if _, err := stmt.ExecContext(ctx, v.ID, v.ContentHash); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: finish documents: %w", err)
	}
	return nil
}

// CountPending counts the pending documents.
func (s *Store) CountPending(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM pending_documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count pending: %w", err)
	}
	return n, nil
}
