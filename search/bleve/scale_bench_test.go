package bleve

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"

	"minyi"
	"minyi/analysis"
)

// scheme is one way of analysing text: the analyzer of the index and the
// tokens its queries are made of.
type scheme struct {
	name     string // names the cached index too
	analyzer string
	phrase   func(string) []analysis.Token
}

var (
	bigramScheme = scheme{"bigram-v" + strconv.Itoa(version), BigramAnalyzerName, analysis.BigramPhrase}
	// The version 1 analyzer and query, for the comparison: gse words and
	// every ideograph, a clause a multi-phrase of all its tokens.
	legacyScheme = scheme{"words-v1", AnalyzerName, analysis.Tokens}
)

// BenchmarkSearchLatency1M times the query mix of realQueries, with
// highlights and facets as the API runs them, over MINYI_BENCH_SEARCH_DOCS
// documents of the realistic corpus (default 1,000,000), and over its first
// 100,000 with today's and the version 1 analyzer side by side. Indexes
// are kept in MINYI_BENCH_CACHE (default the user cache directory), keyed
// by analyzer, corpus version and size, so a rerun only searches; the
// build time printed is that of the run that built them. The mix runs
// twice: the first pass, printed on its own line, reads the index pages it
// touches from disk unless the page cache holds them; the second is timed.
func BenchmarkSearchLatency1M(b *testing.B) {
	if testing.Short() {
		b.Skip("indexes up to a million documents; skipped with -short")
	}
	n := 1_000_000
	if s := os.Getenv("MINYI_BENCH_SEARCH_DOCS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			b.Fatalf("MINYI_BENCH_SEARCH_DOCS=%q: want a number of documents, 1000 or more", s)
		}
	}
	rt := loadRealText(b)
	analysis.Preload()
	small := min(n, 100_000)
	b.Logf("corpus %s: %d real titles, %d real sentences; load average %s", rt.version,
		len(rt.titles), len(rt.sentences), loadAverage())

	var main latencyRun
	// The side-by-side at 100,000 builds two more indexes; when tuning
	// the large one, MINYI_BENCH_SEARCH_COMPARE=0 leaves it out.
	if os.Getenv("MINYI_BENCH_SEARCH_COMPARE") != "0" {
		compare := map[string]latencyRun{}
		for _, sc := range []scheme{legacyScheme, bigramScheme} {
			r := measure(b, rt, sc, small, nil)
			compare[sc.name] = r
			r.log(b)
		}
		old, now := compare[legacyScheme.name], compare[bigramScheme.name]
		b.Logf("analyzers at %d documents: p50 %.1f → %.1f ms, p99 %.1f → %.1f ms, %.0f → %.0f bytes/doc on disk, build %.0f → %.0f docs/s (words-v1 → %s)",
			small, old.p50, now.p50, old.p99, now.p99, old.bytesPerDoc, now.bytesPerDoc, old.buildRate, now.buildRate, bigramScheme.name)
		main = now
	}
	if n > small || main.docs == 0 {
		main = measure(b, rt, bigramScheme, n, b)
		main.log(b)
	}
	b.ReportMetric(main.p50, "p50-ms")
	b.ReportMetric(main.p99, "p99-ms")
	b.ReportMetric(main.rssMB, "rss-MB")
	b.ReportMetric(main.bytesPerDoc, "disk-bytes/doc")
	b.ReportMetric(main.buildSeconds, "build-s")
}

// latencyRun is what measure found for one index.
type latencyRun struct {
	scheme                string
	docs                  int
	p50, p99              float64 // ms, over the whole mix
	rssMB, anonMB, fileMB float64 // after the searches
	bytesPerDoc           float64
	buildSeconds          float64
	buildRate             float64 // docs/s
	built                 string  // "now" or when the cached index was built
	lines                 []string
}

func (r latencyRun) log(b *testing.B) {
	b.Logf("== %s, %d documents: p50 %.1f ms, p99 %.1f ms; RSS %.0f MB (anon %.0f, file %.0f); %.0f bytes/doc on disk; built %s in %.0f s (%.0f docs/s)",
		r.scheme, r.docs, r.p50, r.p99, r.rssMB, r.anonMB, r.fileMB, r.bytesPerDoc, r.built, r.buildSeconds, r.buildRate)
	for _, l := range r.lines {
		b.Log(l)
	}
}

// timedPasses is how often the benchmark times its mix: one pass's p99 is
// its five worst searches, which the machine's other work moves, so a
// figure is judged by the spread of several.
const timedPasses = 3

// measure opens (building when not cached) the index of sc over the first
// docs documents and runs the query mix once, or timedPasses times inside
// b.Loop when loop is given, so that the benchmark's own timing is of the
// searches.
func measure(b *testing.B, rt *realText, sc scheme, docs int, loop *testing.B) latencyRun {
	ctx := context.Background()
	path, buildSeconds, built := cachedIndex(b, rt, sc, docs)
	// What the searching process holds, not the garbage of building.
	runtime.GC()
	debug.FreeOSMemory()
	x := openScheme(b, path, sc)
	defer x.Close()
	if got, err := x.Count(ctx); err != nil || got != uint64(docs) {
		b.Fatalf("%s holds %d documents (%v); want %d", path, got, err, docs)
	}
	queries, common := rt.realQueries(b, 500, docs)
	b.Logf("query sample %s (fixed: a change of it is a change of the benchmark)", querySampleDigest(queries))

	// A first pass reads from disk what the page cache does not hold yet
	// (after a restart, or a cache dropped); a running server answers
	// from the cache, which the timed pass measures.
	var first queryMixTimes
	first.run(b, x, queries)
	slices.Sort(first.all)
	coldLine := fmt.Sprintf("first pass over the mix, index pages read as they are first touched: p50 %.1f ms, p99 %.1f ms",
		percentileMS(first.all, 0.50), percentileMS(first.all, 0.99))

	passes := make([]queryMixTimes, 1)
	loads := make([]string, 0, timedPasses)
	if loop != nil {
		passes = make([]queryMixTimes, timedPasses)
		for loop.Loop() {
			for p := range passes {
				passes[p].run(b, x, queries)
				loads = append(loads, loadAverage())
			}
		}
	} else {
		passes[0].run(b, x, queries)
	}
	mix := passes[0]
	r := latencyRun{scheme: sc.name, docs: docs, buildSeconds: buildSeconds, buildRate: float64(docs) / buildSeconds, built: built}
	r.lines = append([]string{coldLine}, mix.classLines()...)
	if len(passes) > 1 {
		r.lines = append(r.lines, passSpreadLines(passes, loads)...)
		r.lines = append(r.lines, passes[len(passes)-1].slowestLine(8))
	}
	totals := mix.totals
	slices.Sort(totals)
	r.lines = append(r.lines, fmt.Sprintf("matches per search: median %d, p90 %d, max %d; %d of %d found nothing",
		totals[len(totals)/2], totals[len(totals)*9/10], totals[len(totals)-1], mix.empty, len(mix.all)))
	mix.checkHits(b)
	for range passes {
		r.lines = append(r.lines, commonWordLine(b, x, common), groupedLine(b, x, queries))
	}
	x.positions.mu.Lock()
	r.lines = append(r.lines, fmt.Sprintf("decoded positions of common bigrams held: %.0f MiB, %d terms×fields×segments",
		float64(x.positions.used)/(1<<20), len(x.positions.entries)))
	x.positions.mu.Unlock()
	// Over every timed pass: the figure the targets are about.
	var all []time.Duration
	for _, p := range passes {
		all = append(all, p.all...)
	}
	slices.Sort(all)
	r.p50, r.p99 = percentileMS(all, 0.50), percentileMS(all, 0.99)
	r.rssMB, r.anonMB, r.fileMB = procStatusMB(b, "VmRSS"), procStatusMB(b, "RssAnon"), procStatusMB(b, "RssFile")
	r.bytesPerDoc = float64(dirBytes(b, path)) / float64(docs)
	return r
}

// commonWordLine times, outside the mix, single words that most documents
// contain: the worst case, where facets count most of the index.
func commonWordLine(b *testing.B, x *Indexer, common []string) string {
	common = common[:min(20, len(common))]
	var ls, cpu []time.Duration
	for _, w := range common {
		cpuStart, start := processCPU(), time.Now()
		if _, err := x.Search(context.Background(), minyi.SearchQuery{Text: w}); err != nil {
			b.Fatalf("search %q: %v", w, err)
		}
		ls, cpu = append(ls, time.Since(start)), append(cpu, processCPU()-cpuStart)
	}
	slices.Sort(ls)
	slices.Sort(cpu)
	return fmt.Sprintf("not in the mix, the %d most frequent words (%s): p50 %.1f ms, max %.1f ms; processor time p50 %.1f ms, max %.1f ms",
		len(ls), strings.Join(common[:min(5, len(common))], " "), percentileMS(ls, 0.5), percentileMS(ls, 1),
		percentileMS(cpu, 0.5), percentileMS(cpu, 1))
}

// groupedLine times, outside the mix, its first 100 queries grouped by
// topic, as the search page's 按话题 switch runs them.
func groupedLine(b *testing.B, x *Indexer, queries []minyi.SearchQuery) string {
	var ls, cpu []time.Duration
	for _, q := range queries[:min(100, len(queries))] {
		q.GroupByTopic = true
		cpuStart, start := processCPU(), time.Now()
		if _, err := x.Search(context.Background(), q); err != nil {
			b.Fatalf("grouped search %+v: %v", q, err)
		}
		ls, cpu = append(ls, time.Since(start)), append(cpu, processCPU()-cpuStart)
	}
	slices.Sort(ls)
	slices.Sort(cpu)
	return fmt.Sprintf("not in the mix, %d of its queries grouped by topic: p50 %.1f ms, p99 %.1f ms; processor time p50 %.1f ms, p99 %.1f ms",
		len(ls), percentileMS(ls, 0.5), percentileMS(ls, 0.99), percentileMS(cpu, 0.5), percentileMS(cpu, 0.99))
}

// cachedIndex returns the path of the index of sc over the first docs
// documents, building it unless a complete one is cached, with its build
// time and when it was built.
func cachedIndex(b *testing.B, rt *realText, sc scheme, docs int) (string, float64, string) {
	root := os.Getenv("MINYI_BENCH_CACHE")
	if root == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			b.Fatalf("no cache directory (set MINYI_BENCH_CACHE): %v", err)
		}
		root = filepath.Join(dir, "minyi-bench")
	}
	m, err := newMapping(sc.analyzer)
	if err != nil {
		b.Fatal(err)
	}
	mj, err := json.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	// The mapping is in the key: an index of another mapping is another index.
	mapping := sha256.Sum256(mj)
	path := filepath.Join(root, fmt.Sprintf("search-%s-mapping%x-corpus%s-%d", sc.name, mapping[:4], rt.version, docs))
	marker := filepath.Join(path, "minyi-build-seconds")
	if data, err := os.ReadFile(marker); err == nil {
		secs, err := strconv.ParseFloat(string(data), 64)
		if err == nil {
			info, _ := os.Stat(marker)
			return path, secs, "on " + info.ModTime().UTC().Format("2006-01-02 15:04") + " UTC (cached)"
		}
	}
	// An index is built aside and moved in place when complete, so an
	// interrupted build is never taken for a cached one.
	part := path + ".part"
	if err := os.RemoveAll(part); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	secs := buildIndex(b, rt, sc, filepath.Join(part, "index"), docs)
	if err := os.WriteFile(filepath.Join(part, "index", "minyi-build-seconds"), []byte(strconv.FormatFloat(secs, 'f', 1, 64)), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.RemoveAll(path); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(filepath.Join(part, "index"), path); err != nil {
		b.Fatal(err)
	}
	os.Remove(part)
	return path, secs, "now"
}

// buildIndex indexes the first docs documents of the corpus in batches of
// 2,000, the documents of the next batch generated while bleve indexes the
// last, and closes the index, which persists every segment.
func buildIndex(b *testing.B, rt *realText, sc scheme, path string, docs int) float64 {
	const batch = 2000
	ctx := context.Background()
	m, err := newMapping(sc.analyzer)
	if err != nil {
		b.Fatal(err)
	}
	idx, err := newIndex(path, m)
	if err != nil {
		b.Fatal(err)
	}
	if sc.analyzer == BigramAnalyzerName {
		if err := idx.SetInternal(versionKey, []byte(strconv.Itoa(version))); err != nil {
			b.Fatal(err)
		}
	}
	x := &Indexer{idx: idx, phrase: sc.phrase}
	batches := make(chan []minyi.Document, 2)
	go func() {
		defer close(batches)
		for from := 0; from < docs; from += batch {
			ds := make([]minyi.Document, 0, batch)
			for i := from; i < min(docs, from+batch); i++ {
				ds = append(ds, rt.realPost(i))
			}
			batches <- ds
		}
	}()
	start, done := time.Now(), 0
	for ds := range batches {
		if err := x.Index(ctx, ds); err != nil {
			b.Fatal(err)
		}
		if done += len(ds); done%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "%s: %d of %d documents indexed in %s (load average %s)\n",
				sc.name, done, docs, time.Since(start).Round(time.Second), loadAverage())
		}
	}
	if err := x.Close(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start).Seconds()
}

// openScheme opens a built index with the queries of its scheme.
func openScheme(b *testing.B, path string, sc scheme) *Indexer {
	if sc.analyzer == BigramAnalyzerName {
		x, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		return x
	}
	idx, err := blevesearch.Open(path) // a version 1 index, which Open refuses
	if err != nil {
		b.Fatal(err)
	}
	return &Indexer{idx: idx, phrase: sc.phrase}
}

func dirBytes(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		b.Fatal(err)
	}
	return n
}

// loadAverage is the first three fields of /proc/loadavg: the machine is
// shared, and a figure means little without it.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}
