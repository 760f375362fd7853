//go:build !linux

package bleve

import segment "github.com/blevesearch/scorch_segment_api/v2"

// adviseSearch gives memory advice on Linux only (advise_linux.go).
func adviseSearch(segment.Segment) {}
