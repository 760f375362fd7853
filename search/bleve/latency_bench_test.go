package bleve

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis"
)

// What a city's residents write about, as slot values for the templates
// below. Query words are drawn from the same lists, so most queries match.
var (
	cityDistricts = []string{"东城区", "西湖区", "高新区", "经开区", "南湖区", "北山区", "滨江区", "老城区"}
	cityPlaces    = []string{"幸福里小区", "阳光花园", "锦绣家园", "和平路", "人民路", "解放大道", "第三中学",
		"市第一医院", "火车站", "中心菜市场", "金桂苑", "滨河公园", "工业园", "新华街道", "城南村", "翠湖名邸"}
	cityDepartments = []string{"市住建局", "市交通运输局", "市生态环境局", "区城管局", "市人社局", "市教育局",
		"市卫健委", "市水务集团", "供电公司", "市场监管局", "街道办事处", "自然资源局"}
	cityIssues = []struct{ title, detail string }{
		{"停车难", "小区停车位严重不足，晚上车都停到消防通道上了"},
		{"噪声扰民", "工地夜间施工到凌晨两点，噪声吵得老人孩子睡不着"},
		{"拆迁补偿", "拆迁补偿款迟迟不到位，评估价格也明显偏低"},
		{"物业收费", "物业费年年上涨，保洁和绿化却一点没有改善"},
		{"加装电梯", "老旧小区加装电梯进展缓慢，低层住户意见不统一"},
		{"供暖不达标", "冬季供暖温度只有十六度，家里老人冻得生病"},
		{"水质发黄", "自来水水质发黄还有异味，烧开后有很多水垢"},
		{"路灯不亮", "路灯坏了一个多月没人修，晚上走路很不安全"},
		{"占道经营", "菜市场周边占道经营严重，早晚高峰道路堵死"},
		{"拖欠工资", "农民工工资被拖欠半年，包工头一直躲着不见"},
		{"入学难", "孩子户口在学区内却分不到学位，入学难问题突出"},
		{"公交线路", "公交线路调整后出行不便，要多走两公里才能坐车"},
		{"垃圾清运", "垃圾清运不及时，垃圾桶满了好几天没人管"},
		{"违章建筑", "楼顶违章建筑越搭越高，存在很大的安全隐患"},
		{"医保报销", "异地就医医保报销手续繁琐，来回跑了好几趟"},
		{"燃气安全", "燃气管道老化漏气，楼道里经常闻到煤气味"},
		{"道路积水", "一下雨道路积水就没过膝盖，排水管网需要改造"},
		{"油烟污染", "楼下餐馆油烟直排，窗户都不敢打开"},
	}
	cityOpenings = []string{"本人是{district}{place}的居民，", "我家住在{place}附近，", "反映一个{district}的问题：",
		"各位领导好，", "作为在{place}生活了十几年的老住户，"}
	cityClosings = []string{"希望{dept}尽快协调解决。", "请问相关部门何时能给个答复？", "恳请领导重视这个问题。",
		"已经向{dept}反映过多次，至今没有结果。", "谢谢{dept}的工作人员及时处理！"}
	cityReplies = []string{"同感，我们那边也一样。", "顶一下，希望有人管管。", "{dept}的电话打过了，说在研究。",
		"上次反映后好了几天又恢复原样。", "支持楼主，转给街道看看。"}
	citySources = []struct {
		name string
		kind minyi.Kind
	}{{"city-forum", minyi.KindPost}, {"district-board", minyi.KindPost},
		{"mayor-mailbox", minyi.KindMessage}, {"hotline-12345", minyi.KindMessage}}
)

// corpusStart is the publication time of the oldest generated post; posts
// follow about every ten minutes, so 100,000 cover close to two years.
var corpusStart = time.Date(2024, 1, 1, 7, 0, 0, 0, minyi.ChinaTime)

// cityPost generates post i of a deterministic corpus: the same i gives the
// same document in every run.
func cityPost(i int) minyi.Document {
	rng := rand.New(rand.NewPCG(uint64(i), 0x6c6174))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	fill := func(s string) string {
		return strings.NewReplacer("{district}", pick(cityDistricts), "{place}", pick(cityPlaces),
			"{dept}", pick(cityDepartments)).Replace(s)
	}
	issue := cityIssues[rng.IntN(len(cityIssues))]
	place := pick(cityPlaces)
	src := citySources[rng.IntN(len(citySources))]
	var body strings.Builder
	body.WriteString(fill(pick(cityOpenings)))
	body.WriteString(place + issue.detail + "。")
	for range rng.IntN(6) {
		other := cityIssues[rng.IntN(len(cityIssues))]
		body.WriteString("另外，" + pick(cityPlaces) + other.detail + "。")
	}
	body.WriteString(fill(pick(cityClosings)))
	published := corpusStart.Add(time.Duration(i)*10*time.Minute + time.Duration(rng.IntN(600))*time.Second)
	d := minyi.Document{
		ID:        fmt.Sprintf("%s-%07d", src.name, i),
		Source:    src.name,
		Kind:      src.kind,
		Title:     fmt.Sprintf("关于%s%s%s的问题", pick(cityDistricts), place, issue.title),
		Body:      body.String(),
		Author:    fmt.Sprintf("市民%04d", rng.IntN(5000)),
		Published: published,
	}
	if src.kind == minyi.KindPost {
		for k := range rng.IntN(5) {
			d.Comments = append(d.Comments, minyi.Comment{Body: fill(pick(cityReplies)),
				Published: published.Add(time.Duration(k+1) * time.Hour)})
		}
	}
	return d
}

// queryClasses name the shapes of cityQueries, in the order it cycles through them.
var queryClasses = []string{"word", "two words", "phrase", "place+word", "word -exclusion"}

// cityQueries are the searches the benchmark times: single words, two-word
// ANDs, phrases and exclusions, with and without source and date filters,
// on pages 1 to 5.
func cityQueries(n, corpus int) []minyi.SearchQuery {
	rng := rand.New(rand.NewPCG(500, 99))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	issue := func() string { return cityIssues[rng.IntN(len(cityIssues))].title }
	days := int(time.Duration(corpus) * 10 * time.Minute / (24 * time.Hour))
	qs := make([]minyi.SearchQuery, n)
	for i := range qs {
		var q minyi.SearchQuery
		switch i % 5 {
		case 0:
			q.Text = issue()
		case 1:
			q.Text = issue() + " " + pick(cityDistricts)
		case 2:
			q.Text = `"` + pick(cityPlaces) + issue() + `"`
		case 3:
			q.Text = pick(cityPlaces) + " " + pick([]string{"电梯", "停车位", "噪声", "补偿款", "工资", "垃圾桶"})
		case 4:
			q.Text = issue() + " -" + pick(cityDepartments)
		}
		qs[i] = withFilters(rng, q, days)
	}
	return qs
}

// BenchmarkSearchLatency100k builds an on-disk index of 100,000 generated
// posts and times a mix of 500 searches, each with highlights and facets,
// as the API runs them.
func BenchmarkSearchLatency100k(b *testing.B) {
	if testing.Short() {
		b.Skip("indexes 100,000 posts; skipped with -short")
	}
	const corpus, batch, searches = 100_000, 1_000, 500
	analysis.Preload()
	ctx := context.Background()
	x := openTemp(b, filepath.Join(b.TempDir(), "index.bleve"))

	var indexing time.Duration
	docs := make([]minyi.Document, batch)
	for i := 0; i < corpus; i += batch {
		for k := range docs {
			docs[k] = cityPost(i + k)
		}
		start := time.Now()
		if err := x.Index(ctx, docs); err != nil {
			b.Fatal(err)
		}
		indexing += time.Since(start)
	}
	if n, err := x.Count(ctx); err != nil || n != corpus {
		b.Fatalf("index holds %d documents (%v); want %d", n, err, corpus)
	}

	queries := cityQueries(searches, corpus)
	var mix queryMixTimes
	for b.Loop() {
		mix.run(b, x, queries)
	}
	for _, l := range mix.classLines() {
		b.Log(l)
	}
	b.Logf("%d of %d searches found nothing", mix.empty, len(mix.all))
	mix.checkHits(b)
	latencies := mix.all
	slices.Sort(latencies)
	b.ReportMetric(percentileMS(latencies, 0.50), "p50-ms")
	b.ReportMetric(percentileMS(latencies, 0.99), "p99-ms")
	b.ReportMetric(procStatusMB(b, "VmRSS"), "rss-MB")
	b.ReportMetric(procStatusMB(b, "VmHWM"), "peak-rss-MB")
	b.ReportMetric(indexing.Seconds(), "build-s")
	b.ReportMetric(corpus/indexing.Seconds(), "build-docs/s")
}

// withFilters gives a query of the mix its source filter (half the time),
// date window (a third of the time) and page (1 to 5), as an analyst's
// searches have them.
func withFilters(rng *rand.Rand, q minyi.SearchQuery, days int) minyi.SearchQuery {
	if rng.IntN(2) == 0 {
		q.Source = citySources[rng.IntN(len(citySources))].name
	}
	if rng.IntN(3) == 0 {
		from := corpusStart.AddDate(0, 0, rng.IntN(max(days-30, 1)))
		q.From, q.To = from, from.AddDate(0, 0, 7+rng.IntN(180))
	}
	q.Page, q.PageSize = 1+rng.IntN(5), minyi.DefaultPageSize
	return q
}

// queryMixTimes are the latencies of a query mix: all of them, by query
// class (unfiltered, filtered), the matches of each search and how many
// found nothing.
type queryMixTimes struct {
	all     []time.Duration
	byClass map[string][2][]time.Duration
	// The processor time of each search, the process's over its span: on a
	// shared machine, where the wall time counts waits for a processor too.
	cpu        []time.Duration
	cpuByClass map[string][2][]time.Duration
	totals     []int
	empty      int
	queries    []minyi.SearchQuery // in the order of all, cpu and totals
}

// run searches every query once; query i is of class queryClasses[i%5].
func (m *queryMixTimes) run(b *testing.B, x *Indexer, queries []minyi.SearchQuery) {
	if m.byClass == nil {
		m.byClass, m.cpuByClass = map[string][2][]time.Duration{}, map[string][2][]time.Duration{}
	}
	for i, q := range queries {
		cpuStart, start := processCPU(), time.Now()
		res, err := x.Search(context.Background(), q)
		took, cpu := time.Since(start), processCPU()-cpuStart
		if err != nil {
			b.Fatalf("search %+v: %v", q, err)
		}
		m.all = append(m.all, took)
		class, filtered := queryClasses[i%len(queryClasses)], 0
		if q.Source != "" || !q.From.IsZero() {
			filtered = 1
		}
		ls := m.byClass[class]
		ls[filtered] = append(ls[filtered], took)
		m.byClass[class] = ls
		m.cpu = append(m.cpu, cpu)
		cs := m.cpuByClass[class]
		cs[filtered] = append(cs[filtered], cpu)
		m.cpuByClass[class] = cs
		m.totals = append(m.totals, int(res.Total))
		m.queries = append(m.queries, q)
		if res.Total == 0 {
			m.empty++
		}
	}
}

// classLines are the p50/p99 of each query class, plain and filtered.
func (m *queryMixTimes) classLines() []string {
	var lines []string
	for _, class := range queryClasses {
		ls := m.byClass[class]
		slices.Sort(ls[0])
		slices.Sort(ls[1])
		lines = append(lines, fmt.Sprintf("%-16s p50/p99 ms: %6.1f /%6.1f plain (%d), %6.1f /%6.1f with source or date filter (%d)", class,
			percentileMS(ls[0], 0.50), percentileMS(ls[0], 0.99), len(ls[0]),
			percentileMS(ls[1], 0.50), percentileMS(ls[1], 0.99), len(ls[1])))
	}
	return lines
}

// passSpreadLines are each pass's p50/p99, overall and by query class,
// side by side: pass 1 / pass 2 / pass 3.
func passSpreadLines(passes []queryMixTimes, loads []string) []string {
	spread := func(ls func(m *queryMixTimes) []time.Duration) string {
		var p50, p99 []string
		for k := range passes {
			sorted := slices.Sorted(slices.Values(ls(&passes[k])))
			p50 = append(p50, fmt.Sprintf("%.1f", percentileMS(sorted, 0.50)))
			p99 = append(p99, fmt.Sprintf("%.1f", percentileMS(sorted, 0.99)))
		}
		return fmt.Sprintf("p50 %s, p99 %s", strings.Join(p50, " / "), strings.Join(p99, " / "))
	}
	lines := []string{fmt.Sprintf("%d timed passes (load average after each: %s): %s ms; processor time %s ms", len(passes),
		strings.Join(loads, " | "), spread(func(m *queryMixTimes) []time.Duration { return m.all }),
		spread(func(m *queryMixTimes) []time.Duration { return m.cpu }))}
	for _, class := range queryClasses {
		for f, kind := range []string{"plain", "filtered"} {
			lines = append(lines, fmt.Sprintf("  %-16s %-8s %s ms; processor time %s ms", class, kind,
				spread(func(m *queryMixTimes) []time.Duration { return m.byClass[class][f] }),
				spread(func(m *queryMixTimes) []time.Duration { return m.cpuByClass[class][f] })))
		}
	}
	return lines
}

// slowestLine names the searches of a pass that took the most processor
// time: what a change for the p99 has to make faster.
func (m *queryMixTimes) slowestLine(n int) string {
	order := make([]int, len(m.cpu))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(m.cpu[b], m.cpu[a]) })
	var parts []string
	for _, i := range order[:min(n, len(order))] {
		q := m.queries[i]
		parts = append(parts, fmt.Sprintf("%q (%s, %d matches, page %d%s): %.1f ms processor, %.1f ms wall",
			q.Text, queryClasses[i%len(queryClasses)], m.totals[i], q.Page, map[bool]string{true: ", filtered"}[q.Source != "" || !q.From.IsZero()],
			float64(m.cpu[i].Microseconds())/1000, float64(m.all[i].Microseconds())/1000))
	}
	return "slowest searches of the last pass: " + strings.Join(parts, "; ")
}

// querySampleDigest names a query mix, so that two runs' figures can be
// seen to time the same searches.
func querySampleDigest(qs []minyi.SearchQuery) string {
	h := sha256.New()
	for _, q := range qs {
		fmt.Fprintf(h, "%q %q %d %d %d %d\n", q.Text, q.Source, q.From.Unix(), q.To.Unix(), q.Page, q.PageSize)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// checkHits fails a mix that mostly misses: filters and deep pages may
// legitimately find nothing, but such a mix would time the cheap path only.
func (m *queryMixTimes) checkHits(b *testing.B) {
	if m.empty > len(m.all)/4 {
		b.Fatalf("%d of %d searches found nothing; the query mix does not fit the corpus", m.empty, len(m.all))
	}
}

// percentileMS is the p-quantile of sorted latencies, in milliseconds.
func percentileMS(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}

// procStatusMB reads a memory figure of this process from /proc/self/status.
func procStatusMB(b *testing.B, field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status to read %s from: %v", field, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			b.Fatalf("/proc/self/status %s: %v", field, err)
		}
		return kb / 1024
	}
	b.Fatalf("/proc/self/status has no %s", field)
	return 0
}
