package postgres

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

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

const updateAnalysis = `UPDATE documents SET
	sentiment = $1, sentiment_score = $2, category = $3, category2 = $4,
	category_confidence = $5, topic = $6, simhash = $7, analysed_at = $8
	WHERE id = $9`

// PutAnalyses sets the analysis of existing documents in one transaction.
// An unknown id fails the whole batch with ENOTFOUND naming the first such
// id in input order, and nothing is written. A result given twice for one id
// leaves the later one.
func (s *Store) PutAnalyses(ctx context.Context, results []minyi.DocumentAnalysis) error {
	if err := input.CheckAnalyses(results); err != nil || len(results) == 0 {
		return err
	}
	// Rows are locked in id order, as in PutDocuments, so concurrent batches
	// wait for each other instead of deadlocking; the stable sort keeps
	// repeats of an id in input order, so the later result wins.
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return results[order[a]].ID < results[order[b]].ID })
	now := dbTime(time.Now())
	found := make([]bool, len(results))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for start := 0; start < len(order); start += maxBatch {
			chunk := order[start:min(start+maxBatch, len(order))]
			batch := &pgx.Batch{}
			for _, i := range chunk {
				r := &results[i]
				a := &r.Analysis
				batch.Queue(updateAnalysis, string(a.Sentiment), a.SentimentScore, a.Category, a.Category2,
					a.CategoryConfidence, nullString(a.Topic), nullSimhash(a.Simhash), now, r.ID)
			}
			br := tx.SendBatch(ctx, batch)
			for _, i := range chunk {
				tag, err := br.Exec()
				if err != nil {
					br.Close()
					return fmt.Errorf("document %q: %w", results[i].ID, err)
				}
				found[i] = tag.RowsAffected() > 0
			}
			if err := br.Close(); err != nil {
				return err
			}
		}
		for i, ok := range found {
			if !ok {
				return minyi.Errorf(minyi.ENOTFOUND, "analysis of document %q: no such document; nothing was written", results[i].ID)
			}
		}
		return nil
	})
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return err
	} else if err != nil {
		return fmt.Errorf("postgres: put analyses: %w", err)
	}
	return nil
}

// Fingerprints lists documents published at or after since that have a
// simhash, oldest first (id breaks ties).
func (s *Store) Fingerprints(ctx context.Context, since time.Time) ([]minyi.Fingerprint, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, simhash, coalesce(topic, ''), published
		FROM documents WHERE simhash IS NOT NULL AND published >= $1
		ORDER BY published, id`, input.CeilSecond(since))
	out := []minyi.Fingerprint{}
	var f minyi.Fingerprint
	var simhash int64
	_, err := pgx.ForEachRow(rows, []any{&f.ID, &simhash, &f.Topic, &f.Published}, func() error {
		fp := f
		fp.Simhash = uint64(simhash)
		fp.Published = f.Published.UTC()
		out = append(out, fp)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: fingerprints: %w", err)
	}
	return out, nil
}

// topicTrends counts, for each topic with documents in [from, to), its
// documents in that window ($2 = to), in the window of equal length before
// it ($3), the negative ones of the window and all of them. The topic's
// headline is its document whose id is the topic, else its earliest
// published one.
const topicTrends = `WITH active AS (
		SELECT DISTINCT topic FROM documents
		WHERE published >= $1 AND published < $2 AND topic IS NOT NULL
	), counts AS (
		SELECT d.topic,
			count(*) FILTER (WHERE d.published >= $1 AND d.published < $2) AS count,
			count(*) FILTER (WHERE d.published >= $3 AND d.published < $1) AS previous,
			count(*) FILTER (WHERE d.published >= $1 AND d.published < $2 AND d.sentiment = $4) AS negative,
			count(*) AS total
		FROM active JOIN documents d ON d.topic = active.topic
		GROUP BY d.topic
	)
	SELECT c.topic, c.count, c.previous, c.negative, c.total, h.title, h.published
	FROM counts c JOIN documents h ON h.id = (
		SELECT x.id FROM documents x WHERE x.topic = c.topic
		ORDER BY x.id = c.topic DESC, x.published, x.id LIMIT 1)
	ORDER BY (c.count + 1.0) / (c.previous + 1) DESC, c.count DESC, c.topic
	LIMIT $5`

// TopicTrends ranks topics with documents published in [from, to) by
// Growth, then Count, then topic id; at most limit, in one query.
func (s *Store) TopicTrends(ctx context.Context, from, to time.Time, limit int) ([]minyi.TopicTrend, error) {
	if err := input.CheckTrendWindow(from, to, limit); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, topicTrends, input.CeilSecond(from), input.CeilSecond(to),
		input.CeilSecond(from.Add(-to.Sub(from))), string(minyi.SentimentNegative), limit)
	out := []minyi.TopicTrend{}
	var t minyi.TopicTrend
	_, err := pgx.ForEachRow(rows, []any{&t.Topic, &t.Count, &t.Previous, &t.Negative, &t.Total, &t.Title, &t.FirstSeen},
		func() error {
			tr := t
			tr.FirstSeen = t.FirstSeen.UTC()
			tr.Growth = input.Growth(t.Count, t.Previous)
			out = append(out, tr)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: topic trends: %w", err)
	}
	return out, nil
}

// analysisDest receives the analysisColumns of a row.
type analysisDest struct {
	sentiment, category, category2, topic *string
	score, confidence                     *float64
	simhash                               *int64
	analysed                              *time.Time
}

func (a *analysisDest) dests() []any {
	return []any{&a.sentiment, &a.score, &a.category, &a.category2, &a.confidence, &a.topic, &a.simhash, &a.analysed}
}

// analysis is nil for a document never analysed, or whose content changed
// since it was.
func (a *analysisDest) analysis() *minyi.Analysis {
	if a.analysed == nil {
		return nil
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	out := &minyi.Analysis{
		Sentiment: minyi.Sentiment(str(a.sentiment)),
		Category:  str(a.category), Category2: str(a.category2), Topic: str(a.topic),
	}
	if a.score != nil {
		out.SentimentScore = *a.score
	}
	if a.confidence != nil {
		out.CategoryConfidence = *a.confidence
	}
	if a.simhash != nil {
		out.Simhash = uint64(*a.simhash)
	}
	return out
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullSimhash bit-casts the fingerprint to the signed column type; zero is
// "no fingerprint".
func nullSimhash(h uint64) any {
	if h == 0 {
		return nil
	}
	return int64(h)
}
