package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

// analysisColumns follow docColumns in every read of a document.
const analysisColumns = `sentiment, sentiment_score, category, category2,
	category_confidence, topic, simhash, analysed_at`

// clearAnalysis is part of the upsert's update: it runs only when the
// content hash changed, and an analysis of the old text would mislead.
const clearAnalysis = `sentiment = NULL, sentiment_score = NULL, category = NULL,
	category2 = NULL, category_confidence = NULL, topic = NULL, simhash = NULL,
	analysed_at = NULL`

// PutAnalyses sets the analysis of existing documents in one transaction.
// An unknown id fails the whole batch with ENOTFOUND naming the first such
// id in input order, and nothing is written. A result given twice for one id
// leaves the later one.
func (s *Store) PutAnalyses(ctx context.Context, results []minyi.DocumentAnalysis) error {
	if err := input.CheckAnalyses(results); err != nil || len(results) == 0 {
		return err
	}
	now := time.Now().Unix()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE documents SET
			sentiment = ?, sentiment_score = ?, category = ?, category2 = ?,
			category_confidence = ?, topic = ?, simhash = ?, analysed_at = ?
			WHERE id = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range results {
			a := &r.Analysis
			res, err := stmt.ExecContext(ctx, string(a.Sentiment), a.SentimentScore, a.Category, a.Category2,
				a.CategoryConfidence, nullString(a.Topic), nullSimhash(a.Simhash), now, r.ID)
			if err != nil {
				return fmt.Errorf("document %q: %w", r.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return minyi.Errorf(minyi.ENOTFOUND, "analysis of document %q: no such document; nothing was written", r.ID)
			}
		}
		return nil
	})
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return err
	} else if err != nil {
		return fmt.Errorf("sqlite: put analyses: %w", err)
	}
	return nil
}

// Fingerprints lists documents published at or after since that have a
// simhash, oldest first (id breaks ties).
func (s *Store) Fingerprints(ctx context.Context, since time.Time) ([]minyi.Fingerprint, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, simhash, coalesce(topic, ''), published
		FROM documents WHERE simhash IS NOT NULL AND published >= ?
		ORDER BY published, id`, bound(since))
	if err != nil {
		return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
	}
	out := []minyi.Fingerprint{}
	err = eachRow(rows, func() error {
		var f minyi.Fingerprint
		var simhash, published int64
		if err := rows.Scan(&f.ID, &simhash, &f.Topic, &published); err != nil {
			return err
		}
		f.Simhash = uint64(simhash)
		f.Published = time.Unix(published, 0).UTC()
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
	}
	return out, nil
}

// topicTrends counts, for each topic with documents in [from, to), its
// documents in that window, in the window of equal length before it, the
// negative ones of the window and all of them. The topic's headline is its
// document whose id is the topic, else its earliest published one.
const topicTrends = `WITH active AS (
		SELECT DISTINCT topic FROM documents
		WHERE published >= :from AND published < :to AND topic IS NOT NULL
	), counts AS (
		SELECT d.topic,
			sum(d.published >= :from AND d.published < :to) AS count,
			sum(d.published >= :prev AND d.published < :from) AS previous,
			sum(d.published >= :from AND d.published < :to AND d.sentiment IS :negative) AS negative,
			count(*) AS total
		FROM active JOIN documents d ON d.topic = active.topic
		GROUP BY d.topic
	)
	SELECT c.topic, c.count, c.previous, c.negative, c.total, h.title, h.published
	FROM counts c JOIN documents h ON h.id = (
		SELECT x.id FROM documents x WHERE x.topic = c.topic
		ORDER BY x.id = c.topic DESC, x.published, x.id LIMIT 1)
	ORDER BY (c.count + 1.0) / (c.previous + 1) DESC, c.count DESC, c.topic
	LIMIT :limit`

// TopicTrends ranks topics with documents published in [from, to) by
// Growth, then Count, then topic id; at most limit, in one query.
func (s *Store) TopicTrends(ctx context.Context, from, to time.Time, limit int) ([]minyi.TopicTrend, error) {
	if err := input.CheckTrendWindow(from, to, limit); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, topicTrends,
		sql.Named("from", bound(from)), sql.Named("to", bound(to)),
		sql.Named("prev", bound(from.Add(-to.Sub(from)))),
		sql.Named("negative", string(minyi.SentimentNegative)), sql.Named("limit", limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: topic trends: %w", err)
	}
	out := []minyi.TopicTrend{}
	err = eachRow(rows, func() error {
		var t minyi.TopicTrend
		var first int64
		if err := rows.Scan(&t.Topic, &t.Count, &t.Previous, &t.Negative, &t.Total, &t.Title, &first); err != nil {
			return err
		}
		t.FirstSeen = time.Unix(first, 0).UTC()
		t.Growth = input.Growth(t.Count, t.Previous)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: topic trends: %w", err)
	}
	return out, nil
}

// analysisDest receives the analysisColumns of a row.
type analysisDest struct {
	sentiment, category, category2, topic sql.NullString
	score, confidence                     sql.NullFloat64
	simhash, analysed                     sql.NullInt64
}

func (a *analysisDest) dests() []any {
	return []any{&a.sentiment, &a.score, &a.category, &a.category2, &a.confidence, &a.topic, &a.simhash, &a.analysed}
}

// analysis is nil for a document never analysed, or whose content changed
// since it was.
func (a *analysisDest) analysis() *minyi.Analysis {
	if !a.analysed.Valid {
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
	}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullSimhash bit-casts the fingerprint to the signed column type; zero is
// "no fingerprint".
func nullSimhash(h uint64) sql.NullInt64 { return sql.NullInt64{Int64: int64(h), Valid: h != 0} }
