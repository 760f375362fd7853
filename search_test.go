package minyi

import (
	"math"
	"math/big"
	"testing"
	"time"
)

// The issue that found it: page 2^62 with page_size 2 multiplied to zero,
// passed the window check and panicked deep in the search engine.
func TestNormalizeRefusesWindowsThatWrapAround(t *testing.T) {
	for _, tt := range []struct{ page, size int }{
		{1 << 62, 2}, {1 << 61, 8}, {math.MaxInt, 1}, {math.MaxInt, MaxPageSize},
		{MaxSearchWindow/MaxPageSize + 1, MaxPageSize}, {MaxSearchWindow + 1, 1},
	} {
		q := SearchQuery{Page: tt.page, PageSize: tt.size}
		if err := q.Normalize(); ErrorCode(err) != EINVALID {
			t.Errorf("page %d, page_size %d: %v; want EINVALID", tt.page, tt.size, err)
		}
	}
	for _, tt := range []struct{ page, size int }{{MaxSearchWindow / MaxPageSize, MaxPageSize}, {MaxSearchWindow, 1}, {1, 1}} {
		q := SearchQuery{Page: tt.page, PageSize: tt.size}
		if err := q.Normalize(); err != nil {
			t.Errorf("page %d, page_size %d: %v; want it accepted", tt.page, tt.size, err)
		}
	}
}

// FuzzNormalize: whatever the numbers, an accepted query's window fits,
// computed without overflow.
func FuzzNormalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, page, size int, fromUnix, toUnix int64) {
		q := SearchQuery{Page: page, PageSize: size}
		if fromUnix != 0 {
			q.From = unixTime(fromUnix)
		}
		if toUnix != 0 {
			q.To = unixTime(toUnix)
		}
		err := q.Normalize()
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("page %d size %d: code %q, want EINVALID", page, size, ErrorCode(err))
			}
			return
		}
		window := new(big.Int).Mul(big.NewInt(int64(q.Page)), big.NewInt(int64(q.PageSize)))
		if q.Page < 1 || q.PageSize < 1 || q.PageSize > MaxPageSize || window.Cmp(big.NewInt(MaxSearchWindow)) > 0 {
			t.Fatalf("accepted page %d size %d (window %s)", q.Page, q.PageSize, window)
		}
		if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
			t.Fatalf("accepted from %v not before to %v", q.From, q.To)
		}
	})
}

func unixTime(s int64) time.Time { return time.Unix(s, 0) }
