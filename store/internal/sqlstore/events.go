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
)

// eventsOf returns the events the documents of results are in before the
// batch writes, so that an event a document leaves is recomputed too.
func (s *Store) eventsOf(ctx context.Context, tx DB, results []minyi.DocumentAnalysis) ([]string, error) {
	ids := make([]string, len(results))
	for i, r := range results {
		ids[i] = r.ID
	}
	var out []string
	err := s.queryAnyOfIn(ctx, tx, `SELECT event FROM documents WHERE event IS NOT NULL AND id %s`, ids, func(r Rows) error {
		var e string
		if err := r.Scan(&e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// moveEvent moves the documents of an absorbed event to its survivor, and
// moveCases their cases.
const (
	moveEvent = `UPDATE documents SET event = ?1 WHERE event = ?2`
	moveCases = `UPDATE cases SET event = ?1 WHERE event = ?2`
)

// casesEvent gives the cases of some documents their documents' events:
// cases.event copies documents.event so that hot events read an event's
// cases from cases_event, not by probing the cases of each of its
// documents. One statement for a batch, as a statement per document
// doubled PutAnalyses on SQLite; a case whose event stays is not written,
// so that the kept statistics stay valid (cases_revision_update).
const casesEvent = `UPDATE cases SET event = (SELECT event FROM documents WHERE documents.id = cases.document_id)
	WHERE document_id %s AND event IS DISTINCT FROM (SELECT event FROM documents WHERE documents.id = cases.document_id)`

const deleteEvent = `DELETE FROM events WHERE id = ?1`

// upsertEvent recomputes an event's span, counts, readers' reactions and
// heat_inside (insideHeat) from its documents and keeps the label given
// (?2..?5), or the stored one where they are NULL.
// An event without documents gets no row (HAVING).
var upsertEvent = `INSERT INTO events (id, title, sites, regions, crowds, first, last, count, negative, sources, likes, dislikes, heat_inside)
	SELECT ?1, coalesce(?2, ''), coalesce(?3, '[]'), coalesce(?4, '[]'), coalesce(?5, '[]'),
		first, last, count, negative, sources, likes, dislikes, ` + insideHeat + `
	FROM (SELECT min(published) AS first, max(published) AS last, count(*) AS count,
			count(*) FILTER (WHERE sentiment = ?6) AS negative, count(DISTINCT source) AS sources,
			coalesce(sum(likes), 0) AS likes, coalesce(sum(dislikes), 0) AS dislikes
		FROM documents WHERE event = ?1
		HAVING count(*) > 0) AS counted
	WHERE true -- SQLite would read ON CONFLICT as a join's ON without it
	ON CONFLICT (id) DO UPDATE SET
		title = coalesce(?2, events.title), sites = coalesce(?3, events.sites),
		regions = coalesce(?4, events.regions), crowds = coalesce(?5, events.crowds),
		first = excluded.first, last = excluded.last, count = excluded.count,
		negative = excluded.negative, sources = excluded.sources,
		likes = excluded.likes, dislikes = excluded.dislikes, heat_inside = excluded.heat_inside`

// deleteEmptyEvent removes the row of an event its last document left.
const deleteEmptyEvent = `DELETE FROM events WHERE id = ?1
	AND NOT EXISTS (SELECT 1 FROM documents WHERE event = ?1)`

// putEvents is the event part of PutAnalyses, in its transaction: every
// absorbed event's documents move to the event of the result that absorbed
// it and its row goes; then every event touched (joined, left, absorbing)
// has its row recomputed, in id order, with the last label the batch gave it.
func (s *Store) putEvents(ctx context.Context, tx DB, results []minyi.DocumentAnalysis, before []string) error {
	touched := map[string]bool{}
	for _, e := range before {
		touched[e] = true
	}
	labels := map[string]*minyi.EventLabel{}
	var moves, gone [][]any
	for _, r := range results {
		if e := r.Analysis.Event; e != "" {
			touched[e] = true
			if r.Label != nil {
				labels[e] = r.Label
			}
		}
		for _, x := range r.Absorbed {
			moves = append(moves, []any{r.Analysis.Event, x})
			gone = append(gone, []any{x})
		}
	}
	if _, err := tx.ExecEach(ctx, s.sql(moveEvent), moves); err != nil {
		return fmt.Errorf("move absorbed events: %w", err)
	}
	if _, err := tx.ExecEach(ctx, s.sql(moveCases), moves); err != nil {
		return fmt.Errorf("move absorbed events' cases: %w", err)
	}
	if _, err := tx.ExecEach(ctx, s.sql(deleteEvent), gone); err != nil {
		return fmt.Errorf("delete absorbed events: %w", err)
	}
	for _, g := range gone {
		delete(touched, g[0].(string))
	}
	ids := make([]string, 0, len(touched))
	for e := range touched {
		ids = append(ids, e)
	}
	slices.Sort(ids)
	upserts := make([][]any, len(ids))
	empties := make([][]any, len(ids))
	for i, e := range ids {
		args := []any{e, nil, nil, nil, nil, string(minyi.SentimentNegative)}
		if l := labels[e]; l != nil {
			args[1] = l.Title
			for k, names := range [][]string{l.Sites, l.Regions, l.Crowds} {
				if names == nil {
					names = []string{}
				}
				b, err := json.Marshal(names)
				if err != nil {
					return err
				}
				args[2+k] = string(b)
			}
		}
		upserts[i], empties[i] = args, []any{e}
	}
	if _, err := tx.ExecEach(ctx, s.sql(deleteEmptyEvent), empties); err != nil {
		return fmt.Errorf("delete empty events: %w", err)
	}
	if _, err := tx.ExecEach(ctx, s.sql(upsertEvent), upserts); err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	return nil
}

const eventColumns = `id, title, sites, regions, crowds, first, last, count`

func scanEvent(r Row) (minyi.Event, error) {
	var e minyi.Event
	var sites, regions, crowds string
	if err := r.Scan(&e.ID, &e.Title, &sites, &regions, &crowds, timeOf(&e.First), timeOf(&e.Last), &e.Count); err != nil {
		return e, err
	}
	for _, f := range []struct {
		text string
		into *[]string
	}{{sites, &e.Sites}, {regions, &e.Regions}, {crowds, &e.Crowds}} {
		if err := json.Unmarshal([]byte(f.text), f.into); err != nil {
			return e, fmt.Errorf("event %q: %w", e.ID, err)
		}
		if len(*f.into) == 0 {
			*f.into = nil
		}
	}
	return e, nil
}

// Event returns ENOTFOUND for an unknown or absorbed event.
func (s *Store) Event(ctx context.Context, id string) (*minyi.Event, error) {
	e, err := scanEvent(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+eventColumns+` FROM events WHERE id = ?1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "event %q not found", id)
	} else if err != nil {
		return nil, s.errorf("event %q: %w", id, err)
	}
	return &e, nil
}

// ScanPublished pages by (published, id) after the key given.
func (s *Store) ScanPublished(ctx context.Context, since time.Time, after minyi.PublishedKey, limit int) ([]minyi.Document, error) {
	if limit <= 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "scan limit must be positive, got %d", limit)
	}
	out, err := s.listDocuments(ctx, limit, `SELECT `+readColumns+` FROM documents
		WHERE published >= ?1 AND (published > ?2 OR (published = ?2 AND id > ?3 `+s.d.BytewiseCollation+`))
		ORDER BY published, id `+s.d.BytewiseCollation+` LIMIT ?4`, s.bound(since), s.d.Time(after.Published), after.ID, limit)
	if err != nil {
		return nil, s.errorf("scan published: %w", err)
	}
	return out, nil
}

// EventDocumentIDs lists the documents of any of events in id order.
func (s *Store) EventDocumentIDs(ctx context.Context, events []string) ([]string, error) {
	var out []string
	err := s.queryAnyOf(ctx, `SELECT id FROM documents WHERE event %s`, events, func(r Rows) error {
		var id string
		if err := r.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	if err != nil {
		return nil, s.errorf("event documents: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

// ClearEvents empties events and every document's event in one transaction.
func (s *Store) ClearEvents(ctx context.Context) error {
	err := s.c.InTx(ctx, func(tx DB) error {
		if _, err := tx.Exec(ctx, `UPDATE documents SET event = NULL WHERE event IS NOT NULL`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET event = NULL WHERE event IS NOT NULL`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM events`)
		return err
	})
	if err != nil {
		return s.errorf("clear events: %w", err)
	}
	return nil
}
