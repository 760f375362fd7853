package event

import (
	"math"
	"testing"
)

func TestHeat(t *testing.T) {
	base := Period{Count: 10, Previous: 10, Sources: 1}
	if h, want := Heat(base), 10*math.Log(11); math.Abs(h-want) > 1e-9 {
		t.Errorf("Heat(%+v) = %v, want %v", base, h, want)
	}
	if h := Heat(Period{}); h != 0 {
		t.Errorf("no documents: heat %v, want 0", h)
	}
	more := func(name string, p Period) {
		t.Helper()
		if Heat(p) <= Heat(base) {
			t.Errorf("%s: heat %v not above the base's %v", name, Heat(p), Heat(base))
		}
	}
	more("more documents", Period{Count: 20, Previous: 10, Sources: 1})
	more("rising", Period{Count: 10, Previous: 2, Sources: 1})
	more("liked", Period{Count: 10, Previous: 10, Likes: 50, Sources: 1})
	more("disliked", Period{Count: 10, Previous: 10, Dislikes: 50, Sources: 1})
	more("negative", Period{Count: 10, Previous: 10, Negative: 5, Sources: 1})
	more("spread", Period{Count: 10, Previous: 10, Sources: 3})
	if got := Heat(Period{Count: 10, Previous: 10, Negative: 10, Sources: 1}); math.Abs(got-2*Heat(base)) > 1e-9 {
		t.Errorf("all negative doubles heat: %v, want %v", got, 2*Heat(base))
	}
	// Growth is capped: a first burst is not infinitely hot.
	if a, b := Heat(Period{Count: 100, Sources: 1}), Heat(Period{Count: 100, Previous: 5, Sources: 1}); a != b {
		t.Errorf("growth beyond 8× counts as 8×: %v vs %v", a, b)
	}
	// Bad input does not make heat negative or NaN.
	if h := Heat(Period{Count: 3, Previous: -4, Likes: -9, Negative: 7, Sources: -1}); h < 0 || math.IsNaN(h) {
		t.Errorf("heat of nonsense input = %v", h)
	}
}
