package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
)

// markChanged records, in PutDocuments' transaction, that each changed
// document version still owes its pipeline; a later version replaces an
// earlier one. Rows go in the order PutDocuments locked them.
func markChanged(ctx context.Context, tx pgx.Tx, docs []minyi.Document, affected []bool) error {
	ids, hashes := make([]string, 0, len(docs)), make([]string, 0, len(docs))
	last := map[string]int{}
	for i, d := range docs {
		if !affected[i] {
			continue
		}
		if j, ok := last[d.ID]; ok {
			hashes[j] = d.ContentHash
			continue
		}
		last[d.ID] = len(ids)
		ids, hashes = append(ids, d.ID), append(hashes, d.ContentHash)
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO pending_documents (id, content_hash, since)
		SELECT id, hash, now() FROM unnest($1::text[], $2::text[]) AS t(id, hash) ORDER BY id
		ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, since = excluded.since`, ids, hashes)
	if err != nil {
		return fmt.Errorf("mark pending: %w", err)
	}
	return nil
}

// PendingDocuments lists pending documents marked at or before `before`, oldest first.
func (s *Store) PendingDocuments(ctx context.Context, before time.Time, limit int) ([]minyi.DocumentVersion, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, content_hash FROM pending_documents
		WHERE since <= $1 ORDER BY since, id LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending documents: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (minyi.DocumentVersion, error) {
		var v minyi.DocumentVersion
		err := r.Scan(&v.ID, &v.ContentHash)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: pending documents: %w", err)
	}
	return out, nil
}

// FinishDocuments clears the marks of exactly these versions.
func (s *Store) FinishDocuments(ctx context.Context, done []minyi.DocumentVersion) error {
	if len(done) == 0 {
		return nil
	}
	ids, hashes := make([]string, len(done)), make([]string, len(done))
	for i, v := range done {
		ids[i], hashes[i] = v.ID, v.ContentHash
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM pending_documents p
		USING unnest($1::text[], $2::text[]) AS t(id, hash)
		WHERE p.id = t.id AND p.content_hash = t.hash`, ids, hashes)
	if err != nil {
		return fmt.Errorf("postgres: finish documents: %w", err)
	}
	return nil
}

// CountPending counts the pending documents.
func (s *Store) CountPending(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pending_documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count pending: %w", err)
	}
	return n, nil
}
