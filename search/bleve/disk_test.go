package bleve

import (
	"context"
	"path/filepath"
	"testing"

	"minyi"
	"minyi/search/searchtest"
)

// The on-disk index keeps documents and the custom analyzer across reopen.
func TestReopenFromDisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index")
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Index(ctx, searchtest.Documents()); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	x = openTemp(t, path)
	if n, err := x.Count(ctx); err != nil || n != uint64(len(searchtest.Documents())) {
		t.Fatalf("Count after reopen = %d, %v", n, err)
	}
	res, err := x.Search(ctx, minyi.SearchQuery{Text: "拆遷補償"})
	if err != nil || res.Total != 1 {
		t.Fatalf("search after reopen: %+v, %v", res, err)
	}
}
