package core

import (
	"context"
	"slices"
	"time"

	"minyi"
	"minyi/api/httpx"
)

// Sentiments in the order a chart shows them.
var Sentiments = []minyi.Sentiment{minyi.SentimentPositive, minyi.SentimentNeutral, minyi.SentimentNegative}

// maxAnalyticsDays keeps a series within what the index's day facet holds
// in full (400 days), so no day is silently left out of a sum.
const maxAnalyticsDays = 400

// DefaultSpan is how far back a series reaches when from is not given.
var DefaultSpan = map[string]func(time.Time) time.Time{
	"day":   func(t time.Time) time.Time { return t.AddDate(0, 0, -90) },
	"week":  func(t time.Time) time.Time { return t.AddDate(0, 0, -7*52) },
	"month": func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) },
}

// SentimentSeries is the answer of GET /api/analytics/sentiment.
type SentimentSeries struct {
	Interval string                  `json:"interval"`
	From     time.Time               `json:"from"`
	To       time.Time               `json:"to"`
	Buckets  []SentimentBucket       `json:"buckets"` // ascending; empty intervals included
	Totals   map[minyi.Sentiment]int `json:"totals"`
	Total    int                     `json:"total"` // analysed documents matching
}

// SentimentBucket counts one interval, named by its first day (China
// time): the day, the Monday of the week, or YYYY-MM for a month.
type SentimentBucket struct {
	Start  string                  `json:"start"`
	Counts map[minyi.Sentiment]int `json:"counts"`
	Total  int                     `json:"total"`
}

// SentimentData counts analysed documents matching text per sentiment and
// interval in [from, to); the JSON series and the trends page share it.
func (s *Server) SentimentData(ctx context.Context, text, source, interval string, from, to time.Time) (SentimentSeries, error) {
	out := SentimentSeries{Interval: interval, From: from, To: to, Totals: map[minyi.Sentiment]int{}}
	counts := map[string]map[minyi.Sentiment]int{}
	for _, sent := range Sentiments {
		q := minyi.SearchQuery{Text: text, Source: source, From: from, To: to, Sentiment: sent, PageSize: 1}
		if err := q.Normalize(); err != nil {
			return out, err
		}
		res, err := s.Index.Search(ctx, q)
		if err != nil {
			return out, err
		}
		for _, f := range res.Facets.Days {
			day, err := time.ParseInLocation(time.DateOnly, f.Value, minyi.ChinaTime)
			if err != nil {
				return out, minyi.Errorf(minyi.EINTERNAL, "index day facet %q: %v", f.Value, err)
			}
			key := bucketStart(day, interval)
			if counts[key] == nil {
				counts[key] = map[minyi.Sentiment]int{}
			}
			counts[key][sent] += f.Count
			out.Totals[sent] += f.Count
			out.Total += f.Count
		}
	}
	for _, key := range bucketKeys(from, to, interval) {
		b := SentimentBucket{Start: key, Counts: map[minyi.Sentiment]int{}}
		for _, sent := range Sentiments {
			b.Counts[sent] = counts[key][sent]
			b.Total += b.Counts[sent]
		}
		out.Buckets = append(out.Buckets, b)
	}
	return out, nil
}

// AnalyticsRange reads from and to: to defaults to the end of today and
// from to back(to), both in China time.
func (s *Server) AnalyticsRange(p *httpx.Query, back func(time.Time) time.Time) (from, to time.Time, err error) {
	from, to = p.Time("from", false), p.Time("to", true)
	if err = p.Err(); err != nil {
		return
	}
	if to.IsZero() {
		y, m, d := s.Now().In(minyi.ChinaTime).Date()
		to = time.Date(y, m, d+1, 0, 0, 0, 0, minyi.ChinaTime)
	}
	if from.IsZero() {
		from = back(to)
	}
	switch {
	case !from.Before(to):
		err = minyi.Errorf(minyi.EINVALID, "from must be before to")
	case to.Sub(from) > maxAnalyticsDays*24*time.Hour:
		err = minyi.Errorf(minyi.EINVALID, "from and to may be at most %d days apart; narrow the range", maxAnalyticsDays)
	}
	return
}

// bucketStart names the interval a China-time day falls in.
func bucketStart(day time.Time, interval string) string {
	switch interval {
	case "week":
		// Weeks start on Monday, as a Chinese calendar prints them.
		off := (int(day.Weekday()) + 6) % 7
		return day.AddDate(0, 0, -off).Format(time.DateOnly)
	case "month":
		return day.Format("2006-01")
	}
	return day.Format(time.DateOnly)
}

// bucketKeys lists every interval from from up to to, so a chart shows
// quiet intervals as zero rather than skipping them.
func bucketKeys(from, to time.Time, interval string) []string {
	var keys []string
	y, m, d := from.In(minyi.ChinaTime).Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime); day.Before(to); day = day.AddDate(0, 0, 1) {
		if k := bucketStart(day, interval); len(keys) == 0 || keys[len(keys)-1] != k {
			keys = append(keys, k)
		}
	}
	return keys
}

// MaxTopicWindow bounds GET /api/analytics/topics: trends compare a window
// with the one before it, and topics are rebuilt over 90 days.
const MaxTopicWindow = 90 * 24 * time.Hour

// TopicTrends is the answer of GET /api/analytics/topics.
type TopicTrends struct {
	Window string             `json:"window"`
	From   time.Time          `json:"from"`
	To     time.Time          `json:"to"`
	Topics []minyi.TopicTrend `json:"topics"`
}

// TopicData ranks the topics of [from, to) against the period of equal
// length before; name is the window's name, "" for a period given by dates.
func (s *Server) TopicData(ctx context.Context, name string, from, to time.Time, limit int) (TopicTrends, error) {
	topics, err := s.Store.TopicTrends(ctx, from, to, limit)
	if err != nil {
		return TopicTrends{}, err
	}
	if topics == nil {
		topics = []minyi.TopicTrend{}
	}
	return TopicTrends{Window: name, From: from, To: to, Topics: topics}, nil
}

// CategoryCounts is the answer of GET /api/analytics/categories.
type CategoryCounts struct {
	Total         int                `json:"total"` // matching documents
	Categories    []minyi.FacetCount `json:"categories"`
	Uncategorized int                `json:"uncategorized"` // no category model, or not yet analysed
}

// CategoryData counts the documents matching q by category.
func (s *Server) CategoryData(ctx context.Context, q minyi.SearchQuery) (CategoryCounts, error) {
	q.PageSize, q.Page = 1, 1
	if err := q.Normalize(); err != nil {
		return CategoryCounts{}, err
	}
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return CategoryCounts{}, err
	}
	out := CategoryCounts{Total: int(res.Total), Categories: slices.Clone(res.Facets.Categories)}
	if out.Categories == nil {
		out.Categories = []minyi.FacetCount{}
	}
	out.Uncategorized = out.Total
	for _, f := range out.Categories {
		out.Uncategorized -= f.Count
	}
	return out, nil
}

func sentimentNames() []string {
	names := make([]string, len(Sentiments))
	for i, s := range Sentiments {
		names[i] = string(s)
	}
	return names
}
