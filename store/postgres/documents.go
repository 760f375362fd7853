package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
	"minyi/store/internal/input"
)

const docColumns = `id, source, kind, url, external_id, board, title, body, author,
	published, fetched, message_type, status, comments,
	reply_unit, reply_body, reply_published, content_hash, contact`

// readColumns are what scanDocument reads.
const readColumns = docColumns + `, ` + analysisColumns

// upsertDocument leaves a row whose content hash is unchanged alone, so it
// affects no row and redelivery is a no-op; its analysis stays too. A
// changed document loses its analysis, which described the old text.
// Document.Analysis is never written here: only PutAnalyses sets it.
const upsertDocument = `INSERT INTO documents (` + docColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
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
	WHERE documents.content_hash IS DISTINCT FROM excluded.content_hash`

// PutDocuments validates every document first and writes nothing if one is
// invalid. It ignores Document.Analysis: an unchanged document keeps its
// stored analysis, a changed one loses it (it described the old text) until
// PutAnalyses sets a new one. The upserts are pipelined in batches within one transaction.
// Changed lists each changed id once, in input order; a document repeated
// within the batch counts once as changed, its repeats as unchanged when they
// carry the same hash.
func (s *Store) PutDocuments(ctx context.Context, docs []minyi.Document) (minyi.PutResult, error) {
	docs, err := input.PrepareDocuments(docs)
	if err != nil || len(docs) == 0 {
		return minyi.PutResult{}, err
	}
	// Rows are locked in id order, so concurrent batches that share
	// documents wait for each other instead of deadlocking.
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return docs[order[a]].ID < docs[order[b]].ID })

	affected := make([]bool, len(docs))
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for start := 0; start < len(order); start += maxBatch {
			chunk := order[start:min(start+maxBatch, len(order))]
			batch := &pgx.Batch{}
			for _, i := range chunk {
				args, err := documentArgs(&docs[i])
				if err != nil {
					return err
				}
				batch.Queue(upsertDocument, args...)
			}
			br := tx.SendBatch(ctx, batch)
			for _, i := range chunk {
				tag, err := br.Exec()
				if err != nil {
					br.Close()
					return fmt.Errorf("document %q: %w", docs[i].ID, err)
				}
				affected[i] = tag.RowsAffected() > 0
			}
			if err := br.Close(); err != nil {
				return err
			}
		}
		return markChanged(ctx, tx, docs, affected)
	})
	if err != nil {
		return minyi.PutResult{}, fmt.Errorf("postgres: put documents: %w", err)
	}
	var res minyi.PutResult
	changed := make(map[string]bool)
	for i, d := range docs {
		switch {
		case !affected[i]:
			res.Unchanged++
		case !changed[d.ID]:
			changed[d.ID] = true
			res.Changed = append(res.Changed, d.ID)
		}
	}
	return res, nil
}

// Document returns ENOTFOUND for an unknown id.
func (s *Store) Document(ctx context.Context, id string) (*minyi.Document, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+readColumns+` FROM documents WHERE id = $1`, id)
	d, err := scanDocument(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "document %q not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("postgres: document %q: %w", id, err)
	}
	return &d, nil
}

// Documents returns the documents that exist among ids, in ids order; an id
// given twice yields its document twice. The ids travel as one array
// parameter, so their number is not bounded by the protocol's 65535
// parameters.
func (s *Store) Documents(ctx context.Context, ids []string) ([]minyi.Document, error) {
	if ids == nil {
		ids = []string{} // nil would be NULL, and = ANY(NULL) an error-prone NULL
	}
	rows, err := s.pool.Query(ctx, `SELECT `+readColumns+` FROM documents WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: documents: %w", err)
	}
	found := make(map[string]minyi.Document, len(ids))
	if err := collectDocuments(rows, func(d minyi.Document) { found[d.ID] = d }); err != nil {
		return nil, fmt.Errorf("postgres: documents: %w", err)
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
// order (bytewise, as Go compares strings: the column is COLLATE "C").
func (s *Store) ScanDocuments(ctx context.Context, afterID string, limit int) ([]minyi.Document, error) {
	if limit <= 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "scan limit must be positive, got %d", limit)
	}
	rows, err := s.pool.Query(ctx,
		`SELECT `+readColumns+` FROM documents WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: scan documents: %w", err)
	}
	out := make([]minyi.Document, 0, min(limit, 1000))
	if err := collectDocuments(rows, func(d minyi.Document) { out = append(out, d) }); err != nil {
		return nil, fmt.Errorf("postgres: scan documents: %w", err)
	}
	return out, nil
}

func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count documents: %w", err)
	}
	return n, nil
}

// documentArgs returns the values of docColumns for d; nil is NULL.
func documentArgs(d *minyi.Document) ([]any, error) {
	var comments, contact, replyUnit, replyBody, replyPublished any
	if len(d.Comments) > 0 {
		b, err := json.Marshal(d.Comments)
		if err != nil {
			return nil, fmt.Errorf("document %q: encode comments: %w", d.ID, err)
		}
		comments = string(b)
	}
	if d.Contact != nil {
		b, err := json.Marshal(d.Contact)
		if err != nil {
			return nil, fmt.Errorf("document %q: encode contact: %w", d.ID, err)
		}
		contact = string(b)
	}
	if r := d.Reply; r != nil {
		replyUnit, replyBody, replyPublished = r.Unit, r.Body, dbTime(r.Published)
	}
	return []any{d.ID, d.Source, string(d.Kind), d.URL, d.ExternalID, d.Board, d.Title, d.Body, d.Author,
		dbTime(d.Published), dbTime(d.Fetched), d.MessageType, d.Status, comments,
		replyUnit, replyBody, replyPublished, d.ContentHash, contact}, nil
}

func scanDocument(row pgx.Row) (minyi.Document, error) {
	var d minyi.Document
	var published time.Time
	var fetched, replyPublished *time.Time
	var replyUnit, replyBody *string
	var comments, contact []byte
	var a analysisDest
	err := row.Scan(append([]any{&d.ID, &d.Source, &d.Kind, &d.URL, &d.ExternalID, &d.Board, &d.Title, &d.Body, &d.Author,
		&published, &fetched, &d.MessageType, &d.Status, &comments,
		&replyUnit, &replyBody, &replyPublished, &d.ContentHash, &contact}, a.dests()...)...)
	if err != nil {
		return d, err
	}
	d.Analysis = a.analysis()
	d.Published = published.UTC()
	d.Fetched = fromDB(fetched)
	if comments != nil {
		if err := json.Unmarshal(comments, &d.Comments); err != nil {
			return d, fmt.Errorf("document %q: decode comments: %w", d.ID, err)
		}
	}
	if contact != nil {
		d.Contact = new(minyi.Contact)
		if err := json.Unmarshal(contact, d.Contact); err != nil {
			return d, fmt.Errorf("document %q: decode contact: %w", d.ID, err)
		}
	}
	if replyUnit != nil {
		d.Reply = &minyi.OfficialReply{Unit: *replyUnit, Published: fromDB(replyPublished)}
		if replyBody != nil {
			d.Reply.Body = *replyBody
		}
	}
	return d, nil
}

func collectDocuments(rows pgx.Rows, add func(minyi.Document)) error {
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
