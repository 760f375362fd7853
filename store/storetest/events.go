package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"minyi"
)

func storedEvent(t *testing.T, s minyi.Store, id string) *minyi.Event {
	t.Helper()
	e, err := s.Event(context.Background(), id)
	if err != nil {
		t.Fatalf("Event(%q): %v", id, err)
	}
	return e
}

func inEvent(id, ev string) minyi.DocumentAnalysis {
	return minyi.DocumentAnalysis{ID: id, Analysis: minyi.Analysis{Sentiment: minyi.SentimentNegative, Event: ev}}
}

func eventDocs(t *testing.T, s minyi.Store, events ...string) []string {
	t.Helper()
	ids, err := s.EventDocumentIDs(context.Background(), events)
	if err != nil {
		t.Fatalf("EventDocumentIDs(%q): %v", events, err)
	}
	return ids
}

// testEvents follows events through joining, absorbing and leaving: the
// row's span and count are always what its documents say, the label the
// last one written, and an absorbed event's documents move in the same
// write that absorbs it.
func testEvents(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	var docs []minyi.Document
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		docs = append(docs, message("mailbox", id, i*60)) // an hour apart
	}
	put(t, s, docs...)
	at := func(i int) time.Time { return storedTime(docs[i].Published) }

	plant := &minyi.EventLabel{Title: "丽发花园：搅拌站噪音", Sites: []string{"丽发花园"}, Regions: []string{"西湖区"}, Crowds: []string{"业主"}}
	b := inEvent("b", "a")
	b.Label = plant
	putAnalyses(t, s, inEvent("a", "a"), b, inEvent("c", "c"), inEvent("d", "c"))
	want := &minyi.Event{ID: "a", EventLabel: *plant, First: at(0), Last: at(1), Count: 2}
	if got := storedEvent(t, s, "a"); !reflect.DeepEqual(got, want) {
		t.Errorf("Event(a) = %+v, want %+v", got, want)
	}
	// No label given: an empty one, the span still counted.
	if got, want := storedEvent(t, s, "c"), (&minyi.Event{ID: "c", First: at(2), Last: at(3), Count: 2}); !reflect.DeepEqual(got, want) {
		t.Errorf("Event(c) = %+v, want %+v", got, want)
	}
	if got := get(t, s, "d").Analysis.Event; got != "c" {
		t.Errorf("document d is in event %q, want c", got)
	}

	// e shows c to be a: c's documents move to a, c stops existing, and a
	// keeps its label since e gives none.
	e := inEvent("e", "a")
	e.Absorbed = []string{"c"}
	putAnalyses(t, s, e)
	if _, err := s.Event(ctx, "c"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("absorbed event c: err = %v, want ENOTFOUND", err)
	}
	want = &minyi.Event{ID: "a", EventLabel: *plant, First: at(0), Last: at(4), Count: 5}
	if got := storedEvent(t, s, "a"); !reflect.DeepEqual(got, want) {
		t.Errorf("Event(a) after absorbing c = %+v, want %+v", got, want)
	}
	for _, id := range []string{"c", "d"} {
		if got := get(t, s, id).Analysis.Event; got != "a" {
			t.Errorf("document %s is in event %q after c was absorbed, want a", id, got)
		}
	}
	if got, want := eventDocs(t, s, "a", "c"), []string{"a", "b", "c", "d", "e"}; !slices.Equal(got, want) {
		t.Errorf("EventDocumentIDs(a, c) = %q, want %q", got, want)
	}

	// A document analysed again into another event leaves a, whose span
	// shrinks; a new label replaces the old.
	moved := inEvent("e", "e")
	moved.Label = &minyi.EventLabel{Title: "新事件"}
	putAnalyses(t, s, moved)
	if got := storedEvent(t, s, "a"); got.Count != 4 || !got.Last.Equal(at(3)) {
		t.Errorf("Event(a) after e left = count %d, last %s; want 4, %s", got.Count, got.Last, at(3))
	}
	if got := storedEvent(t, s, "e"); got.Title != "新事件" || got.Count != 1 || got.Sites != nil {
		t.Errorf("Event(e) = %+v", got)
	}
	// Its last document leaving, an event goes.
	putAnalyses(t, s, inEvent("e", "a"))
	if _, err := s.Event(ctx, "e"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("event e without documents: err = %v, want ENOTFOUND", err)
	}
	// A change of content clears the analysis but keeps the document in
	// its event until it is analysed again: the event it then leaves is
	// recomputed.
	changed := docs[0]
	changed.Body += "（补充）"
	changed.ContentHash = ""
	put(t, s, changed)
	if got := eventDocs(t, s, "a"); !slices.Contains(got, "a") || get(t, s, "a").Analysis != nil {
		t.Errorf("changed document a: event a has %q, analysis %+v", got, get(t, s, "a").Analysis)
	}
	putAnalyses(t, s, inEvent("a", "z"))
	if got := storedEvent(t, s, "a"); got.Count != 4 || !got.First.Equal(at(1)) {
		t.Errorf("Event(a) after document a left = count %d, first %s; want 4, %s", got.Count, got.First, at(1))
	}

	if err := s.ClearEvents(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Event(ctx, "a"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("after ClearEvents: err = %v, want ENOTFOUND", err)
	}
	if got := eventDocs(t, s, "a", "c", "e", "z"); len(got) != 0 {
		t.Errorf("after ClearEvents documents still have events: %q", got)
	}
	if a := get(t, s, "b").Analysis; a == nil || a.Event != "" || a.Sentiment != minyi.SentimentNegative {
		t.Errorf("after ClearEvents b's analysis = %+v; want it kept without event", a)
	}

	for _, bad := range []minyi.DocumentAnalysis{
		{ID: "b", Absorbed: []string{"c"}},
		{ID: "b", Label: &minyi.EventLabel{Title: "x"}},
		{ID: "b", Analysis: minyi.Analysis{Event: "a"}, Absorbed: []string{"a"}},
		{ID: "b", Analysis: minyi.Analysis{Event: "a"}, Label: &minyi.EventLabel{Title: "\x00"}},
	} {
		wantCode(t, s.PutAnalyses(ctx, []minyi.DocumentAnalysis{bad}), minyi.EINVALID)
	}
}

// testScanPublished pages in publication order, ties by id, from since.
func testScanPublished(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	var docs []minyi.Document
	// Published out of id order, two at one second.
	for i, id := range []string{"p5", "p1", "p4", "p2", "p3", "p0"} {
		minute := []int{3, 0, 2, 2, 1, -5}[i]
		docs = append(docs, message("forum", id, minute))
	}
	put(t, s, docs...)
	since := t0.Add(-time.Second) // p0 is before it
	var got []string
	var after minyi.PublishedKey
	for {
		page, err := s.ScanPublished(ctx, since, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, d := range page {
			got = append(got, d.ID)
		}
		last := page[len(page)-1]
		after = minyi.PublishedKey{Published: last.Published, ID: last.ID}
	}
	if want := []string{"p1", "p3", "p2", "p4", "p5"}; !slices.Equal(got, want) {
		t.Errorf("ScanPublished = %q, want %q", got, want)
	}
	_, err := s.ScanPublished(ctx, since, minyi.PublishedKey{}, 0)
	wantCode(t, err, minyi.EINVALID)
}

// testRepeatCases finds what a new letter of an event repeats: the
// event's cases open, or closed within the window, received before it;
// and a case keeps the cases it repeats.
func testRepeatCases(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return t0.Add(time.Duration(d) * 24 * time.Hour) }
	var docs []minyi.Document
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		d := message("mailbox", id, i)
		d.Published = day([]int{0, 2, 50, 1, 3}[i])
		docs = append(docs, d)
	}
	put(t, s, docs...)
	putAnalyses(t, s, inEvent("a", "E"), inEvent("b", "E"), inEvent("c", "E"), inEvent("d", "F"), inEvent("e", "E"))
	mk := func(doc string, status minyi.CaseStatus, received, updated time.Time) minyi.Case {
		return minyi.Case{ID: minyi.CaseIDFor(doc), DocumentID: doc, Status: status, Received: received, Updated: updated}
	}
	closedA := mk("a", minyi.CaseClosed, day(0), day(1))
	openB := mk("b", minyi.CaseOpen, day(2), day(2))
	putCase(t, s, closedA, openB, mk("c", minyi.CaseOpen, day(50), day(50)), mk("d", minyi.CaseOpen, day(1), day(1)))

	ids := func(receivedBy, closedSince time.Time, limit ...int) []string {
		t.Helper()
		cs, err := s.EventCases(ctx, "E", receivedBy, closedSince, append(limit, 0)[0])
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got, want := ids(day(10), day(0)), []string{openB.ID, closedA.ID}; !slices.Equal(got, want) {
		t.Errorf("EventCases within the window = %q, want %q", got, want)
	}
	if got, want := ids(day(10), day(0), 1), []string{openB.ID}; !slices.Equal(got, want) {
		t.Errorf("EventCases within the window, limit 1 = %q, want the newest %q", got, want)
	}
	_, err := s.EventCases(ctx, "E", day(10), day(0), -1)
	wantCode(t, err, minyi.EINVALID)
	// a closed before the window: only the open case is repeated.
	if got, want := ids(day(10), day(5)), []string{openB.ID}; !slices.Equal(got, want) {
		t.Errorf("EventCases after a's window = %q, want %q", got, want)
	}
	if got := ids(day(0).Add(-time.Second), day(0)); len(got) != 0 {
		t.Errorf("EventCases before any case = %q", got)
	}

	repeat := mk("e", minyi.CaseOpen, day(3), day(3))
	repeat.RepeatOf = []string{openB.ID, closedA.ID}
	putCase(t, s, repeat)
	got, err := s.Case(ctx, repeat.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.RepeatOf, repeat.RepeatOf) {
		t.Errorf("case repeats %q, want %q", got.RepeatOf, repeat.RepeatOf)
	}
	if got, err := s.Case(ctx, openB.ID); err != nil || got.RepeatOf != nil {
		t.Errorf("a first case repeats %q, %v", got.RepeatOf, err)
	}
	bad := repeat
	bad.RepeatOf = []string{repeat.ID}
	wantCode(t, s.PutCase(ctx, bad), minyi.EINVALID)
}
