package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"minyi"
	"minyi/demosite"
)

// testEvents checks what ingest made of the demo's documents: each has an
// event the store holds with the count of its documents, a repost of a
// whole thread is in its original's event, and the index finds an
// event's documents by it.
func testEvents(t *testing.T, ta *testApp, threads []demosite.Thread) {
	ctx := context.Background()
	docs, err := ta.store.ScanDocuments(ctx, "", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	members := map[string][]string{}
	of := map[string]string{}
	for _, d := range docs {
		if d.Analysis == nil || d.Analysis.Event == "" {
			t.Fatalf("document %s %q has no event: %+v", d.ID, d.Title, d.Analysis)
		}
		members[d.Analysis.Event] = append(members[d.Analysis.Event], d.ID)
		of[d.ID] = d.Analysis.Event
	}
	if len(members) < 2 || len(members) == len(docs) {
		t.Errorf("%d documents in %d events", len(docs), len(members))
	}
	for id, ids := range members {
		e, err := ta.store.Event(ctx, id)
		if err != nil {
			t.Fatalf("event %s of %d documents: %v", id, len(ids), err)
		}
		if e.Count != len(ids) || e.Title == "" {
			t.Errorf("event %s: count %d title %q; it has %d documents", id, e.Count, e.Title, len(ids))
		}
		res, err := ta.index.Search(ctx, minyi.SearchQuery{Event: id, PageSize: minyi.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != len(ids) {
			t.Errorf("index finds %d documents of event %s, the store %d", res.Total, id, len(ids))
		}
	}
	body := map[int]string{}
	for _, th := range threads {
		body[th.TID] = th.Body
	}
	for _, th := range threads {
		if th.RepostOf == 0 || !strings.Contains(th.Body, body[th.RepostOf]) {
			continue
		}
		repost, orig := threadID(th.TID), threadID(th.RepostOf)
		if of[repost] != of[orig] {
			t.Errorf("repost %d in event %s, its original %d in %s", th.TID, of[repost], th.RepostOf, of[orig])
		}
	}
}

func threadID(tid int) string { return minyi.DocumentID("demo-forum", fmt.Sprintf("tid:%d", tid)) }
