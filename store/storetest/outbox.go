package storetest

import (
	"context"
	"testing"
	"time"

	"minyi"
)

func pending(t *testing.T, s minyi.Store) []minyi.DocumentVersion {
	t.Helper()
	got, err := s.PendingDocuments(context.Background(), time.Now().Add(time.Second), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func versionsOf(docs ...minyi.Document) []minyi.DocumentVersion {
	out := make([]minyi.DocumentVersion, len(docs))
	for i, d := range docs {
		out[i] = minyi.DocumentVersion{ID: d.ID, ContentHash: d.Hash()}
	}
	return out
}

// Every document a write changes is pending until its pipeline finishes; an
// unchanged redelivery marks nothing.
func testOutbox(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	a, b, c := message("mailbox", "a", 1), message("mailbox", "b", 2), message("mailbox", "c", 3)
	put(t, s, a, b)
	if got := pending(t, s); !sameVersions(got, versionsOf(a, b)) {
		t.Fatalf("after storing a and b, pending = %v, want both", got)
	}
	if n, err := s.CountPending(ctx); err != nil || n != 2 {
		t.Fatalf("CountPending = %d, %v; want 2", n, err)
	}
	early, err := s.PendingDocuments(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil || len(early) != 0 {
		t.Fatalf("pending marked before an hour ago = %v, %v; want none", early, err)
	}
	if one, err := s.PendingDocuments(ctx, time.Now().Add(time.Second), 1); err != nil || len(one) != 1 {
		t.Fatalf("limit 1 gave %v, %v", one, err)
	}

	if err := s.FinishDocuments(ctx, versionsOf(a)); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, s); !sameVersions(got, versionsOf(b)) {
		t.Fatalf("after finishing a, pending = %v, want only b", got)
	}
	put(t, s, a) // unchanged redelivery
	if got := pending(t, s); !sameVersions(got, versionsOf(b)) {
		t.Fatalf("an unchanged redelivery of a made it pending again: %v", got)
	}
	put(t, s, c)
	if err := s.FinishDocuments(ctx, versionsOf(b, c)); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, s); len(got) != 0 {
		t.Fatalf("after finishing everything, pending = %v", got)
	}
	if err := s.FinishDocuments(ctx, versionsOf(b)); err != nil {
		t.Fatalf("finishing a version twice: %v", err)
	}
}

// A document that changes while its pipeline runs stays pending: finishing
// the version the pipeline read does not clear the newer one.
func testOutboxChangedWhilePending(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	old := message("mailbox", "a", 1)
	put(t, s, old)
	newer := old
	newer.Status = "已回复"
	newer.ContentHash = newer.Hash()
	put(t, s, newer)
	if err := s.FinishDocuments(ctx, versionsOf(old)); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, s); !sameVersions(got, versionsOf(newer)) {
		t.Fatalf("pending = %v, want the newer version %s", got, newer.Hash())
	}
}

func sameVersions(got, want []minyi.DocumentVersion) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[minyi.DocumentVersion]bool{}
	for _, v := range got {
		seen[v] = true
	}
	for _, v := range want {
		if !seen[v] {
			return false
		}
	}
	return true
}
