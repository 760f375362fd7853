package bleve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi"
	"minyi/search/searchtest"
)

// buildVersion1 leaves at path an index as minyi built it before bigrams:
// the gse analyzer and no version key.
func buildVersion1(t *testing.T, path string) {
	t.Helper()
	m, err := newMapping(AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := newIndex(path, m)
	if err != nil {
		t.Fatal(err)
	}
	x := &Indexer{idx: idx}
	if err := x.Index(context.Background(), searchtest.Documents()); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesOlderVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	buildVersion1(t, path)
	_, err := Open(path)
	if !errors.Is(err, ErrOutdated) || !strings.Contains(err.Error(), "minyi reindex") {
		t.Fatalf("Open of a version 1 index: %v, want ErrOutdated saying to run minyi reindex", err)
	}
	// Refusing leaves the index closed: opening again is refused the same
	// way, not blocked by bleve's directory lock.
	if _, err := Open(path); !errors.Is(err, ErrOutdated) {
		t.Fatalf("second Open: %v", err)
	}
}

func TestRebuildReplacesOlderVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "index")
	buildVersion1(t, path)

	failed := errors.New("store unreachable")
	if err := Rebuild(path, func(minyi.Index) error { return failed }); !errors.Is(err, failed) {
		t.Fatalf("Rebuild with a failing fill: %v", err)
	}
	if _, err := Open(path); !errors.Is(err, ErrOutdated) {
		t.Fatalf("after a failed rebuild the old index should be untouched; Open: %v", err)
	}

	err := Rebuild(path, func(x minyi.Index) error { return x.Index(ctx, searchtest.Documents()) })
	if err != nil {
		t.Fatal(err)
	}
	x := openTemp(t, path)
	res, err := x.Search(ctx, minyi.SearchQuery{Text: "拆迁补偿"})
	if err != nil || res.Total != 1 {
		t.Fatalf("search after rebuild: %+v, %v", res, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("rebuild left %d entries in %s, want only the index", len(entries), dir)
	}
}

// An index created today opens again: the version is recorded at creation.
func TestRebuildCreatesMissingIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	if err := Rebuild(path, func(minyi.Index) error { return nil }); err != nil {
		t.Fatal(err)
	}
	openTemp(t, path)
}
