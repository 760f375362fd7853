package rest

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"minyi/api/apitest"
	"minyi/api/core"

	"minyi"
)

// analysedDocs: nine documents over two weeks and two months (China time),
// each with the analysis the ingest step would have stored.
func analysedDocs() []minyi.Document {
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, minyi.ChinaTime)
		if err != nil {
			panic(err)
		}
		return t
	}
	mk := func(id, when, title string, s minyi.Sentiment, cat, topic string) minyi.Document {
		return minyi.Document{ID: id, Source: "city-forum", Kind: minyi.KindPost, Title: title, Body: title + "，请有关部门处理。",
			Published: at(when), Analysis: &minyi.Analysis{Sentiment: s, Category: cat, Topic: topic, Simhash: 1}}
	}
	neg, neu, pos := minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive
	return []minyi.Document{
		mk("a1", "2026-10-31 23:30", "工地噪音扰民", neg, "环境保护", "a1"),    // Saturday, October
		mk("a2", "2026-11-01 00:10", "转帖：工地噪音扰民", neg, "环境保护", "a1"), // Sunday, November, same week
		mk("a3", "2026-11-02 08:00", "噪音还是没人管", neg, "环境保护", "a3"),   // Monday: next week
		mk("a4", "2026-11-02 09:00", "公交线路调整建议", neu, "交通运输", "a4"),
		mk("a5", "2026-11-20 10:00", "感谢环卫工人", pos, "", "a5"),
		mk("a6", "2026-11-23 08:00", "电梯又坏了", neg, "城乡建设", "a6"),
		mk("a7", "2026-11-23 09:00", "转帖：电梯又坏了", neg, "城乡建设", "a6"),
		mk("a8", "2026-11-23 09:30", "【转】电梯又坏了", neg, "城乡建设", "a6"),
		mk("a9", "2026-11-22 12:00", "小区停车难", neu, "城乡建设", "a9"),
	}
}

func seedAnalysed(t *testing.T, ts *apitest.Env) {
	t.Helper()
	docs := analysedDocs()
	ts.Seed(docs...)
	var res []minyi.DocumentAnalysis
	for _, d := range docs {
		res = append(res, minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis})
	}
	if err := ts.Store.PutAnalyses(context.Background(), res); err != nil {
		t.Fatal(err)
	}
}

func TestSentimentSeriesByDayWeekMonth(t *testing.T) {
	ts := apitest.NewServer(t)
	seedAnalysed(t, ts)
	get := func(params string) core.SentimentSeries {
		t.Helper()
		return apitest.Decode[core.SentimentSeries](t, ts.Get("/api/analytics/sentiment?"+params), http.StatusOK)
	}
	buckets := func(s core.SentimentSeries) map[string]map[minyi.Sentiment]int {
		out := map[string]map[minyi.Sentiment]int{}
		sum := 0
		for _, b := range s.Buckets {
			if b.Total > 0 {
				out[b.Start] = b.Counts
			}
			sum += b.Total
		}
		if sum != s.Total {
			t.Errorf("buckets sum to %d, total %d", sum, s.Total)
		}
		return out
	}
	neg, neu, pos := minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive

	day := get("from=2026-10-01&to=2026-11-30")
	if day.Total != 9 || day.Totals[neg] != 6 || day.Totals[neu] != 2 || day.Totals[pos] != 1 {
		t.Errorf("totals %d %v", day.Total, day.Totals)
	}
	if len(day.Buckets) != 61 || day.Buckets[0].Start != "2026-10-01" || day.Buckets[60].Start != "2026-11-30" {
		t.Errorf("%d day buckets from %s: want every day of October and November", len(day.Buckets), day.Buckets[0].Start)
	}
	if got := buckets(day)["2026-11-23"]; got[neg] != 3 || got[neu] != 0 {
		t.Errorf("2026-11-23: %v", got)
	}

	week := buckets(get("interval=week&from=2026-10-01&to=2026-11-30"))
	// 10-31 (Sat) and 11-01 (Sun) are the week of Monday 10-26 in China time.
	if w := week["2026-10-26"]; w[neg] != 2 {
		t.Errorf("week of 10-26: %v", w)
	}
	if w := week["2026-11-02"]; w[neg] != 1 || w[neu] != 1 {
		t.Errorf("week of 11-02: %v", w)
	}
	if w := week["2026-11-23"]; w[neg] != 3 {
		t.Errorf("week of 11-23: %v (%v)", w, week)
	}

	month := buckets(get("interval=month&from=2026-10-01&to=2026-11-30"))
	if month["2026-10"][neg] != 1 || month["2026-11"][neg] != 5 || month["2026-11"][pos] != 1 {
		t.Errorf("months %v", month)
	}

	// query text and source filter like /api/search
	if s := get("q=电梯&from=2026-11-01&to=2026-11-30"); s.Total != 3 || s.Totals[neg] != 3 {
		t.Errorf("q=电梯: %d %v", s.Total, s.Totals)
	}
	if s := get("source=mayor-mailbox&from=2026-11-01&to=2026-11-30"); s.Total != 0 {
		t.Errorf("other source: %d", s.Total)
	}
	// default range: the 90 days up to the end of today (testNow is 2026-11-23)
	if s := get(""); s.Total != 9 || s.Buckets[len(s.Buckets)-1].Start != "2026-11-23" {
		t.Errorf("default range: total %d, last bucket %s", s.Total, s.Buckets[len(s.Buckets)-1].Start)
	}
}

func TestSentimentSeriesRejectsBadParameters(t *testing.T) {
	ts := apitest.NewServer(t)
	for _, p := range []string{"interval=hour", "from=yesterday", "from=2026-11-05&to=2026-11-01", "from=2024-01-01&to=2026-01-01"} {
		apitest.WantError(t, ts.Get("/api/analytics/sentiment?"+p), http.StatusBadRequest, minyi.EINVALID)
	}
}

func TestTopicTrends(t *testing.T) {
	ts := apitest.NewServer(t)
	seedAnalysed(t, ts)
	res := apitest.Decode[core.TopicTrends](t, ts.Get("/api/analytics/topics?window=24h"), http.StatusOK)
	if len(res.Topics) == 0 {
		t.Fatal("no topics in the last 24 hours")
	}
	top := res.Topics[0]
	if top.Topic != "a6" || top.Count != 3 || top.Negative != 3 || top.Title != "电梯又坏了" {
		t.Errorf("top topic %+v, want a6 with 3 negative", top)
	}
	for _, tp := range res.Topics {
		if tp.Topic == "a1" {
			t.Errorf("topic a1 has nothing in the last 24 hours: %+v", tp)
		}
	}
	for _, p := range []string{"window=0s", "window=1y", "window=120d", "limit=0x"} {
		apitest.WantError(t, ts.Get("/api/analytics/topics?"+p), http.StatusBadRequest, minyi.EINVALID)
	}
}

func TestCategoryCounts(t *testing.T) {
	ts := apitest.NewServer(t)
	seedAnalysed(t, ts)
	res := apitest.Decode[core.CategoryCounts](t, ts.Get("/api/analytics/categories"), http.StatusOK)
	got := map[string]int{}
	for _, f := range res.Categories {
		got[f.Value] = f.Count
	}
	if res.Total != 9 || res.Uncategorized != 1 || got["城乡建设"] != 4 || got["环境保护"] != 3 || got["交通运输"] != 1 {
		t.Errorf("categories %+v", res)
	}
	res = apitest.Decode[core.CategoryCounts](t, ts.Get("/api/analytics/categories?q=噪音&to=2026-11-01"), http.StatusOK)
	if res.Total != 2 || fmt.Sprint(res.Categories) != "[{环境保护 2}]" {
		t.Errorf("q=噪音 up to 11-01: %+v", res)
	}
}

func TestSearchAnalysisFilters(t *testing.T) {
	ts := apitest.NewServer(t)
	seedAnalysed(t, ts)
	res := apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?sentiment=负面&category=城乡建设"), http.StatusOK)
	if res.Total != 3 {
		t.Errorf("negative 城乡建设: %d hits", res.Total)
	}
	res = apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?q=电梯&group_by_topic=true"), http.StatusOK)
	if len(res.Hits) != 1 || res.Hits[0].Topic != "a6" || res.Hits[0].TopicSize != 3 {
		t.Errorf("grouped: %+v", res.Hits)
	}
	if res := apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?topic=a1"), http.StatusOK); res.Total != 2 {
		t.Errorf("topic a1: %d", res.Total)
	}
	for _, p := range []string{"sentiment=angry", "group_by_topic=maybe"} {
		apitest.WantError(t, ts.Get("/api/search?"+p), http.StatusBadRequest, minyi.EINVALID)
	}
}
