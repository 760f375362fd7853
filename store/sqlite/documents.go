package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

const docColumns = `id, source, kind, url, external_id, board, title, body, author,
	published, fetched, message_type, status, comments,
	reply_unit, reply_body, reply_published, content_hash, contact`

// readColumns are what scanDocument reads.
const readColumns = docColumns + `, ` + analysisColumns

// upsertDocument leaves a row whose content hash is unchanged alone, so its
// RowsAffected is 0 and redelivery is a no-op; its analysis stays too. A
// changed document loses its analysis, which described the old text.
// Document.Analysis is never written here: only PutAnalyses sets it.
const upsertDocument = `INSERT INTO documents (` + docColumns + `)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
	ON CONFLICT (id) DO UPDATE SET
		source = excluded.source, kind = excluded.kind, url = excluded.url,
		external_id = excluded.external_id, board = excluded.board,
		title = excluded.title, body = excluded.body, author = excluded.author,
		published = excluded.published, fetched = excluded.fetched,
		message_type = excluded.message_type, status = excluded.status,
		comments = excluded.comments, reply_unit = excluded.reply_unit,
		reply_body = excluded.reply_body, reply_published = excluded.reply_published,
		content_hash = excluded.content_hash, contact = excluded.contact,
		` + clearAnalysis + `
	WHERE documents.content_hash IS NOT excluded.content_hash`

// PutDocuments validates every document first and writes nothing if one is
// invalid. It ignores Document.Analysis: an unchanged document keeps its
// stored analysis, a changed one loses it (it described the old text) until
// PutAnalyses sets a new one. Changed lists each changed id once, in input order; a document
// repeated within the batch counts once as changed, its repeats as unchanged
// when they carry the same hash.
func (s *Store) PutDocuments(ctx context.Context, docs []minyi.Document) (minyi.PutResult, error) {
	docs, err := input.PrepareDocuments(docs)
	if err != nil || len(docs) == 0 {
		return minyi.PutResult{}, err
	}
	var res minyi.PutResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, upsertDocument)
		if err != nil {
			return err
		}
		defer stmt.Close()
		mark, err := tx.PrepareContext(ctx, markPending)
		if err != nil {
			return err
		}
		defer mark.Close()
		now := time.Now().Unix()
		changed := make(map[string]bool)
		for i := range docs {
			d := &docs[i]
			args, err := documentArgs(d)
			if err != nil {
				return err
			}
			r, err := stmt.ExecContext(ctx, args...)
			if err != nil {
				return fmt.Errorf("document %q: %w", d.ID, err)
			}
			n, err := r.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				res.Unchanged++
				continue
			}
			if _, err := mark.ExecContext(ctx, d.ID, d.ContentHash, now); err != nil {
				return fmt.Errorf("document %q: mark pending: %w", d.ID, err)
			}
			if !changed[d.ID] {
				changed[d.ID] = true
				res.Changed = append(res.Changed, d.ID)
			}
		}
		return nil
	})
	if err != nil {
		return minyi.PutResult{}, fmt.Errorf("sqlite: put documents: %w", err)
	}
	return res, nil
}

// Document returns ENOTFOUND for an unknown id.
func (s *Store) Document(ctx context.Context, id string) (*minyi.Document, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+readColumns+` FROM documents WHERE id = ?`, id)
	d, err := scanDocument(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "document %q not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("sqlite: document %q: %w", id, err)
	}
	return &d, nil
}

// Documents returns the documents that exist among ids, in ids order; an id
// given twice yields its document twice.
func (s *Store) Documents(ctx context.Context, ids []string) ([]minyi.Document, error) {
	found := make(map[string]minyi.Document, len(ids))
	for start := 0; start < len(ids); start += maxInList {
		chunk := ids[start:min(start+maxInList, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.read.QueryContext(ctx,
			`SELECT `+readColumns+` FROM documents WHERE id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: documents: %w", err)
		}
		if err := collectDocuments(rows, func(d minyi.Document) { found[d.ID] = d }); err != nil {
			return nil, fmt.Errorf("sqlite: documents: %w", err)
		}
	}
	out := make([]minyi.Document, 0, len(found))
	for _, id := range ids {
		if d, ok := found[id]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// ScanDocuments returns up to limit documents with ids after afterID, in id
// order (bytewise, as Go compares strings).
func (s *Store) ScanDocuments(ctx context.Context, afterID string, limit int) ([]minyi.Document, error) {
	if limit <= 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "scan limit must be positive, got %d", limit)
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+readColumns+` FROM documents WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: scan documents: %w", err)
	}
	out := make([]minyi.Document, 0, limit)
	if err := collectDocuments(rows, func(d minyi.Document) { out = append(out, d) }); err != nil {
		return nil, fmt.Errorf("sqlite: scan documents: %w", err)
	}
	return out, nil
}

func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count documents: %w", err)
	}
	return n, nil
}

// documentArgs returns the values of docColumns for d.
func documentArgs(d *minyi.Document) ([]any, error) {
	var comments, contact, replyUnit, replyBody sql.NullString
	var replyPublished sql.NullInt64
	if len(d.Comments) > 0 {
		b, err := json.Marshal(d.Comments)
		if err != nil {
			return nil, fmt.Errorf("document %q: encode comments: %w", d.ID, err)
		}
		comments = sql.NullString{String: string(b), Valid: true}
	}
	if d.Contact != nil {
		b, err := json.Marshal(d.Contact)
		if err != nil {
			return nil, fmt.Errorf("document %q: encode contact: %w", d.ID, err)
		}
		contact = sql.NullString{String: string(b), Valid: true}
	}
	if r := d.Reply; r != nil {
		replyUnit = sql.NullString{String: r.Unit, Valid: true}
		replyBody = sql.NullString{String: r.Body, Valid: true}
		replyPublished = unixTime(r.Published)
	}
	return []any{d.ID, d.Source, string(d.Kind), d.URL, d.ExternalID, d.Board, d.Title, d.Body, d.Author,
		d.Published.Unix(), unixTime(d.Fetched), d.MessageType, d.Status, comments,
		replyUnit, replyBody, replyPublished, d.ContentHash, contact}, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanDocument(sc scanner) (minyi.Document, error) {
	var d minyi.Document
	var published int64
	var fetched, replyPublished sql.NullInt64
	var comments, contact, replyUnit, replyBody sql.NullString
	var a analysisDest
	err := sc.Scan(append([]any{&d.ID, &d.Source, &d.Kind, &d.URL, &d.ExternalID, &d.Board, &d.Title, &d.Body, &d.Author,
		&published, &fetched, &d.MessageType, &d.Status, &comments,
		&replyUnit, &replyBody, &replyPublished, &d.ContentHash, &contact}, a.dests()...)...)
	if err != nil {
		return d, err
	}
	d.Analysis = a.analysis()
	d.Published = fromUnix(sql.NullInt64{Int64: published, Valid: true})
	d.Fetched = fromUnix(fetched)
	if comments.Valid {
		if err := json.Unmarshal([]byte(comments.String), &d.Comments); err != nil {
			return d, fmt.Errorf("document %q: decode comments: %w", d.ID, err)
		}
	}
	if contact.Valid {
		d.Contact = new(minyi.Contact)
		if err := json.Unmarshal([]byte(contact.String), d.Contact); err != nil {
			return d, fmt.Errorf("document %q: decode contact: %w", d.ID, err)
		}
	}
	if replyUnit.Valid {
		d.Reply = &minyi.OfficialReply{Unit: replyUnit.String, Body: replyBody.String, Published: fromUnix(replyPublished)}
	}
	return d, nil
}

func collectDocuments(rows *sql.Rows, add func(minyi.Document)) error {
	defer rows.Close()
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return err
		}
		add(d)
	}
	return rows.Err()
}
