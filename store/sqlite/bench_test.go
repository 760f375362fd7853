package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"minyi/store/internal/storebench"
)

func BenchmarkPutDocuments(b *testing.B) { storebench.PutDocuments(b, openFresh(b)) }

func BenchmarkDepartmentStats100k(b *testing.B) { storebench.DepartmentStats100k(b, openSeeded(b)) }

func BenchmarkCases100k(b *testing.B) { storebench.Cases100k(b, openSeeded(b)) }

// openSeeded is a new database with the benchmarks' 100k cases.
func openSeeded(b *testing.B) *Store {
	s := openFresh(b)
	storebench.SeedCases(b, s.PutCases)
	return s
}

// BenchmarkHotEvents ranks hot events over storebench.EventDocs documents
// (MINYI_BENCH_EVENT_DOCS=100000 for a quicker run). With MINYI_BENCH_CACHE
// set, the seeded database is kept there and a copy of it serves the next
// run of the same size, migrated by the minyi under test.
func BenchmarkHotEvents(b *testing.B) {
	n := storebench.EventDocs()
	path := filepath.Join(b.TempDir(), "minyi.db")
	var kept string
	cached := false
	if root := storebench.CacheRoot(); root != "" {
		kept = filepath.Join(root, fmt.Sprintf("%s-sqlite-%d.db", storebench.EventsSeed, n))
		err := copyFile(kept, path)
		if cached = err == nil; err != nil && !errors.Is(err, fs.ErrNotExist) {
			b.Fatal(err)
		}
	}
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if cached {
		b.Logf("seeded store copied from %s", kept)
	} else {
		storebench.SeedEvents(b, s, n)
	}
	if !cached && kept != "" {
		// Written beside and renamed, so that an interrupted run leaves
		// no store that looks seeded.
		os.Remove(kept + ".part")
		if err := BackupFile(context.Background(), path, kept+".part"); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(kept+".part", kept); err != nil {
			b.Fatal(err)
		}
	}
	storebench.HotEvents(b, s)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
