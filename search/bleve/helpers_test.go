package bleve

import "testing"

// openTemp opens an index at path ("" for memory) that the test closes.
func openTemp(t testing.TB, path string) *Indexer {
	t.Helper()
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}
