package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

const docColumns = `id, source, kind, url, external_id, board, title, body, author,
	published, fetched, message_type, status, comments,
	reply_unit, reply_body, reply_published, content_hash, contact, likes, dislikes`

// readColumns are what scanDocument reads.
const readColumns = docColumns + `, ` + analysisColumns

// upsertDocument leaves a row whose content hash is unchanged alone, so it
// affects no row and redelivery is a no-op; its analysis stays too. A
// changed document loses its analysis, which described the old text.
// Document.Analysis is never written here: only PutAnalyses sets it.
const upsertDocument = `INSERT INTO documents (` + docColumns + `)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
	ON CONFLICT (id) DO UPDATE SET
		source = excluded.source, kind = excluded.kind, url = excluded.url,
		external_id = excluded.external_id, board = excluded.board,
		title = excluded.title, body = excluded.body, author = excluded.author,
		published = excluded.published, fetched = excluded.fetched,
		message_type = excluded.message_type, status = excluded.status,
		comments = excluded.comments, reply_unit = excluded.reply_unit,
		reply_body = excluded.reply_body, reply_published = excluded.reply_published,
		content_hash = excluded.content_hash, contact = excluded.contact,
		likes = excluded.likes, dislikes = excluded.dislikes,
		` + clearAnalysis + `
	WHERE documents.content_hash IS DISTINCT FROM excluded.content_hash`

// PutDocuments validates every document first and writes nothing if one is
// invalid. It ignores Document.Analysis: an unchanged document keeps its
// stored analysis, a changed one loses it (it described the old text) until
// PutAnalyses sets a new one. Rows are written in id order (see byKey), and
// every changed one is marked pending in the same transaction. Changed lists
// each changed id once, in input order; a document repeated within the batch
// counts once as changed, its repeats as unchanged when they carry the same
// hash.
func (s *Store) PutDocuments(ctx context.Context, docs []minyi.Document) (minyi.PutResult, error) {
	docs, err := input.PrepareDocuments(docs)
	if err != nil || len(docs) == 0 {
		return minyi.PutResult{}, err
	}
	order := byKey(docs, func(d *minyi.Document) string { return d.ID })
	args := make([][]any, len(order))
	for n, i := range order {
		if args[n], err = s.documentArgs(&docs[i]); err != nil {
			return minyi.PutResult{}, err
		}
	}
	affected := make([]bool, len(docs))
	err = s.c.InTx(ctx, func(tx DB) error {
		counts, err := tx.ExecEach(ctx, s.sql(upsertDocument), args)
		if ee := (*ExecError)(nil); errors.As(err, &ee) {
			return fmt.Errorf("document %q: %w", docs[order[ee.Index]].ID, ee.Err)
		} else if err != nil {
			return err
		}
		var pending [][]any
		now := s.time(time.Now())
		for n, i := range order {
			if affected[i] = counts[n] > 0; affected[i] {
				pending = append(pending, []any{docs[i].ID, docs[i].ContentHash, now})
			}
		}
		if _, err := tx.ExecEach(ctx, s.sql(markPending), pending); err != nil {
			return fmt.Errorf("mark pending: %w", err)
		}
		return nil
	})
	if err != nil {
		return minyi.PutResult{}, s.errorf("put documents: %w", err)
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
	d, err := scanDocument(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+readColumns+` FROM documents WHERE id = ?1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "document %q not found", id)
	} else if err != nil {
		return nil, s.errorf("document %q: %w", id, err)
	}
	return &d, nil
}

// Documents returns the documents that exist among ids, in ids order; an id
// given twice yields its document twice.
func (s *Store) Documents(ctx context.Context, ids []string) ([]minyi.Document, error) {
	found := make(map[string]minyi.Document, len(ids))
	err := s.queryAnyOf(ctx, `SELECT `+readColumns+` FROM documents WHERE id %s`, ids, func(r Rows) error {
		d, err := scanDocument(r)
		found[d.ID] = d
		return err
	})
	if err != nil {
		return nil, s.errorf("documents: %w", err)
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
// order (bytewise, as Go compares strings; see the schemas).
func (s *Store) ScanDocuments(ctx context.Context, afterID string, limit int) ([]minyi.Document, error) {
	if limit <= 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "scan limit must be positive, got %d", limit)
	}
	out, err := s.listDocuments(ctx, limit, `SELECT `+readColumns+` FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2`, afterID, limit)
	if err != nil {
		return nil, s.errorf("scan documents: %w", err)
	}
	return out, nil
}

// listDocuments reads the documents a query of readColumns returns, at
// most limit.
func (s *Store) listDocuments(ctx context.Context, limit int, query string, args ...any) ([]minyi.Document, error) {
	rows, err := s.c.Read().Query(ctx, s.sql(query), args...)
	out := make([]minyi.Document, 0, min(limit, 1000))
	err = each(rows, err, func(r Rows) error {
		d, err := scanDocument(r)
		out = append(out, d)
		return err
	})
	return out, err
}

func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.c.Read().QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, s.errorf("count documents: %w", err)
	}
	return n, nil
}

// DocumentSources walks documents_source_published from one source to the
// next (a loose index scan): one index probe per source, where
// SELECT DISTINCT or GROUP BY would read every document's entry.
func (s *Store) DocumentSources(ctx context.Context) ([]string, error) {
	rows, err := s.c.Read().Query(ctx, `WITH RECURSIVE sources (source) AS (
			SELECT min(source) FROM documents
			UNION ALL
			SELECT (SELECT min(d.source) FROM documents d WHERE d.source > sources.source)
			FROM sources WHERE sources.source IS NOT NULL)
		SELECT source FROM sources WHERE source IS NOT NULL`)
	out := []string{}
	err = each(rows, err, func(r Rows) error {
		var src string
		err := r.Scan(&src)
		out = append(out, src)
		return err
	})
	if err != nil {
		return nil, s.errorf("document sources: %w", err)
	}
	slices.Sort(out) // bytewise, whatever the collation walked
	return out, nil
}

// documentArgs returns the values of docColumns for d; nil is NULL.
func (s *Store) documentArgs(d *minyi.Document) ([]any, error) {
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
		replyUnit, replyBody, replyPublished = r.Unit, r.Body, s.time(r.Published)
	}
	return []any{d.ID, d.Source, string(d.Kind), d.URL, d.ExternalID, d.Board, d.Title, d.Body, d.Author,
		s.time(d.Published), s.time(d.Fetched), d.MessageType, d.Status, comments,
		replyUnit, replyBody, replyPublished, d.ContentHash, contact, d.Likes, d.Dislikes}, nil
}

func scanDocument(row Row) (minyi.Document, error) {
	var d minyi.Document
	var replyUnit, replyBody sql.NullString
	var replyPublished time.Time
	var comments, contact []byte
	var a analysisDest
	err := row.Scan(append([]any{&d.ID, &d.Source, &d.Kind, &d.URL, &d.ExternalID, &d.Board, &d.Title, &d.Body, &d.Author,
		timeOf(&d.Published), timeOf(&d.Fetched), &d.MessageType, &d.Status, &comments,
		&replyUnit, &replyBody, timeOf(&replyPublished), &d.ContentHash, &contact, &d.Likes, &d.Dislikes}, a.dests()...)...)
	if err != nil {
		return d, err
	}
	d.Analysis = a.analysis()
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
	if replyUnit.Valid {
		d.Reply = &minyi.OfficialReply{Unit: replyUnit.String, Body: replyBody.String, Published: replyPublished}
	}
	return d, nil
}
