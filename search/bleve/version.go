package bleve

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	blevesearch "github.com/blevesearch/bleve/v2"

	"minyi"
)

// version is the analysis scheme of the index, stored in it under
// versionKey when it is created. An index without the key is version 1.
//
//	1: gse words plus every ideograph alone (analyzer minyi_zh)
//	2: character bigrams plus unigrams (analyzer minyi_zh_bigram)
//	3: version 2 with each document's event (a keyword field)
//
// Change it whenever a document would be indexed into other terms: an index
// of another version answers today's queries wrongly, so it is refused.
const version = 3

var versionKey = []byte("minyi.index_version")

// ErrOutdated is the error of opening an index of another version.
var ErrOutdated = errors.New("bleve index of another version")

func checkVersion(idx blevesearch.Index, path string) error {
	v, err := idx.GetInternal(versionKey)
	if err != nil {
		return fmt.Errorf("bleve index %q: reading its version: %w", path, err)
	}
	got := 1
	if v != nil {
		if got, err = strconv.Atoi(string(v)); err != nil {
			return fmt.Errorf("bleve index %q: version %q: %w", path, v, err)
		}
	}
	if got != version {
		return fmt.Errorf("%w: %q is version %d and this minyi needs version %d (Chinese as character bigrams, each document's event); "+
			"stop the server and run `minyi reindex` to rebuild it from the store", ErrOutdated, path, got, version)
	}
	return nil
}

// Rebuild builds a new index of the current version beside the one at
// path, lets fill put every document into it, and only then puts it in
// place of the old one, which may be of any version. Until then the old
// index stays as it was, so a failed rebuild loses nothing; the server must
// be stopped, as bleve locks its directory.
func Rebuild(path string, fill func(minyi.Index) error) error {
	if path == "" {
		return errors.New("bleve rebuild needs an index path")
	}
	// A running server holds the index's lock; rebuilding under it would
	// swap the directory out from under its writes.
	if idx, err := blevesearch.OpenUsing(path, map[string]any{"bolt_timeout": "1s"}); err == nil {
		idx.Close()
	} else if !errors.Is(err, blevesearch.ErrorIndexPathDoesNotExist) {
		return fmt.Errorf("bleve index %q cannot be opened, so it is not rebuilt (is minyi serve running?): %w", path, err)
	}
	next, old := path+".rebuild", path+".old"
	// Leftovers of an interrupted rebuild: an unfinished build, or the old
	// index already replaced.
	for _, p := range []string{next, old} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	x, err := create(next)
	if err != nil {
		return err
	}
	if err := fill(x); err != nil {
		x.Close()
		return err
	}
	if err := x.Close(); err != nil {
		return fmt.Errorf("close rebuilt index %q: %w", next, err)
	}
	if err := os.Rename(path, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(next, path); err != nil {
		return err
	}
	return os.RemoveAll(old)
}
