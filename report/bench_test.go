package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"minyi"
	"minyi/search/bleve"
	"minyi/store/sqlite"
	"minyi/store/storetest"
)

// The issue's target: a weekly report in under 30 s over 1,000,000
// documents and 10,000 cases while ingest continues. The corpus spans four
// weeks ending with the report's week; 10,000 cases of the stores' shared
// benchmark set (storetest.BenchCase) span the same weeks; while the report
// is made, another goroutine keeps indexing documents published after it
// (the week being reported is over), as the crawls do.
//
//	MINYI_BENCH_REPORT_DOCS   documents (default 100,000; the issue's figure is 1,000,000)
//	MINYI_BENCH_REPORT_CASES  cases (default 10,000)
//	MINYI_BENCH_CACHE         keep the built index there between runs
//
// Generation is timed apart from rendering, and the Go heap's peak is
// reported. The report itself holds counts, facets and a few pages of hits,
// never the documents; what grows with the corpus is the bleve engine's
// columns (a few bytes per document, held for every search anyway) and the
// ingest running beside it.
func BenchmarkWeeklyReport(b *testing.B) {
	docs, cases := benchEnv(b, "MINYI_BENCH_REPORT_DOCS", 100_000), benchEnv(b, "MINYI_BENCH_REPORT_CASES", 10_000)
	ctx := context.Background()
	// BenchCase receives a case every 315 s from 1 January 2026: 10,000
	// cases cover five weeks. The report is of the fifth week (Monday 2
	// February), documents start three weeks earlier.
	from := time.Date(2026, 2, 2, 0, 0, 0, 0, minyi.ChinaTime)
	to := from.AddDate(0, 0, 7)
	corpusStart := from.AddDate(0, 0, -21)

	index := benchIndex(b, docs, corpusStart, to)
	store, err := sqlite.Open(filepath.Join(b.TempDir(), "minyi.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	seedBenchCases(b, store, cases)
	seedBenchDocuments(b, store, docs, corpusStart, to)
	deps := Deps{Index: index, Cases: store, Events: store, Departments: benchDepartments()}

	var ingested atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { keepIngesting(b, index, to, stop, &ingested) })
	peak := watchHeap(stop)

	b.ResetTimer()
	var gen, docx, pdf time.Duration
	var r *Report
	for b.Loop() {
		start := time.Now()
		r, err = Generate(ctx, deps, Spec{Kind: Weekly, From: from, To: to, Now: to.Add(8 * time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
		gen += time.Since(start)
		start = time.Now()
		if err := WriteDOCX(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		docx += time.Since(start)
		start = time.Now()
		var buf bytes.Buffer
		if err := WritePDF(&buf, r); err != nil {
			b.Fatal(err)
		}
		pdf += time.Since(start)
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	n := float64(b.N)
	b.ReportMetric(gen.Seconds()/n, "generate-s")
	b.ReportMetric(docx.Seconds()/n, "docx-s")
	b.ReportMetric(pdf.Seconds()/n, "pdf-s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(ingested.Load()), "docs-ingested-meanwhile")
	if r.Figures.Total == 0 || len(r.Events) == 0 || r.Cases == nil || r.Cases.Received == 0 {
		b.Fatalf("an empty report: %d documents, %d events, cases %+v", r.Figures.Total, len(r.Events), r.Cases)
	}
	b.Logf("%d documents, %d cases: the week has %d documents (%d negative), %d events (largest %d), %d cases received",
		docs, cases, r.Figures.Total, r.Figures.Negative, len(r.Events), r.Events[0].Size, r.Cases.Received+r.Cases.Unrouted)
}

func benchEnv(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// benchCorpusVersion names the generator below: change it with the
// generator, so that a cached index is rebuilt.
const benchCorpusVersion = "2"

// benchIndex is an on-disk bleve index of n generated documents spread
// over [start, end), built once and kept in $MINYI_BENCH_CACHE when set.
func benchIndex(b *testing.B, n int, start, end time.Time) minyi.Index {
	dir := filepath.Join(b.TempDir(), "index.bleve")
	if cache := os.Getenv("MINYI_BENCH_CACHE"); cache != "" {
		dir = filepath.Join(cache, fmt.Sprintf("report-v%s-%d.bleve", benchCorpusVersion, n))
	}
	_, statErr := os.Stat(dir)
	index, err := bleve.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { index.Close() })
	if statErr == nil {
		if c, _ := index.Count(context.Background()); c >= uint64(n) {
			b.Logf("reusing %s (%d documents)", dir, c)
			return index
		}
	}
	began := time.Now()
	step := end.Sub(start) / time.Duration(n)
	const batch = 2000
	docs := make([]minyi.Document, 0, batch)
	for i := range n {
		docs = append(docs, benchDocument(i, start.Add(time.Duration(i)*step)))
		if len(docs) == batch || i == n-1 {
			if err := index.Index(context.Background(), docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
	b.Logf("indexed %d documents in %s", n, time.Since(began).Round(time.Second))
	return index
}

var (
	benchPlaces     = []string{"滨江花园", "城南新村", "人民路", "火车站广场", "第三中学", "中心医院", "开发区", "老城区", "东湖公园", "高新区"}
	benchIssues     = []string{"停车难", "噪音扰民", "拆迁补偿", "供暖不热", "道路积水", "垃圾清运不及时", "电梯故障", "违章搭建", "油烟污染", "公交班次少", "学位紧张", "物业乱收费"}
	benchCategories = []string{"城乡建设", "环境保护", "交通运输", "教育", "卫生健康", "劳动和社会保障", "公安政法", "商贸旅游", "农村农业", "民政", "文体", "市场监管"}
	benchSources    = []struct {
		name string
		kind minyi.Kind
	}{{"city-forum", minyi.KindPost}, {"county-bbs", minyi.KindPost}, {"tieba", minyi.KindPost}, {"mayor-mailbox", minyi.KindMessage}, {"hotline", minyi.KindMessage}}
	benchSentiments = []minyi.Sentiment{minyi.SentimentNegative, minyi.SentimentNegative, minyi.SentimentNeutral,
		minyi.SentimentNeutral, minyi.SentimentNeutral, minyi.SentimentPositive, ""}
)

// benchDocument is document i: a third of the documents repeat one of
// 3,000 topics, the smaller ones more often (reposts of a few big stories,
// many small ones).
func benchDocument(i int, published time.Time) minyi.Document {
	rng := rand.New(rand.NewPCG(uint64(i), 0x7265706f7274))
	src := benchSources[rng.IntN(len(benchSources))]
	place, issue := benchPlaces[rng.IntN(len(benchPlaces))], benchIssues[rng.IntN(len(benchIssues))]
	id := fmt.Sprintf("doc-%07d", i)
	topic := id
	if rng.IntN(3) == 0 {
		k := int(3000 * rng.Float64() * rng.Float64() * rng.Float64()) // skewed toward the first topics
		topic = fmt.Sprintf("topic-%04d", k)
		place, issue = benchPlaces[k%len(benchPlaces)], benchIssues[k%len(benchIssues)]
	}
	d := minyi.Document{
		ID: id, Source: src.name, Kind: src.kind, Published: published,
		URL:   "https://" + src.name + ".example.gov.cn/t/" + id,
		Title: fmt.Sprintf("%s%s问题何时解决", place, issue),
		Body:  fmt.Sprintf("%s附近%s的问题已经持续很久，居民多次反映，希望有关部门尽快处理。编号%d。", place, issue, i),
	}
	if s := benchSentiments[rng.IntN(len(benchSentiments))]; s != "" {
		d.Analysis = &minyi.Analysis{Sentiment: s, Category: benchCategories[rng.IntN(len(benchCategories))], Topic: topic}
		if topic != id {
			d.Analysis.Event = "event-" + topic // a topic's reposts are one event
		}
	}
	return d
}

func benchDepartments() []minyi.Department {
	var out []minyi.Department
	for i := range 40 {
		out = append(out, minyi.Department{ID: fmt.Sprintf("dept-%02d", i), Name: fmt.Sprintf("第%d承办单位", i+1)})
	}
	return out
}

// seedBenchDocuments stores the corpus with its analyses, so that the
// store knows the events the report ranks (AnalysisStore.HotEvents).
func seedBenchDocuments(b *testing.B, store minyi.Store, n int, start, end time.Time) {
	began := time.Now()
	ctx := context.Background()
	step := end.Sub(start) / time.Duration(n)
	const batch = 2000
	for from := 0; from < n; from += batch {
		docs := make([]minyi.Document, 0, batch)
		var analyses []minyi.DocumentAnalysis
		for i := from; i < min(n, from+batch); i++ {
			d := benchDocument(i, start.Add(time.Duration(i)*step))
			d.Fetched, d.ContentHash = d.Published, d.Hash()
			docs = append(docs, d)
			if d.Analysis != nil {
				da := minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis}
				if d.Analysis.Event != "" {
					da.Label = &minyi.EventLabel{Title: d.Title}
				}
				analyses = append(analyses, da)
			}
		}
		if _, err := store.PutDocuments(ctx, docs); err != nil {
			b.Fatal(err)
		}
		if err := store.PutAnalyses(ctx, analyses); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("stored %d documents in %s", n, time.Since(began).Round(time.Second))
}

func seedBenchCases(b *testing.B, store minyi.Store, n int) {
	for from := 0; from < n; from += 5000 {
		batch := make([]minyi.Case, 0, 5000)
		for i := from; i < min(n, from+5000); i++ {
			batch = append(batch, storetest.BenchCase(i, 40))
		}
		if err := store.PutCases(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
}

// keepIngesting indexes batches of new documents, published after the
// report's period, until stop closes: the crawls go on while a report is
// made.
func keepIngesting(b *testing.B, index minyi.Index, after time.Time, stop <-chan struct{}, n *atomic.Int64) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		docs := make([]minyi.Document, 200)
		for k := range docs {
			j := 10_000_000 + i*len(docs) + k
			docs[k] = benchDocument(j, after.Add(time.Duration(j%86_400)*time.Second))
			docs[k].ID = fmt.Sprintf("live-%07d", i*len(docs)+k)
		}
		if err := index.Index(context.Background(), docs); err != nil {
			b.Error(err)
			return
		}
		n.Add(int64(len(docs)))
	}
}

// watchHeap samples the Go heap until stop closes; the result is the
// largest it saw.
func watchHeap(stop <-chan struct{}) func() uint64 {
	var peak atomic.Uint64
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return peak.Load
}
