package freshness

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestPercentilesOverTheRecentWindow(t *testing.T) {
	var tr Tracker
	if f := tr.Freshness("forum"); f.Samples != 0 {
		t.Fatalf("nothing observed: %+v, want not measured", f)
	}
	for i := 1; i <= 10; i++ {
		tr.Observe("forum", time.Duration(i)*time.Second)
	}
	tr.Observe("forum", -time.Minute) // clock skew: dropped
	f := tr.Freshness("forum")
	if f.Samples != 10 || f.P50 != 5*time.Second || f.P90 != 9*time.Second {
		t.Errorf("1..10 s: %+v, want 10 samples, p50 5s, p90 9s", f)
	}
	// A full window of slow documents pushes the fast ones out.
	for range Window {
		tr.Observe("forum", time.Minute)
	}
	if f := tr.Freshness("forum"); f.Samples != Window || f.P50 != time.Minute {
		t.Errorf("after a window of 1-minute delays: %+v", f)
	}
	if f := tr.Freshness("mailbox"); f.Samples != 0 {
		t.Errorf("other source: %+v, want not measured", f)
	}
}

func TestSourcesAreBoundedAndConcurrent(t *testing.T) {
	var tr Tracker
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range maxSources {
				tr.Observe(fmt.Sprintf("s%d", (g*maxSources+i)%(2*maxSources)), time.Second)
			}
		})
	}
	wg.Wait()
	if n := len(tr.bySource); n != maxSources {
		t.Errorf("%d sources kept, want the cap %d", n, maxSources)
	}
}
