package sqlstore

import (
	"context"
	"time"

	"minyi"
)

// markPending records, in PutDocuments' transaction, that a document version
// still owes its pipeline; a later version replaces an earlier one.
const markPending = `INSERT INTO pending_documents (id, content_hash, since) VALUES (?1, ?2, ?3)
	ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, since = excluded.since`

// PendingDocuments lists pending documents marked at or before `before`, oldest first.
func (s *Store) PendingDocuments(ctx context.Context, before time.Time, limit int) ([]minyi.DocumentVersion, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT id, content_hash FROM pending_documents
		WHERE since <= ?1 ORDER BY since, id LIMIT ?2`), s.d.Time(before), limit)
	out := []minyi.DocumentVersion{}
	err = each(rows, err, func(r Rows) error {
		var v minyi.DocumentVersion
		err := r.Scan(&v.ID, &v.ContentHash)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, s.errorf("pending documents: %w", err)
	}
	return out, nil
}

// FinishDocuments clears the marks of exactly these versions.
func (s *Store) FinishDocuments(ctx context.Context, done []minyi.DocumentVersion) error {
	if len(done) == 0 {
		return nil
	}
	args := make([][]any, len(done))
	for i, v := range done {
		args[i] = []any{v.ID, v.ContentHash}
	}
	err := s.c.InTx(ctx, func(tx DB) error {
		_, err := tx.ExecEach(ctx, s.sql(`DELETE FROM pending_documents WHERE id = ?1 AND content_hash = ?2`), args)
		return err
	})
	if err != nil {
		return s.errorf("finish documents: %w", err)
	}
	return nil
}

// CountPending counts the pending documents.
func (s *Store) CountPending(ctx context.Context) (int, error) {
	var n int
	if err := s.c.Read().QueryRow(ctx, `SELECT count(*) FROM pending_documents`).Scan(&n); err != nil {
		return 0, s.errorf("count pending: %w", err)
	}
	return n, nil
}
