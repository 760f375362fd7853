package importer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"minyi"
)

// TestImportStreamsLargeCSV feeds 20,000 rows through a pipe, so the file
// never exists as a whole, and checks the heap stays far below its size.
func TestImportStreamsLargeCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("20k rows into sqlite")
	}
	const rows = 20_000
	body := strings.Repeat("小区楼下的路灯已经坏了很久，晚上出行很不方便，请有关部门尽快维修。", 8) // ~800 bytes
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriter(pw)
		fmt.Fprintln(w, "编号,标题,内容,来信时间,答复单位,答复内容,答复时间")
		start := time.Date(2022, 1, 1, 8, 0, 0, 0, minyi.ChinaTime)
		for i := range rows {
			received := start.Add(time.Duration(i) * 37 * time.Minute)
			unit, reply, replied := "", "", ""
			if i%2 == 0 { // half answered: alternately within and after 15 days
				unit, reply = []string{"市住建局", "市交通局"}[i/2%2], "已处理"
				replied = received.AddDate(0, 0, 10+10*(i/4%2)).Format("2006/1/2 15:04:05")
			}
			fmt.Fprintf(w, "H%d,第%d号留言,%s%d,%s,%s,%s,%s\n", i, i, body, i,
				received.Format("2006-01-02 15:04"), unit, reply, replied)
		}
		w.Flush()
		pw.Close()
	}()
	counted := &countingReader{r: pr}

	s := openStore(t)
	// A low GC target makes the sampled heap close to what is live, not
	// what the collector has yet to reclaim.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	stop := samplePeakHeap()
	rep, err := Import(context.Background(), testDeps(s), "bulk", counted, "csv", DefaultMapping())
	maxHeap := stop()
	if err != nil {
		t.Fatal(err)
	}
	written := counted.n
	if rep.Rows != rows || rep.Imported != rows || rep.Answered != rows/2 || rep.OnTime != rows/4 || rep.Failed != 0 {
		t.Fatalf("report %+v", rep)
	}
	growth := int64(maxHeap) - int64(base.HeapAlloc)
	t.Logf("file %.1f MB, heap before %.1f MB, peak growth %.1f MB", float64(written)/1e6,
		float64(base.HeapAlloc)/1e6, float64(growth)/1e6)
	// Loose: the whole file as strings would be more than its size again.
	if growth > written/2 {
		t.Errorf("heap grew by %d bytes importing a %d-byte file: not streaming", growth, written)
	}
	from := time.Date(2022, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)
	stats, err := s.DepartmentStats(context.Background(), from, now, now)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, st := range stats {
		total += st.Answered
		if st.AnsweredOnTime*2 != st.Answered {
			t.Errorf("%+v: want half on time", st)
		}
	}
	if total != rows/2 {
		t.Errorf("answered %d in stats, want %d", total, rows/2)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// samplePeakHeap polls the heap until the returned stop is called, which
// returns the largest HeapAlloc seen.
func samplePeakHeap() (stop func() uint64) {
	var peak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished // peak is written by the sampler only, and read after it ends
		return peak
	}
}
