package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"minyi"
	"minyi/analysis/event"
	"minyi/store/internal/input"
)

// InsideHeat is event.Heat of an event read from its row alone, were all
// its documents inside a period: nothing before it means growth =
// min(count+1, 8). upsertEvent writes it to heat_inside whenever it writes
// the counts, so that the engine ranks the events inside a period by a
// column. A year holds some hundred thousand of them, too many to rank in
// Go or to compute this for at every call.
const insideHeat = `(ln(CAST(count + 1 AS DOUBLE PRECISION)) + 0.5 * ln(CAST(1 + likes + dislikes AS DOUBLE PRECISION)))
		* sqrt(CAST(CASE WHEN count >= 7 THEN 8 ELSE count + 1 END AS DOUBLE PRECISION))
		* (1 + CAST(negative AS DOUBLE PRECISION) / count)
		* (1 + 0.25 * CASE WHEN sources >= 5 THEN 4 WHEN sources < 1 THEN 0 ELSE sources - 1 END)`

// hottestInside are the ?3 hottest events whose documents all lie in
// [?1, ?2) among the ?4 hottest events of all (events_heat): all of them
// when it finds ?3, since an event inside the period hotter than those
// would be among the ?4. A long period has that many; a short one, whose
// events are few, or one that has not, is ranked by insideEvents instead. Go computes the heat
// of the rows returned again, and the caller asks for more rows than it
// ranks, so that a rounding difference between the engine's ln and Go's
// cannot change which events win.
const hottestInside = `SELECT id, count, negative, sources, likes, dislikes FROM (
		SELECT id, first, last, count, negative, sources, likes, dislikes, heat_inside FROM events
		ORDER BY heat_inside DESC, id LIMIT ?4) AS hottest
	WHERE last >= ?1 AND last < ?2 AND first >= ?1
	ORDER BY heat_inside DESC, id LIMIT ?3`

// hottestInside reads hottestScanned times as many events as it wants, and
// is tried for periods of longPeriod or more: a shorter one rarely has as
// many among the hottest of all, and reads its few from events_last.
const (
	hottestScanned = 32
	longPeriod     = 28 * 24 * time.Hour
)

// insideEvents are the ?3 hottest events whose documents all lie in
// [?1, ?2), found by when they end (events_last, which covers them; the
// +0 keeps the engine from walking events_heat instead).
const insideEvents = `SELECT id, count, negative, sources, likes, dislikes FROM events
	WHERE last >= ?1 AND last < ?2 AND first >= ?1
	ORDER BY heat_inside + 0 DESC, id
	LIMIT ?3`

// insideMargin is how many rows insideEvents returns beyond those ranked.
const insideMargin = 8

// straddlingEvents are the events with documents in [?1, ?2) and outside
// it: ending in it having begun before, or ending after having begun
// before its end. Two ranges of events_last.
const straddlingEvents = `SELECT id FROM events WHERE last >= ?1 AND last < ?2 AND first < ?1
	UNION ALL
	SELECT id FROM events WHERE last >= ?2 AND first < ?2`

// straddlingCounts counts, for each of some events, its documents in
// [?1, ?2), in the period of equal length before it (from ?3), the period's
// negative ones (sentiment ?4), its distinct sources and its readers'
// reactions, from the index documents_event alone.
const straddlingCounts = `SELECT event,
		count(*) FILTER (WHERE published >= ?1) AS count,
		count(*) FILTER (WHERE published < ?1) AS previous,
		count(*) FILTER (WHERE published >= ?1 AND sentiment = ?4) AS negative,
		count(DISTINCT source) FILTER (WHERE published >= ?1) AS sources,
		coalesce(sum(likes) FILTER (WHERE published >= ?1), 0) AS likes,
		coalesce(sum(dislikes) FILTER (WHERE published >= ?1), 0) AS dislikes
	FROM documents
	WHERE published >= ?3 AND published < ?2 AND event %s
	GROUP BY event`

// eventMix counts the period's documents of the events ranked per
// China-time day (%[1]s, Dialect.ChinaDay, also bounded by ?3 and ?4 for
// the index), sentiment and source, in the engine: a year of a big event is
// thousands of documents but a few rows per day, and reading the documents
// into Go took most of a long period's time.
const eventMix = `SELECT event, %[1]s, coalesce(sentiment, ''), source, count(*)
	FROM documents WHERE event %[2]s AND %[1]s >= ?3 AND %[1]s <= ?4 AND published >= ?1 AND published < ?2
	GROUP BY event, %[1]s, sentiment, source`

// eventCases are the cases of the documents of the events ranked, from
// cases_event: joined through documents_event they were one probe of the
// cases per document, some 85,000 for a year's top events at 1,000,000.
const eventCases = `SELECT event, id, document_id, status, received FROM cases WHERE event %s`

// HotEvents ranks the hottest events inside the period in SQL and the rest
// in Go. An event inside the period is read from its row alone; only the
// events that straddle a bound of the period have their documents counted.
// So the work grows with the events of the period, not with its documents. Then
// the ranked events' rows, their documents of the period counted per day,
// sentiment and source, and their cases are read, all in one snapshot.
func (s *Store) HotEvents(ctx context.Context, from, to time.Time, limit int) ([]minyi.HotEvent, error) {
	if err := input.CheckTrendWindow(from, to, limit); err != nil {
		return nil, err
	}
	var out []minyi.HotEvent
	err := s.c.InSnapshot(ctx, func(tx DB) error {
		var err error
		if out, err = s.rankEvents(ctx, tx, from, to, limit); err != nil || len(out) == 0 {
			return err
		}
		return s.describeEvents(ctx, tx, out, from, to)
	})
	if err != nil {
		return nil, s.errorf("hot events: %w", err)
	}
	if out == nil {
		out = []minyi.HotEvent{}
	}
	return out, nil
}

// rank is what ranking needs of an event, small to sort.
type rank struct {
	id                        string
	heat                      float64
	count, previous, negative int
	likes, dislikes           int
}

func (s *Store) rankEvents(ctx context.Context, tx DB, from, to time.Time, limit int) ([]minyi.HotEvent, error) {
	var ranked []rank
	add := func(r rank, sources int) {
		r.heat = event.Heat(event.Period{Count: r.count, Previous: r.previous, Negative: r.negative, Sources: sources,
			Likes: r.likes, Dislikes: r.dislikes})
		ranked = append(ranked, r)
	}
	inside := func(query string, args ...any) error {
		ranked = ranked[:0]
		rows, err := tx.Query(ctx, s.sql(query), args...)
		return each(rows, err, func(r Rows) error {
			var e rank
			var sources int
			err := r.Scan(&e.id, &e.count, &e.negative, &sources, &e.likes, &e.dislikes)
			add(e, sources)
			return err
		})
	}
	want := limit + insideMargin
	var err error
	if to.Sub(from) >= longPeriod {
		err = inside(hottestInside, s.bound(from), s.bound(to), want, hottestScanned*want)
	}
	if err == nil && len(ranked) < want {
		err = inside(insideEvents, s.bound(from), s.bound(to), want)
	}
	if err != nil {
		return nil, fmt.Errorf("events inside: %w", err)
	}
	var straddling []string
	rows, err := tx.Query(ctx, s.sql(straddlingEvents), s.bound(from), s.bound(to))
	err = each(rows, err, func(r Rows) error {
		var id string
		err := r.Scan(&id)
		straddling = append(straddling, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("events straddling: %w", err)
	}
	args := []any{s.bound(from), s.bound(to), s.bound(from.Add(-to.Sub(from))), string(minyi.SentimentNegative)}
	err = s.queryAnyOfArgs(ctx, tx, straddlingCounts, args, straddling, func(r Rows) error {
		var e rank
		var sources int
		if err := r.Scan(&e.id, &e.count, &e.previous, &e.negative, &sources, &e.likes, &e.dislikes); err != nil {
			return err
		}
		if e.count > 0 { // else only before or after the period
			add(e, sources)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting events straddling: %w", err)
	}
	slices.SortFunc(ranked, func(a, b rank) int {
		if c := cmp.Compare(b.heat, a.heat); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]minyi.HotEvent, min(limit, len(ranked)))
	for i := range out {
		r := ranked[i]
		out[i] = minyi.HotEvent{Event: minyi.Event{ID: r.id}, Heat: r.heat, InPeriod: r.count, Previous: r.previous, Negative: r.negative,
			Likes: r.likes, Dislikes: r.dislikes}
	}
	return out, nil
}

// describeEvents fills in the ranked events' rows, sentiment and source
// mix, days and cases.
func (s *Store) describeEvents(ctx context.Context, tx DB, hot []minyi.HotEvent, from, to time.Time) error {
	ids := make([]string, len(hot))
	at := make(map[string]*minyi.HotEvent, len(hot))
	for i := range hot {
		ids[i] = hot[i].ID
		at[hot[i].ID] = &hot[i]
	}
	err := s.queryAnyOfIn(ctx, tx, `SELECT `+eventColumns+` FROM events WHERE id %s`, ids, func(r Rows) error {
		e, err := scanEvent(r)
		if err == nil {
			at[e.ID].Event = e
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	days := periodDays(from, to)
	type mix struct{ sentiments, sources, days map[string]int }
	mixes := make(map[string]*mix, len(hot))
	for _, id := range ids {
		mixes[id] = &mix{map[string]int{}, map[string]int{}, map[string]int{}}
	}
	query := fmt.Sprintf(eventMix, s.d.ChinaDay, "%s")
	args := []any{s.bound(from), s.bound(to), chinaDay(from), chinaDay(to)}
	err = s.queryAnyOfArgs(ctx, tx, query, args, ids, func(r Rows) error {
		var id, sentiment, source string
		var day int64
		var n int
		if err := r.Scan(&id, &day, &sentiment, &source, &n); err != nil {
			return err
		}
		m := mixes[id]
		if sentiment != "" {
			m.sentiments[sentiment] += n
		}
		m.sources[source] += n
		m.days[time.Unix(day*24*60*60, 0).UTC().Format(time.DateOnly)] += n
		return nil
	})
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	for i := range hot {
		m := mixes[hot[i].ID]
		hot[i].Sentiments, hot[i].Sources = mostFirst(m.sentiments), mostFirst(m.sources)
		hot[i].Days = make([]minyi.FacetCount, len(days))
		for k, d := range days {
			hot[i].Days[k] = minyi.FacetCount{Value: d, Count: m.days[d]}
		}
	}
	err = s.queryAnyOfIn(ctx, tx, eventCases, ids, func(r Rows) error {
		var id string
		var c minyi.EventCase
		if err := r.Scan(&id, &c.ID, &c.DocumentID, &c.Status, timeOf(&c.Received)); err != nil {
			return err
		}
		at[id].Cases = append(at[id].Cases, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cases: %w", err)
	}
	for i := range hot {
		slices.SortFunc(hot[i].Cases, func(a, b minyi.EventCase) int {
			if c := b.Received.Compare(a.Received); c != 0 {
				return c
			}
			return cmp.Compare(b.ID, a.ID)
		})
	}
	return nil
}

// chinaDay is Dialect.ChinaDay of t.
func chinaDay(t time.Time) int64 {
	_, offset := t.In(minyi.ChinaTime).Zone()
	return (t.Unix() + int64(offset)) / (24 * 60 * 60)
}

// periodDays are the China-time days [from, to) touches, in order.
func periodDays(from, to time.Time) []string {
	var out []string
	y, m, d := from.In(minyi.ChinaTime).Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime); day.Before(to); day = day.AddDate(0, 0, 1) {
		out = append(out, day.Format(time.DateOnly))
	}
	return out
}

// mostFirst lists counts most first, ties by value.
func mostFirst(counts map[string]int) []minyi.FacetCount {
	out := make([]minyi.FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, minyi.FacetCount{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b minyi.FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}

// EventCases finds the event's documents by documents_event and their
// cases by cases_document.
func (s *Store) EventCases(ctx context.Context, event string, receivedBy, closedSince time.Time, limit int) ([]minyi.EventCase, error) {
	if limit < 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "event cases: limit %d", limit)
	}
	q := `SELECT c.id, c.document_id, c.status, c.received
		FROM documents d JOIN cases c ON c.document_id = d.id
		WHERE d.event = ?1 AND c.received <= ?2 AND (c.status <> ?3 OR c.updated >= ?4)
		ORDER BY c.received DESC, c.id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.c.Read().Query(ctx, s.sql(q), event, s.d.Time(receivedBy), string(minyi.CaseClosed), s.bound(closedSince))
	out := []minyi.EventCase{}
	err = each(rows, err, func(r Rows) error {
		var c minyi.EventCase
		err := r.Scan(&c.ID, &c.DocumentID, &c.Status, timeOf(&c.Received))
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, s.errorf("event cases: %w", err)
	}
	return out, nil
}
