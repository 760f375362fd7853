package report

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"minyi"
)

// Deps are what a report is made from. Everything is read through counts,
// facets and search hits, so generation costs the same at a million
// documents as at a thousand, apart from the index's own work.
type Deps struct {
	Index minyi.Index
	// Cases gives the case figures: minyi.Store satisfies it.
	Cases CaseReader
	// Departments name the department ids of the case figures; an id
	// without one is shown as it is.
	Departments []minyi.Department
	// Events gives the hot events of the period: minyi.Store satisfies it.
	Events EventReader
}

// CaseReader is the part of the store a report reads.
type CaseReader interface {
	DepartmentStats(ctx context.Context, from, to, now time.Time) ([]minyi.DepartmentStats, error)
	Cases(ctx context.Context, f minyi.CaseFilter) ([]minyi.Case, int, error)
	Case(ctx context.Context, id string) (*minyi.Case, error)
}

// EventReader is the part of the store that knows the events.
type EventReader interface {
	HotEvents(ctx context.Context, from, to time.Time, limit int) ([]minyi.HotEvent, error)
	Event(ctx context.Context, id string) (*minyi.Event, error)
	EventCases(ctx context.Context, event string, receivedBy, closedSince time.Time, limit int) ([]minyi.EventCase, error)
}

// How much of each list a report shows before the analyst edits it.
const (
	topEvents          = 10
	minEventSize       = 2 // one document alone is no topic yet
	postsPerEvent      = 3
	negativePosts      = 10
	overdueCasesListed = 10
	chartSlices        = 8 // bars in a sources or categories chart; the rest is 其他
)

// Generate makes the report that spec asks for.
func Generate(ctx context.Context, d Deps, spec Spec) (*Report, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	if d.Index == nil || d.Cases == nil || d.Events == nil {
		return nil, minyi.Errorf(minyi.EINVALID, "a report needs the search index, the case store and the events")
	}
	now := spec.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{
		Kind: spec.Kind, Title: spec.Title, Issuer: spec.Issuer, Query: strings.TrimSpace(spec.Query), Event: spec.Event,
		From: spec.From.In(minyi.ChinaTime), To: spec.To.In(minyi.ChinaTime), Generated: now.In(minyi.ChinaTime),
		Events: []Event{}, Negative: []Post{},
	}
	if r.Title == "" {
		r.Title = r.Kind.Label()
	}
	if r.Issuer == "" {
		r.Issuer = defaultIssuer
	}
	g := &generator{deps: d, r: r}
	steps := []func(context.Context) error{g.figures, g.series, g.events, g.negative}
	switch {
	case r.Event != "":
		steps = append(steps, g.eventCases)
	case r.Kind != Special:
		steps = append(steps, g.cases)
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	r.Charts = []string{ChartVolume, ChartSources, ChartCategories}
	if r.Cases != nil && len(r.Cases.Departments) > 0 {
		r.Charts = append(r.Charts, ChartDepartments)
	}
	r.Summary = summarize(r)
	return r, nil
}

func (s Spec) check() error {
	switch {
	case !slices.Contains(Kinds, s.Kind):
		return minyi.Errorf(minyi.EINVALID, "report kind %q is none of daily, weekly, monthly, special", s.Kind)
	case s.From.IsZero() || s.To.IsZero():
		return minyi.Errorf(minyi.EINVALID, "a report needs the start and the end of its period")
	case !s.From.Before(s.To):
		return minyi.Errorf(minyi.EINVALID, "the report's period must start before it ends")
	case s.To.Sub(s.From) > MaxPeriod:
		return minyi.Errorf(minyi.EINVALID, "a report covers at most %d days", int(MaxPeriod/(24*time.Hour)))
	case s.Kind == Special && (strings.TrimSpace(s.Query) == "") == (s.Event == ""):
		return minyi.Errorf(minyi.EINVALID, "a special report is about one search or one event")
	case s.Kind != Special && (strings.TrimSpace(s.Query) != "" || s.Event != ""):
		return minyi.Errorf(minyi.EINVALID, "only a special report is about a search or an event; a %s report covers everything", s.Kind)
	}
	if s.Query != "" {
		if _, err := minyi.ParseQuery(s.Query); err != nil {
			return err
		}
	}
	return nil
}

// generator fills in one report.
type generator struct {
	deps Deps
	r    *Report
}

// query is the report's search over [from, to): all documents, or a
// special report's matches.
func (g *generator) query(from, to time.Time) minyi.SearchQuery {
	return minyi.SearchQuery{Text: g.r.Query, Event: g.r.Event, From: from, To: to, PageSize: 1}
}

func (g *generator) search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	res, err := g.deps.Index.Search(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report: searching the index: %w", err)
	}
	return res, nil
}

// figures counts the period and the one of equal length before it.
func (g *generator) figures(ctx context.Context) error {
	r, f := g.r, &g.r.Figures
	cur, err := g.search(ctx, g.query(r.From, r.To))
	if err != nil {
		return err
	}
	f.Total = int(cur.Total)
	f.Positive, f.Neutral, f.Negative = sentimentCounts(cur.Facets.Sentiments)
	f.NegativeShare = minyi.Ratio(f.Negative, f.Positive+f.Neutral+f.Negative)
	f.Sources = orEmpty(cur.Facets.Sources)
	f.Categories = orEmpty(cur.Facets.Categories)
	f.Uncategorized = f.Total
	for _, c := range f.Categories {
		f.Uncategorized -= c.Count
	}
	q := g.query(r.From, r.To)
	q.Kind = minyi.KindMessage
	msgs, err := g.search(ctx, q)
	if err != nil {
		return err
	}
	f.Messages = int(msgs.Total)
	f.Posts = f.Total - f.Messages

	prev, err := g.search(ctx, g.query(r.From.Add(-r.To.Sub(r.From)), r.From))
	if err != nil {
		return err
	}
	f.Previous = int(prev.Total)
	if f.Previous > 0 {
		change := float64(f.Total-f.Previous) / float64(f.Previous)
		f.Change = &change
	}
	pp, pn, pneg := sentimentCounts(prev.Facets.Sentiments)
	f.PreviousNegative = pneg
	f.PreviousNegativeShare = minyi.Ratio(pneg, pp+pn+pneg)
	return nil
}

// series counts each hour or day with one search of its own, whose facets
// give the sentiments: the index does the counting, nothing is loaded.
func (g *generator) series(ctx context.Context) error {
	r := g.r
	bs := buckets(r.From, r.To)
	for i := range bs {
		lo, hi := bucketBounds(bs, i, r.From, r.To)
		res, err := g.search(ctx, g.query(lo, hi))
		if err != nil {
			return err
		}
		bs[i].Total = int(res.Total)
		bs[i].Positive, bs[i].Neutral, bs[i].Negative = sentimentCounts(res.Facets.Sentiments)
	}
	r.Figures.Series = bs
	return nil
}

// events are the hottest events of the period (or the one a special
// report is about), each with its own counts and its newest documents. A
// special report's search has the largest topic groups of its matches
// instead: the events do not know a search. A document no other repeats
// is no event: a quiet period has fewer events rather than single posts.
func (g *generator) events(ctx context.Context) error {
	r := g.r
	switch {
	case r.Event != "":
		ev, err := g.deps.Events.Event(ctx, r.Event)
		if err != nil {
			return err
		}
		e := Event{ID: ev.ID, Title: ev.Title}
		if err := g.members(ctx, &e); err != nil {
			return err
		}
		if e.Size > 0 {
			r.Events = append(r.Events, e)
		}
		return nil
	case r.Query == "":
		hot, err := g.deps.Events.HotEvents(ctx, r.From, r.To, topEvents)
		if err != nil {
			return fmt.Errorf("report: hot events: %w", err)
		}
		for _, h := range hot {
			if h.InPeriod < minEventSize {
				continue
			}
			e := Event{ID: h.ID, Title: h.Title}
			if err := g.members(ctx, &e); err != nil {
				return err
			}
			if e.Size > 0 {
				r.Events = append(r.Events, e)
			}
		}
		return nil
	}
	return g.topics(ctx)
}

// topics are the largest topic groups of a special report's matches.
func (g *generator) topics(ctx context.Context) error {
	r := g.r
	q := g.query(r.From, r.To)
	q.GroupByTopic, q.TopicsBySize, q.PageSize = true, true, topEvents
	res, err := g.search(ctx, q)
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		if h.TopicSize < minEventSize {
			break // by size: the rest are smaller
		}
		e := Event{Topic: h.Topic, Title: h.Title, Size: max(h.TopicSize, 1), First: h.Published, Last: h.Published,
			Sources: []string{h.Source}, Posts: []Post{postOf(h)}}
		if h.Sentiment == minyi.SentimentNegative {
			e.Negative = 1
		}
		if h.Topic != "" {
			if err := g.members(ctx, &e); err != nil {
				return err
			}
		}
		r.Events = append(r.Events, e)
	}
	return nil
}

// members fills in an event or a topic group from its matches in the
// period: size, negative count, sources, first and last, newest posts.
func (g *generator) members(ctx context.Context, e *Event) error {
	q := g.query(g.r.From, g.r.To)
	q.PageSize = postsPerEvent
	if e.ID != "" {
		q.Event = e.ID
	} else {
		q.Topic = e.Topic
	}
	res, err := g.search(ctx, q)
	if err != nil {
		return err
	}
	if len(res.Hits) == 0 {
		return nil // deleted since the grouped search
	}
	if e.ID != "" {
		e.Size = int(res.Total)
	}
	_, _, e.Negative = sentimentCounts(res.Facets.Sentiments)
	e.Sources = []string{}
	for _, s := range res.Facets.Sources {
		e.Sources = append(e.Sources, s.Value)
	}
	e.Last = res.Hits[0].Published
	first := res.Hits[len(res.Hits)-1]
	if n := int(res.Total); n > len(res.Hits) && n <= minyi.MaxSearchWindow {
		// The oldest match is the last of the newest-first order.
		q.Page, q.PageSize = n, 1
		oldest, err := g.search(ctx, q)
		if err != nil {
			return err
		}
		if len(oldest.Hits) == 1 {
			first = oldest.Hits[0]
		}
	}
	e.First = first.Published
	// A topic's first post names it better than a repost (转：…); an
	// event has its own label.
	if strings.TrimSpace(first.Title) != "" && (e.ID == "" || strings.TrimSpace(e.Title) == "") {
		e.Title = first.Title
	}
	e.Posts = e.Posts[:0]
	for _, h := range res.Hits {
		e.Posts = append(e.Posts, postOf(h))
	}
	return nil
}

// negative lists the largest negative topics not already among the
// events, each by its best match.
func (g *generator) negative(ctx context.Context) error {
	r := g.r
	seen := map[string]bool{}
	for _, e := range r.Events {
		for _, p := range e.Posts {
			seen[p.ID] = true
		}
		if e.Topic != "" {
			seen[e.Topic] = true
		}
	}
	q := g.query(r.From, r.To)
	q.Sentiment, q.GroupByTopic, q.TopicsBySize, q.PageSize = minyi.SentimentNegative, true, true, negativePosts+len(r.Events)
	res, err := g.search(ctx, q)
	if err != nil {
		return err
	}
	for _, h := range res.Hits {
		if len(r.Negative) == negativePosts {
			break
		}
		if seen[h.Topic] || seen[h.ID] {
			continue
		}
		p := postOf(h)
		p.Reposts = max(h.TopicSize, 1)
		r.Negative = append(r.Negative, p)
	}
	return nil
}

// postOf is a hit as a report cites it. A post's excerpt is the search's
// first match in its body, as plain text; a message gets none, because
// petitioners write their names and numbers into their letters.
func postOf(h minyi.SearchHit) Post {
	p := Post{ID: h.ID, Title: h.Title, Source: h.Source, Kind: h.Kind, URL: h.URL, Published: h.Published.In(minyi.ChinaTime),
		Sentiment: h.Sentiment, Category: h.Category}
	if frags := h.Highlights["body"]; len(frags) > 0 && h.Kind == minyi.KindPost {
		p.Excerpt = plainText(frags[0])
	}
	if strings.TrimSpace(p.Title) == "" {
		p.Title = untitled
	}
	return p
}

// plainText undoes a highlight fragment's markup: <mark> around matches,
// the rest HTML-escaped.
func plainText(fragment string) string {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(fragment)
	return strings.TrimSpace(html.UnescapeString(s))
}

// sentimentCounts reads a sentiment facet.
func sentimentCounts(fs []minyi.FacetCount) (positive, neutral, negative int) {
	for _, f := range fs {
		switch minyi.Sentiment(f.Value) {
		case minyi.SentimentPositive:
			positive = f.Count
		case minyi.SentimentNeutral:
			neutral = f.Count
		case minyi.SentimentNegative:
			negative = f.Count
		}
	}
	return
}

func orEmpty(fs []minyi.FacetCount) []minyi.FacetCount {
	if fs == nil {
		return []minyi.FacetCount{}
	}
	return slices.Clone(fs)
}
