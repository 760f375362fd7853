package activities

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
)

// A letter whose event has an open case, or one closed within the repeat
// window, is a repeat complaint of it: through the real analysis (events)
// and a real store, letter by letter and within one batch.
func TestOpenCasesLinksRepeatComplaints(t *testing.T) {
	f := analysingFixture(t)
	st := f.store
	day0 := time.Date(2026, 3, 2, 9, 0, 0, 0, minyi.ChinaTime)
	day := func(d int) time.Time { return day0.Add(time.Duration(d) * 24 * time.Hour) }
	letter := func(id string, d int, title, body string) string {
		doc := minyi.Document{ID: id, Source: "mailbox", Kind: minyi.KindMessage, Title: title, Body: body,
			Published: day(d), Fetched: day(d), MessageType: "投诉"}
		doc.ContentHash = doc.Hash()
		if _, err := st.PutDocuments(t.Context(), []minyi.Document{doc}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	// ingest analyses and opens cases as the ingest workflow does, and
	// returns the cases opened, by document.
	ingest := func(ids ...string) map[string]*minyi.Case {
		t.Helper()
		if err := f.run(t, nil, f.acts.AnalyzeDocuments, ids); err != nil {
			t.Fatal(err)
		}
		var starts []CaseStart
		if err := f.run(t, &starts, f.acts.OpenCases, ids); err != nil {
			t.Fatal(err)
		}
		out := map[string]*minyi.Case{}
		for _, s := range starts {
			c, err := st.Case(t.Context(), minyi.CaseIDFor(s.DocumentID))
			if err != nil {
				t.Fatal(err)
			}
			if s.Opened == nil || !slices.Equal(s.Opened.Case.RepeatOf, c.RepeatOf) {
				t.Errorf("%s: the workflow starts with %+v, the store has repeat_of %q", s.DocumentID, s.Opened, c.RepeatOf)
			}
			out[s.DocumentID] = c
		}
		return out
	}
	closeCase := func(c *minyi.Case, d int) {
		t.Helper()
		c.Status, c.Updated = minyi.CaseClosed, day(d)
		if err := st.PutCase(t.Context(), *c); err != nil {
			t.Fatal(err)
		}
	}
	wantRepeats := func(c *minyi.Case, want ...string) {
		t.Helper()
		if !slices.Equal(c.RepeatOf, want) {
			t.Errorf("case %s repeats %q, want %q", c.ID, c.RepeatOf, want)
		}
	}

	first := ingest(letter("a1", 0, "丽发新城附近修建搅拌站噪音灰尘污染", "丽发新城小区附近建了搅拌站，每天噪音很大，灰尘满天飞，居民无法休息。"))["a1"]
	wantRepeats(first)
	closeCase(first, 10)

	second := ingest(letter("a2", 40, "投诉丽发新城搅拌站噪音扰民", "丽发新城边上的搅拌站机器日夜轰鸣，扬尘严重，小区居民苦不堪言。"))["a2"]
	wantRepeats(second, first.ID) // closed 30 days before: within 90
	closeCase(second, 45)

	other := ingest(letter("x1", 50, "咨询社保断缴补缴问题", "之前公司交社保，离职后断缴了几个月，请问如何补缴。"))["x1"]
	wantRepeats(other)

	// 95 days after the first case closed, 60 after the second.
	third := ingest(letter("a3", 105, "丽发新城小区旁搅拌站粉尘噪音严重", "搅拌站离丽发新城不到百米，粉尘和噪音严重影响居民健康，请求搬迁搅拌站。"))["a3"]
	wantRepeats(third, second.ID)

	// Two letters of a new event in one batch: the later repeats the earlier.
	batch := ingest(letter("c1", 106, "怡海星城附近搅拌站噪音扰民", "怡海星城小区旁边的搅拌站晚上也在生产，噪音扰民，灰尘很大。"),
		letter("c2", 107, "怡海星城搅拌站扰民", "怡海星城附近搅拌站噪音和灰尘问题一直没有解决。"))
	wantRepeats(batch["c1"])
	wantRepeats(batch["c2"], batch["c1"].ID)

	// With a window of 20 days, the second case (closed 60 days before the
	// third letter) is no longer repeated.
	f.acts.Repeats = 20 * 24 * time.Hour
	o, err := f.acts.OpenCase(t.Context(), "a3")
	if err != nil {
		t.Fatal(err)
	}
	wantRepeats(&o.Case)
}

// analysingFixture analyses documents with the real pipeline (events).
func analysingFixture(t *testing.T) *fixture {
	f := newFixture(t)
	an, err := pipeline.New(t.Context(), f.store, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.acts.Analyzer = an
	return f
}

// absorbing is an analyzer whose every document joins event into, absorbing
// the events listed.
type absorbing struct {
	into     string
	absorbed []string
}

func (a absorbing) Analyze(docs []minyi.Document) []minyi.DocumentAnalysis {
	out := make([]minyi.DocumentAnalysis, len(docs))
	for i, d := range docs {
		out[i] = minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{Sentiment: minyi.SentimentNeutral, Event: a.into}, Absorbed: a.absorbed}
	}
	return out
}

// When a document shows two events to be one, the absorbed event's
// documents move to the survivor in the store and in the index.
func TestAnalyzeDocumentsRetagsAbsorbedEvents(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, minyi.ChinaTime)
	var docs []minyi.Document
	for i, id := range []string{"d1", "d2", "d3", "d4"} {
		d := minyi.Document{ID: id, Source: "mailbox", Kind: minyi.KindPost, Title: "搅拌站噪音" + id, Body: "夜里噪音很大。",
			Published: at.Add(time.Duration(i) * time.Hour)}
		d.ContentHash = d.Hash()
		docs = append(docs, d)
	}
	if _, err := f.store.PutDocuments(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	f.acts.Analyzer = absorbing{into: "d1"}
	f.must(t, nil, f.acts.AnalyzeDocuments, []string{"d1", "d2"})
	f.acts.Analyzer = absorbing{into: "d3"}
	f.must(t, nil, f.acts.AnalyzeDocuments, []string{"d3"})
	f.must(t, nil, f.acts.IndexVersions, []string{"d1", "d2", "d3"})

	f.acts.Analyzer = absorbing{into: "d1", absorbed: []string{"d3"}}
	f.must(t, nil, f.acts.AnalyzeDocuments, []string{"d4"})
	if d, err := f.store.Document(t.Context(), "d3"); err != nil || d.Analysis.Event != "d1" {
		t.Fatalf("d3 after its event was absorbed: %+v, %v", d.Analysis, err)
	}
	for ev, want := range map[string]uint64{"d3": 0, "d1": 3} {
		res, err := f.index.Search(t.Context(), minyi.SearchQuery{Event: ev})
		if err != nil || res.Total != want {
			t.Errorf("index: event %s has %d documents, %v; want %d", ev, res.Total, err, want)
		}
	}
}

// A letter written again after its event's case was closed with a
// dissatisfied rating is a 重办: it goes to the department that answered
// before, whatever the rules say, with its own deadline. After a satisfied
// rating it is a plain repeat, routed as usual.
func TestLetterAfterDissatisfiedCloseIsRedo(t *testing.T) {
	f := analysingFixture(t)
	st := f.store
	day0 := time.Date(2026, 3, 2, 9, 0, 0, 0, minyi.ChinaTime)
	day := func(d int) time.Time { return day0.Add(time.Duration(d) * 24 * time.Hour) }
	open := func(id string, d int, title, body string) *minyi.Case {
		t.Helper()
		doc := minyi.Document{ID: id, Source: "mailbox", Kind: minyi.KindMessage, Title: title, Body: body,
			Published: day(d), Fetched: day(d), MessageType: "投诉"}
		doc.ContentHash = doc.Hash()
		if _, err := st.PutDocuments(t.Context(), []minyi.Document{doc}); err != nil {
			t.Fatal(err)
		}
		f.must(t, nil, f.acts.AnalyzeDocuments, []string{id})
		var starts []CaseStart
		f.must(t, &starts, f.acts.OpenCases, []string{id})
		if len(starts) != 1 || starts[0].Opened == nil {
			t.Fatalf("%s: starts %+v", id, starts)
		}
		c, err := st.Case(t.Context(), minyi.CaseIDFor(id))
		if err != nil {
			t.Fatal(err)
		}
		if c.Redo != starts[0].Opened.Case.Redo || c.Department != starts[0].Opened.Case.Department {
			t.Errorf("%s: the workflow starts with %+v, the store has %+v", id, starts[0].Opened.Case, c)
		}
		return c
	}
	closeRated := func(c *minyi.Case, d int, r minyi.Rating) {
		t.Helper()
		c.Status, c.Updated, c.Rating, c.Department = minyi.CaseClosed, day(d), r, "answered-before"
		if err := st.PutCase(t.Context(), *c); err != nil {
			t.Fatal(err)
		}
	}

	first := open("a1", 0, "丽发新城附近修建搅拌站噪音灰尘污染", "丽发新城小区附近建了搅拌站，每天噪音很大，灰尘满天飞，居民无法休息。")
	closeRated(first, 10, minyi.RatingSatisfied)
	plain := open("a2", 20, "投诉丽发新城搅拌站噪音扰民", "丽发新城边上的搅拌站机器日夜轰鸣，扬尘严重，小区居民苦不堪言。")
	if plain.Redo || plain.Department == "answered-before" || !slices.Equal(plain.RepeatOf, []string{first.ID}) {
		t.Fatalf("after a satisfied rating: %+v; want a plain repeat of %s, routed by the rules", plain, first.ID)
	}
	closeRated(plain, 30, minyi.RatingDissatisfied)

	redo := open("a3", 40, "丽发新城小区旁搅拌站粉尘噪音严重", "搅拌站离丽发新城不到百米，粉尘和噪音严重影响居民健康，请求搬迁搅拌站。")
	if !redo.Redo || redo.Department != "answered-before" || redo.Status != minyi.CaseOpen ||
		redo.Routing == nil || redo.Routing.Rule != RedoRule || !strings.Contains(redo.Routing.Reason, plain.ID) {
		t.Fatalf("after a dissatisfied rating: %+v routing %+v; want 重办 at answered-before naming %s", redo, redo.Routing, plain.ID)
	}
	if !redo.Due.After(day(40)) {
		t.Errorf("重办 due %v: want its own deadline after the letter", redo.Due)
	}
}

// A letter about an event written to many times links only the newest
// minyi.MaxRepeatOf earlier cases, newest first: its cost and its record
// do not grow with every letter before it.
func TestRepeatLinksAreBounded(t *testing.T) {
	f := analysingFixture(t)
	day0 := time.Date(2026, 3, 2, 9, 0, 0, 0, minyi.ChinaTime)
	complaints := []string{"噪音很大，晚上无法休息", "灰尘满天飞，窗户不敢开", "日夜轰鸣，老人孩子睡不着", "扬尘严重，请尽快处理"}
	var cases []string
	n := minyi.MaxRepeatOf + 3
	for i := range n + 1 {
		id := fmt.Sprintf("m%02d", i)
		doc := minyi.Document{ID: id, Source: "mailbox", Kind: minyi.KindMessage, MessageType: "投诉",
			Title:     fmt.Sprintf("丽发新城搅拌站扰民（第%d次反映）", i+1),
			Body:      fmt.Sprintf("丽发新城小区旁的搅拌站%s，这是第%d次反映。", complaints[i%len(complaints)], i+1),
			Published: day0.Add(time.Duration(i) * time.Hour), Fetched: day0.Add(time.Duration(i) * time.Hour)}
		doc.ContentHash = doc.Hash()
		if _, err := f.store.PutDocuments(t.Context(), []minyi.Document{doc}); err != nil {
			t.Fatal(err)
		}
		f.must(t, nil, f.acts.AnalyzeDocuments, []string{id})
		var starts []CaseStart
		f.must(t, &starts, f.acts.OpenCases, []string{id})
		if len(starts) != 1 || starts[0].Opened == nil {
			t.Fatalf("%s opened %+v", id, starts)
		}
		c := starts[0].Opened.Case
		if i < n {
			cases = append(cases, c.ID)
			continue
		}
		want := slices.Clone(cases[len(cases)-minyi.MaxRepeatOf:])
		slices.Reverse(want)
		if !slices.Equal(c.RepeatOf, want) {
			t.Errorf("the %dth letter repeats %d cases %q, want the %d newest %q", n+1, len(c.RepeatOf), c.RepeatOf, minyi.MaxRepeatOf, want)
		}
	}
}
