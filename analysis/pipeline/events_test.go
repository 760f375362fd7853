package pipeline

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/store/sqlite"
)

var eventDay0 = time.Date(2024, 4, 2, 9, 0, 0, 0, minyi.ChinaTime)

// eventLetters are petitions as a city receives them, a day apart: a
// concrete plant's noise at 丽发新城 (a), an unpaved road at the same estate
// (b), the plant's noise at another estate (c), and letters about nothing
// else (x).
var eventLetters = []struct{ id, source, title, body string }{
	{"a1", "mailbox", "丽发新城附近修建搅拌站噪音灰尘污染", "丽发新城小区附近建了搅拌站，每天噪音很大，灰尘满天飞，居民无法休息。"},
	{"b1", "mailbox", "丽发新城小区云塘路还没有铺沥青", "丽发新城三期旁的云塘路至今没有铺沥青，下雨一身泥，出行困难。"},
	{"x1", "mailbox", "咨询社保断缴补缴问题", "之前公司交社保，离职后断缴了几个月，请问如何补缴。"},
	{"c1", "mailbox", "怡海星城附近搅拌站噪音扰民", "怡海星城小区旁边的搅拌站晚上也在生产，噪音扰民，灰尘很大。"},
	{"a2", "forum", "投诉丽发新城搅拌站噪音扰民", "丽发新城边上的搅拌站机器日夜轰鸣，扬尘严重，小区居民苦不堪言。"},
	{"x2", "mailbox", "建议增加公交班次", "早高峰公交车很挤，等车要半小时，建议增加班次。"},
	{"b2", "forum", "丽发新城云塘路坑坑洼洼没有铺好", "丽发新城二期和三期中间的云塘路没有铺沥青，坑坑洼洼，下雨全是泥。"},
	{"x3", "mailbox", "孩子入学划片咨询", "孩子明年上小学，想咨询学区划片和入学材料。"},
	{"a3", "mailbox", "丽发新城小区旁搅拌站粉尘噪音严重", "搅拌站离丽发新城不到百米，粉尘和噪音严重影响居民健康，请求搬迁搅拌站。"},
	{"c2", "forum", "怡海星城搅拌站扰民", "怡海星城附近搅拌站噪音和灰尘问题一直没有解决。"},
}

func eventDocs() []minyi.Document {
	var docs []minyi.Document
	for k, l := range eventLetters {
		docs = append(docs, minyi.Document{ID: l.id, Source: l.source, Kind: minyi.KindMessage, Title: l.title, Body: l.body,
			Author: "同一个人", Published: eventDay0.Add(time.Duration(k) * 24 * time.Hour)})
	}
	return docs
}

func openStore(t *testing.T) minyi.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ingest analyses stored documents as the ingest activity does: read from
// the store, analyse, store the results.
func ingest(t *testing.T, a *Analyzer, s minyi.Store, ids ...string) {
	t.Helper()
	ctx := context.Background()
	docs, err := s.Documents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutAnalyses(ctx, a.Analyze(docs)); err != nil {
		t.Fatal(err)
	}
}

func storedEvents(t *testing.T, s minyi.Store) map[string]string {
	t.Helper()
	docs, err := s.ScanDocuments(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	of := map[string]string{}
	for _, d := range docs {
		if d.Analysis == nil || d.Analysis.Event == "" {
			t.Fatalf("document %s has no event", d.ID)
		}
		of[d.ID] = d.Analysis.Event
	}
	return of
}

// TestEventsThroughTheStore ingests letters in two batches with a restart
// between them: the restarted analyzer rebuilds its events from the store,
// so the second batch joins the events of the first, and the stored events
// are those one analyzer makes of all the letters in one go. A retried
// batch changes nothing.
func TestEventsThroughTheStore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	docs := eventDocs()
	if _, err := s.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	now := func() time.Time { return eventDay0.Add(11 * 24 * time.Hour) }
	first := newAnalyzer(t, s, Options{Now: now})
	ingest(t, first, s, ids[:5]...)

	restarted := newAnalyzer(t, s, Options{Now: now})
	ingest(t, restarted, s, ids[5:]...)
	of := storedEvents(t, s)

	for _, p := range [][2]string{{"a1", "a2"}, {"a1", "a3"}, {"b1", "b2"}, {"c1", "c2"}} {
		if of[p[0]] != of[p[1]] {
			t.Errorf("%s and %s are one event, stored as %s and %s", p[0], p[1], of[p[0]], of[p[1]])
		}
	}
	for _, p := range [][2]string{{"a1", "b1"}, {"a1", "c1"}, {"x1", "x2"}, {"x2", "x3"}} {
		if of[p[0]] == of[p[1]] {
			t.Errorf("%s and %s are different events, both stored as %s", p[0], p[1], of[p[0]])
		}
	}
	e, err := s.Event(ctx, of["a1"])
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "a1" || e.Count != 3 || !e.First.Equal(docs[0].Published) || !e.Last.Equal(docs[8].Published) {
		t.Errorf("event of the plant = %+v; want a1, 3 documents from a1 to a3", e)
	}
	if !strings.HasPrefix(e.Title, "丽发新城：") || !strings.Contains(e.Title, "搅拌") || !slices.Contains(e.Sites, "丽发新城") {
		t.Errorf("event of the plant is labelled %q at %q; want the plant at 丽发新城", e.Title, e.Sites)
	}

	// One analyzer over all the letters at once makes the same events.
	fresh := newAnalyzer(t, nil, Options{})
	for _, r := range fresh.Analyze(docs) {
		if r.Analysis.Event != of[r.ID] {
			t.Errorf("%s: event %s without a restart, %s with one", r.ID, r.Analysis.Event, of[r.ID])
		}
	}

	// A retried batch keeps every document's event and every count.
	ingest(t, restarted, s, ids[5:]...)
	if again := storedEvents(t, s); !mapsEqual(again, of) {
		t.Errorf("a retry moved documents: %v, was %v", again, of)
	}
	if e2, _ := s.Event(ctx, "a1"); e2 == nil || e2.Count != 3 {
		t.Errorf("after a retry event a1 = %+v", e2)
	}

	// minyi reindex rebuilds the same events from the store, in batches
	// smaller than an event.
	n, err := RebuildEvents(ctx, s, Options{}, 3)
	if err != nil || n != len(docs) {
		t.Fatalf("RebuildEvents = %d, %v; want %d", n, err, len(docs))
	}
	if again := storedEvents(t, s); !mapsEqual(again, of) {
		t.Errorf("rebuilt events %v, were %v", again, of)
	}
	if e2, err := s.Event(ctx, "a1"); err != nil || e2.Count != 3 || !strings.HasPrefix(e2.Title, "丽发新城：") {
		t.Errorf("rebuilt event a1 = %+v, %v; was %+v", e2, err, e)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
