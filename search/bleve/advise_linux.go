package bleve

import (
	"syscall"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// adviseSearch is called once a segment's columns are built. A search then
// touches a few pages of the mapped file here and there (a term's postings,
// a phrase's positions, the stored text of one page of hits), and the
// kernel's default read-around brings in the 128 KiB about every page it
// faults in: at a million documents that filled memory with pages no
// search asked for, and under a memory limit evicted the ones searches
// come back to. The pages the columns were built from are unmapped too:
// they stay in the page cache for the kernel to keep or drop, but no longer
// count as the process's own.
func adviseSearch(seg segment.Segment) {
	m, ok := seg.(interface{ Data() []byte }) // a segment on disk, mapped
	if !ok {
		return
	}
	if data := m.Data(); len(data) > 0 {
		// Advice only: a kernel that refuses it leaves the defaults.
		_ = syscall.Madvise(data, syscall.MADV_DONTNEED)
		_ = syscall.Madvise(data, syscall.MADV_RANDOM)
	}
}
