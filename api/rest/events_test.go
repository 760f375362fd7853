package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
)

// An event of five letters and posts at one estate this week, against one
// post last week, outranks a quiet one; its page lists the case its letter
// opened. Departments do not read analytics.
func TestHotEventsAndAnEvent(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	ctx := context.Background()
	day := 24 * time.Hour
	week := time.Date(2026, 11, 16, 0, 0, 0, 0, minyi.ChinaTime)
	e.Put(minyi.Case{ID: "case-yard", DocumentID: "yard-letter", Department: "housing", Title: "阳光小区工地夜间施工",
		Received: week.Add(2*day + 9*time.Hour), Due: week.Add(9 * day)}, &minyi.Contact{Phone: "13800000001"})
	var docs []minyi.Document
	var analyses []minyi.DocumentAnalysis
	add := func(id, event string, at time.Time, s minyi.Sentiment, source string) {
		if id != "yard-letter" {
			docs = append(docs, minyi.Document{ID: id, Source: source, Kind: minyi.KindPost, Title: "阳光小区工地夜间施工",
				Body: "吵得睡不着", Published: at, Fetched: at})
		}
		analyses = append(analyses, minyi.DocumentAnalysis{ID: id, Analysis: minyi.Analysis{Sentiment: s, Event: event, Simhash: 1},
			Label: &minyi.EventLabel{Title: map[string]string{"yard": "阳光小区夜间施工扰民", "bus": "公交线路调整"}[event],
				Sites: map[string][]string{"yard": {"阳光小区"}}[event], Crowds: map[string][]string{"yard": {"业主"}}[event]}})
	}
	add("yard-old", "yard", week.Add(-3*day), minyi.SentimentNegative, "city-forum")
	add("yard-letter", "yard", week.Add(2*day+9*time.Hour), minyi.SentimentNegative, "mayor-mailbox")
	for i := range 4 {
		add(fmt.Sprintf("yard-%d", i), "yard", week.Add(time.Duration(i+1)*day), minyi.SentimentNegative, "city-forum")
	}
	add("bus-1", "bus", week.Add(3*day), minyi.SentimentNeutral, "city-forum")
	if _, err := e.Store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.PutAnalyses(ctx, analyses); err != nil {
		t.Fatal(err)
	}

	rec := e.Do("GET", "/api/analytics/events?from=2026-11-16&to=2026-11-22&limit=5", apitest.TokAnalyst, "")
	hot := apitest.Decode[core.HotEvents](t, rec, http.StatusOK)
	if len(hot.Events) != 2 || hot.Events[0].ID != "yard" || hot.Events[1].ID != "bus" {
		t.Fatalf("hot events %+v, want yard before bus", hot.Events)
	}
	yard := hot.Events[0]
	if yard.InPeriod != 5 || yard.Previous != 1 || yard.Negative != 5 || yard.Count != 6 || yard.Title != "阳光小区夜间施工扰民" ||
		len(yard.Sites) != 1 || len(yard.Days) != 7 || len(yard.Sources) != 2 || len(yard.Cases) != 1 || yard.Cases[0].ID != "case-yard" {
		t.Errorf("yard %+v", yard)
	}
	if !hot.From.Equal(week) || !hot.To.Equal(week.Add(7*day)) {
		t.Errorf("period %s – %s, want the week of 11-16 (to is the end of 11-22)", hot.From, hot.To)
	}

	event := apitest.Decode[core.EventDetail](t, e.Do("GET", "/api/events/yard", apitest.TokSupervisor, ""), http.StatusOK)
	if event.Count != 6 || len(event.Cases) != 1 || event.Cases[0].Status != minyi.CaseOpen || event.Crowds[0] != "业主" {
		t.Errorf("event %+v", event)
	}
	apitest.WantError(t, e.Do("GET", "/api/events/nope", apitest.TokAnalyst, ""), http.StatusNotFound, minyi.ENOTFOUND)
	apitest.WantError(t, e.Do("GET", "/api/events/yard", apitest.TokHousing, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	apitest.WantError(t, e.Do("GET", "/api/analytics/events", apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	for _, bad := range []string{"limit=101", "limit=-1", "from=2026-11-22&to=2026-11-16", "from=2020-01-01&to=2026-11-16"} {
		apitest.WantError(t, e.Do("GET", "/api/analytics/events?"+bad, apitest.TokAnalyst, ""), http.StatusBadRequest, minyi.EINVALID)
	}

	// Topics for a period given by dates.
	topics := apitest.Decode[core.TopicTrends](t, e.Do("GET", "/api/analytics/topics?from=2026-11-16&to=2026-11-22", apitest.TokAnalyst, ""), http.StatusOK)
	if !topics.From.Equal(week) || topics.Window != "" {
		t.Errorf("topics over dates: %s %q", topics.From, topics.Window)
	}
	apitest.WantError(t, e.Do("GET", "/api/analytics/topics?window=7d&from=2026-11-16", apitest.TokAnalyst, ""), http.StatusBadRequest, minyi.EINVALID)
}
