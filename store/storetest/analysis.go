package storetest

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi"
)

// topBit sets the simhash bit that a signed column would read as the sign.
const topBit = uint64(1) << 63

func putAnalyses(t *testing.T, s minyi.Store, rs ...minyi.DocumentAnalysis) {
	t.Helper()
	if err := s.PutAnalyses(context.Background(), rs); err != nil {
		t.Fatalf("PutAnalyses: %v", err)
	}
}

func checkAnalysis(t *testing.T, what string, got, want *minyi.Analysis) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: analysis = %s, want %s", what, fmtAnalysis(got), fmtAnalysis(want))
	}
}

func fmtAnalysis(a *minyi.Analysis) string {
	if a == nil {
		return "nil"
	}
	return fmt.Sprintf("%+v", *a)
}

func testAnalysisRoundTrip(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	a, b := message("mailbox", "doc-a", 1), message("mailbox", "doc-b", 2)
	put(t, s, a, b)
	checkAnalysis(t, "before analysis", get(t, s, a.ID).Analysis, nil)

	full := minyi.Analysis{
		Sentiment: minyi.SentimentNegative, SentimentScore: -0.8125,
		Category: "城乡建设", Category2: "物业管理", CategoryConfidence: 0.75,
		Topic: "doc-a", Simhash: topBit | 0x0123_4567_89ab_cdef,
	}
	// A neutral document in no topic and without a fingerprint.
	bare := minyi.Analysis{Sentiment: minyi.SentimentNeutral}
	putAnalyses(t, s, minyi.DocumentAnalysis{ID: a.ID, Analysis: full}, minyi.DocumentAnalysis{ID: b.ID, Analysis: bare})

	checkAnalysis(t, "Document(a)", get(t, s, a.ID).Analysis, &full)
	checkAnalysis(t, "Document(b)", get(t, s, b.ID).Analysis, &bare)
	docs, err := s.Documents(ctx, []string{b.ID, a.ID})
	if err != nil || len(docs) != 2 {
		t.Fatalf("Documents = %d docs, %v", len(docs), err)
	}
	checkAnalysis(t, "Documents[0]", docs[0].Analysis, &bare)
	checkAnalysis(t, "Documents[1]", docs[1].Analysis, &full)
	docs, err = s.ScanDocuments(ctx, "", 10)
	if err != nil || len(docs) != 2 {
		t.Fatalf("ScanDocuments = %d docs, %v", len(docs), err)
	}
	checkAnalysis(t, "ScanDocuments[0]", docs[0].Analysis, &full)
	// The analysis is not content: the rest of the document is untouched.
	wantA := stored(a)
	wantA.Analysis = &full
	checkDocument(t, "Document(a) after analysis", get(t, s, a.ID), wantA)

	// Redelivery of unchanged content keeps the analysis.
	if res := put(t, s, a); len(res.Changed) != 0 {
		t.Errorf("redelivery changed %v", res.Changed)
	}
	checkAnalysis(t, "after redelivery", get(t, s, a.ID).Analysis, &full)

	// A later analysis replaces the earlier one; within a batch, the last wins.
	again := minyi.Analysis{Sentiment: minyi.SentimentPositive, SentimentScore: 1, Topic: "doc-b", Simhash: math.MaxUint64}
	putAnalyses(t, s, minyi.DocumentAnalysis{ID: a.ID, Analysis: full}, minyi.DocumentAnalysis{ID: a.ID, Analysis: again})
	checkAnalysis(t, "after re-analysis", get(t, s, a.ID).Analysis, &again)

	if err := s.PutAnalyses(ctx, nil); err != nil {
		t.Errorf("PutAnalyses(nil) = %v", err)
	}
}

func testStaleAnalysis(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	d := message("mailbox", "doc-stale", 1)
	put(t, s, d)
	putAnalyses(t, s, minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{
		Sentiment: minyi.SentimentNegative, Topic: d.ID, Simhash: 42}})

	// New content: the analysis described the old text and is dropped, also
	// from fingerprints and trends. Analysis given with a document is ignored.
	d.Body += "补充：问题至今没有解决。"
	d.ContentHash = d.Hash()
	d.Analysis = &minyi.Analysis{Sentiment: minyi.SentimentPositive, Topic: d.ID, Simhash: 7}
	if res := put(t, s, d); len(res.Changed) != 1 {
		t.Fatalf("changed content: Changed = %v", res.Changed)
	}
	got := get(t, s, d.ID)
	checkAnalysis(t, "after content change", got.Analysis, nil)
	if got.Body != d.Body {
		t.Errorf("body not updated")
	}
	fps, err := s.Fingerprints(ctx, time.Time{})
	if err != nil || len(fps) != 0 {
		t.Errorf("Fingerprints after content change = %+v, %v; want none", fps, err)
	}
	trends, err := s.TopicTrends(ctx, d.Published.Add(-time.Hour), d.Published.Add(time.Hour), 10)
	if err != nil || len(trends) != 0 {
		t.Errorf("TopicTrends after content change = %+v, %v; want none", trends, err)
	}

	// A new document put with an analysis is stored without it.
	n := message("mailbox", "doc-new", 2)
	n.Analysis = &minyi.Analysis{Sentiment: minyi.SentimentNeutral}
	put(t, s, n)
	checkAnalysis(t, "new document put with an analysis", get(t, s, n.ID).Analysis, nil)
}

func testPutAnalysesErrors(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	known := message("mailbox", "doc-known", 1)
	put(t, s, known)
	ok := minyi.Analysis{Sentiment: minyi.SentimentNeutral, Topic: known.ID, Simhash: 99}

	err := s.PutAnalyses(ctx, []minyi.DocumentAnalysis{
		{ID: known.ID, Analysis: ok}, {ID: "zz-unknown-1", Analysis: ok}, {ID: "aa-unknown-2", Analysis: ok},
	})
	wantCode(t, err, minyi.ENOTFOUND)
	if msg := minyi.ErrorMessage(err); !strings.Contains(msg, "zz-unknown-1") || strings.Contains(msg, "aa-unknown-2") {
		t.Errorf("unknown ids: message %q should name the first unknown id only", msg)
	}
	checkAnalysis(t, "after a failed batch", get(t, s, known.ID).Analysis, nil)

	for name, a := range map[string]minyi.DocumentAnalysis{
		"no id":               {Analysis: ok},
		"unknown sentiment":   {ID: known.ID, Analysis: minyi.Analysis{Sentiment: "开心"}},
		"score out of range":  {ID: known.ID, Analysis: minyi.Analysis{Sentiment: minyi.SentimentPositive, SentimentScore: 1.5}},
		"score NaN":           {ID: known.ID, Analysis: minyi.Analysis{SentimentScore: math.NaN()}},
		"confidence NaN":      {ID: known.ID, Analysis: minyi.Analysis{CategoryConfidence: math.NaN()}},
		"negative confidence": {ID: known.ID, Analysis: minyi.Analysis{CategoryConfidence: -0.1}},
		"invalid UTF-8":       {ID: known.ID, Analysis: minyi.Analysis{Category: "城乡\xff"}},
		"NUL in topic":        {ID: known.ID, Analysis: minyi.Analysis{Topic: "a\x00b"}},
	} {
		err := s.PutAnalyses(ctx, []minyi.DocumentAnalysis{{ID: known.ID, Analysis: ok}, a})
		if minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: error %v, want code %s", name, err, minyi.EINVALID)
		}
	}
	checkAnalysis(t, "after invalid batches", get(t, s, known.ID).Analysis, nil)
}

func testFingerprints(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	// message i is published at t0 + i minutes; b and c share a time.
	docs := []minyi.Document{message("m", "fp-c", 2), message("m", "fp-a", 1), message("m", "fp-b", 2),
		message("m", "fp-none", 3), message("m", "fp-unanalysed", 4)}
	put(t, s, docs...)
	putAnalyses(t, s,
		minyi.DocumentAnalysis{ID: "fp-a", Analysis: minyi.Analysis{Simhash: topBit | 1, Topic: "fp-a"}},
		minyi.DocumentAnalysis{ID: "fp-b", Analysis: minyi.Analysis{Simhash: 2, Topic: "fp-a"}},
		minyi.DocumentAnalysis{ID: "fp-c", Analysis: minyi.Analysis{Simhash: 3}},
		minyi.DocumentAnalysis{ID: "fp-none", Analysis: minyi.Analysis{Sentiment: minyi.SentimentNeutral}},
	)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute).UTC() }
	all := []minyi.Fingerprint{
		{ID: "fp-a", Simhash: topBit | 1, Topic: "fp-a", Published: at(1)},
		{ID: "fp-b", Simhash: 2, Topic: "fp-a", Published: at(2)},
		{ID: "fp-c", Simhash: 3, Published: at(2)},
	}
	for _, tc := range []struct {
		since time.Time
		want  []minyi.Fingerprint
	}{
		{time.Time{}, all},
		{at(1), all},
		{at(1).Add(500 * time.Millisecond), all[1:]}, // since is an exact instant
		{at(2).Add(-time.Nanosecond), all[1:]},
		{at(3), nil},
	} {
		got, err := s.Fingerprints(ctx, tc.since)
		if err != nil {
			t.Fatalf("Fingerprints(%v): %v", tc.since, err)
		}
		if len(got) != len(tc.want) {
			t.Errorf("Fingerprints(%v) = %+v, want %+v", tc.since, got, tc.want)
			continue
		}
		for i := range got {
			g, w := got[i], tc.want[i]
			if g.ID != w.ID || g.Simhash != w.Simhash || g.Topic != w.Topic || !g.Published.Equal(w.Published) || g.Published.Location() != time.UTC {
				t.Errorf("Fingerprints(%v)[%d] = %+v, want %+v", tc.since, i, g, w)
			}
		}
	}
}
