package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// analysisColumns follow docColumns in every read of a document.
const analysisColumns = `sentiment, sentiment_score, category, category2,
	category_confidence, topic, simhash, analysed_at, event`

// clearAnalysis is part of the upsert's update: it runs only when the
// content hash changed, and an analysis of the old text would mislead.
const clearAnalysis = `sentiment = NULL, sentiment_score = NULL, category = NULL,
	category2 = NULL, category_confidence = NULL, topic = NULL, simhash = NULL,
	analysed_at = NULL`

const updateAnalysis = `UPDATE documents SET
	sentiment = ?1, sentiment_score = ?2, category = ?3, category2 = ?4,
	category_confidence = ?5, topic = ?6, simhash = ?7, analysed_at = ?8, event = ?9
	WHERE id = ?10`

// PutAnalyses sets the analysis of existing documents in one transaction,
// in id order as PutAnalyses writes. An unknown id fails the whole batch
// with ENOTFOUND naming the first such id in input order, and nothing is
// written. A result given twice for one id leaves the later one. In the
// same transaction the documents of every absorbed event move to the event
// of the result that absorbed it, absorbed events' rows go, and the row of
// every event the batch touched is recomputed (see putEvents).
func (s *Store) PutAnalyses(ctx context.Context, results []minyi.DocumentAnalysis) error {
	if err := input.CheckAnalyses(results); err != nil || len(results) == 0 {
		return err
	}
	order := byKey(results, func(r *minyi.DocumentAnalysis) string { return r.ID })
	now := s.time(time.Now())
	args := make([][]any, len(order))
	for n, i := range order {
		r := &results[i]
		a := &r.Analysis
		args[n] = []any{string(a.Sentiment), a.SentimentScore, a.Category, a.Category2,
			a.CategoryConfidence, nullString(a.Topic), nullSimhash(a.Simhash), now, nullString(a.Event), r.ID}
	}
	err := s.c.InTx(ctx, func(tx DB) error {
		before, err := s.eventsOf(ctx, tx, results)
		if err != nil {
			return err
		}
		counts, err := tx.ExecEach(ctx, s.sql(updateAnalysis), args)
		if ee := (*ExecError)(nil); errors.As(err, &ee) {
			return fmt.Errorf("document %q: %w", results[order[ee.Index]].ID, ee.Err)
		} else if err != nil {
			return err
		}
		found := make([]bool, len(results))
		for n, i := range order {
			found[i] = counts[n] > 0
		}
		for i, ok := range found {
			if !ok {
				return minyi.Errorf(minyi.ENOTFOUND, "analysis of document %q: no such document; nothing was written", results[i].ID)
			}
		}
		ids := make([]string, len(order))
		for n, i := range order {
			ids[n] = results[i].ID
		}
		if err := s.execAnyOf(ctx, tx, casesEvent, ids); err != nil {
			return fmt.Errorf("events of cases: %w", err)
		}
		return s.putEvents(ctx, tx, results, before)
	})
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return err
	} else if err != nil {
		return s.errorf("put analyses: %w", err)
	}
	return nil
}

// Fingerprints lists documents published at or after since that have a
// simhash, oldest first (id breaks ties).
func (s *Store) Fingerprints(ctx context.Context, since time.Time) ([]minyi.Fingerprint, error) {
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT id, simhash, coalesce(topic, ''), published
		FROM documents WHERE simhash IS NOT NULL AND published >= ?1
		ORDER BY published, id`), s.bound(since))
	out := []minyi.Fingerprint{}
	err = each(rows, err, func(r Rows) error {
		var f minyi.Fingerprint
		var simhash int64
		if err := r.Scan(&f.ID, &simhash, &f.Topic, timeOf(&f.Published)); err != nil {
			return err
		}
		f.Simhash = uint64(simhash)
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, s.errorf("fingerprints: %w", err)
	}
	return out, nil
}

// topicTrends counts, for each topic with documents in [?1, ?2), its
// documents in that window, in the window of equal length before it (from
// ?3), the negative ones (sentiment ?4) of the window and all of them. The
// topic's headline is its document whose id is the topic, else its earliest
// published one.
const topicTrends = `WITH active AS (
		SELECT DISTINCT topic FROM documents
		WHERE published >= ?1 AND published < ?2 AND topic IS NOT NULL
	), counts AS (
		SELECT d.topic,
			count(*) FILTER (WHERE d.published >= ?1 AND d.published < ?2) AS count,
			count(*) FILTER (WHERE d.published >= ?3 AND d.published < ?1) AS previous,
			count(*) FILTER (WHERE d.published >= ?1 AND d.published < ?2 AND d.sentiment = ?4) AS negative,
			count(*) AS total
		FROM active JOIN documents d ON d.topic = active.topic
		GROUP BY d.topic
	)
	SELECT c.topic, c.count, c.previous, c.negative, c.total, h.title, h.published
	FROM counts c JOIN documents h ON h.id = (
		SELECT x.id FROM documents x WHERE x.topic = c.topic
		ORDER BY x.id = c.topic DESC, x.published, x.id LIMIT 1)
	ORDER BY (c.count + 1.0) / (c.previous + 1) DESC, c.count DESC, c.topic
	LIMIT ?5`

// TopicTrends ranks topics with documents published in [from, to) by
// Growth, then Count, then topic id; at most limit, in one query.
func (s *Store) TopicTrends(ctx context.Context, from, to time.Time, limit int) ([]minyi.TopicTrend, error) {
	if err := input.CheckTrendWindow(from, to, limit); err != nil {
		return nil, err
	}
	rows, err := s.c.Read().Query(ctx, s.sql(topicTrends), s.bound(from), s.bound(to),
		s.bound(from.Add(-to.Sub(from))), string(minyi.SentimentNegative), limit)
	out := []minyi.TopicTrend{}
	err = each(rows, err, func(r Rows) error {
		var t minyi.TopicTrend
		if err := r.Scan(&t.Topic, &t.Count, &t.Previous, &t.Negative, &t.Total, &t.Title, timeOf(&t.FirstSeen)); err != nil {
			return err
		}
		t.Growth = input.Growth(t.Count, t.Previous)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, s.errorf("topic trends: %w", err)
	}
	return out, nil
}

// analysisDest receives the analysisColumns of a row.
type analysisDest struct {
	sentiment, category, category2, topic sql.NullString
	score, confidence                     sql.NullFloat64
	simhash                               sql.NullInt64
	analysed                              time.Time
	event                                 sql.NullString
}

func (a *analysisDest) dests() []any {
	return []any{&a.sentiment, &a.score, &a.category, &a.category2, &a.confidence, &a.topic, &a.simhash, timeOf(&a.analysed), &a.event}
}

// analysis is nil for a document never analysed, or whose content changed
// since it was.
func (a *analysisDest) analysis() *minyi.Analysis {
	if a.analysed.IsZero() {
		return nil
	}
	return &minyi.Analysis{
		Sentiment:          minyi.Sentiment(a.sentiment.String),
		SentimentScore:     a.score.Float64,
		Category:           a.category.String,
		Category2:          a.category2.String,
		CategoryConfidence: a.confidence.Float64,
		Topic:              a.topic.String,
		Simhash:            uint64(a.simhash.Int64),
		Event:              a.event.String,
	}
}
