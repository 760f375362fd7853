package web_test

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/analysis"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/calendar"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// What a city's residents write about, as in search/bleve's
// BenchmarkSearchLatency100k (a test file, so not importable): slot values
// for the templates below. Search words are drawn from the same lists.
var (
	benchDistricts = []string{"东城区", "西湖区", "高新区", "经开区", "南湖区", "北山区", "滨江区", "老城区"}
	benchPlaces    = []string{"幸福里小区", "阳光花园", "锦绣家园", "和平路", "人民路", "解放大道", "第三中学",
		"市第一医院", "火车站", "中心菜市场", "金桂苑", "滨河公园", "工业园", "新华街道", "城南村", "翠湖名邸"}
	benchIssues = []struct{ title, detail, dept string }{
		{"停车难", "小区停车位严重不足，晚上车都停到消防通道上了", "traffic"},
		{"噪声扰民", "工地夜间施工到凌晨两点，噪声吵得老人孩子睡不着", "environment"},
		{"拆迁补偿", "拆迁补偿款迟迟不到位，评估价格也明显偏低", "housing"},
		{"物业收费", "物业费年年上涨，保洁和绿化却一点没有改善", "housing"},
		{"加装电梯", "老旧小区加装电梯进展缓慢，低层住户意见不统一", "housing"},
		{"供暖不达标", "冬季供暖温度只有十六度，家里老人冻得生病", "utilities"},
		{"水质发黄", "自来水水质发黄还有异味，烧开后有很多水垢", "water"},
		{"路灯不亮", "路灯坏了一个多月没人修，晚上走路很不安全", "urban"},
		{"占道经营", "菜市场周边占道经营严重，早晚高峰道路堵死", "urban"},
		{"拖欠工资", "农民工工资被拖欠半年，包工头一直躲着不见", "labor"},
		{"入学难", "孩子户口在学区内却分不到学位，入学难问题突出", "education"},
		{"公交线路", "公交线路调整后出行不便，要多走两公里才能坐车", "traffic"},
		{"垃圾清运", "垃圾清运不及时，垃圾桶满了好几天没人管", "urban"},
		{"违章建筑", "楼顶违章建筑越搭越高，存在很大的安全隐患", "urban"},
		{"医保报销", "异地就医医保报销手续繁琐，来回跑了好几趟", "health"},
		{"燃气安全", "燃气管道老化漏气，楼道里经常闻到煤气味", "utilities"},
		{"道路积水", "一下雨道路积水就没过膝盖，排水管网需要改造", "water"},
		{"油烟污染", "楼下餐馆油烟直排，窗户都不敢打开", "environment"},
	}
	benchOpenings = []string{"本人是{district}{place}的居民，", "我家住在{place}附近，", "反映一个{district}的问题：",
		"各位领导好，", "作为在{place}生活了十几年的老住户，"}
	benchClosings = []string{"希望{dept}尽快协调解决。", "请问相关部门何时能给个答复？", "恳请领导重视这个问题。",
		"已经向{dept}反映过多次，至今没有结果。", "谢谢{dept}的工作人员及时处理！"}
	benchReplies = []string{"同感，我们那边也一样。", "顶一下，希望有人管管。", "{dept}的电话打过了，说在研究。",
		"上次反映后好了几天又恢复原样。", "支持楼主，转给街道看看。"}
	benchSources = []struct {
		name string
		kind minyi.Kind
	}{{"city-forum", minyi.KindPost}, {"district-board", minyi.KindPost},
		{"mayor-mailbox", minyi.KindMessage}, {"hotline-12345", minyi.KindMessage}}

	// The ten departments the cases go to.
	benchDepartments = []minyi.Department{
		{ID: "housing", Name: "市住建局"}, {ID: "traffic", Name: "市交通运输局"},
		{ID: "environment", Name: "市生态环境局"}, {ID: "urban", Name: "区城管局"},
		{ID: "labor", Name: "市人社局"}, {ID: "education", Name: "市教育局"},
		{ID: "health", Name: "市卫健委"}, {ID: "water", Name: "市水务集团"},
		{ID: "utilities", Name: "市公用事业局"}, {ID: "market", Name: "市场监管局"},
	}
)

// benchPost generates post i of n, a deterministic corpus whose newest post
// is a little before now and whose posts follow about every ten minutes
// (100,000 cover close to two years). issue is the index of its subject.
func benchPost(i, n int, now time.Time) (minyi.Document, int) {
	rng := rand.New(rand.NewPCG(uint64(i), 0x706167))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	deptName := func() string { return benchDepartments[rng.IntN(len(benchDepartments))].Name }
	fill := func(s string) string {
		return strings.NewReplacer("{district}", pick(benchDistricts), "{place}", pick(benchPlaces),
			"{dept}", deptName()).Replace(s)
	}
	issue := rng.IntN(len(benchIssues))
	place := pick(benchPlaces)
	src := benchSources[rng.IntN(len(benchSources))]
	var body strings.Builder
	body.WriteString(fill(pick(benchOpenings)))
	body.WriteString(place + benchIssues[issue].detail + "。")
	for range rng.IntN(6) {
		body.WriteString("另外，" + pick(benchPlaces) + benchIssues[rng.IntN(len(benchIssues))].detail + "。")
	}
	body.WriteString(fill(pick(benchClosings)))
	published := now.Add(-time.Duration(n-i)*10*time.Minute - time.Duration(rng.IntN(600))*time.Second)
	d := minyi.Document{
		ID:        fmt.Sprintf("%s-%07d", src.name, i),
		Source:    src.name,
		Kind:      src.kind,
		Title:     fmt.Sprintf("关于%s%s%s的问题", pick(benchDistricts), place, benchIssues[issue].title),
		Body:      body.String(),
		Author:    fmt.Sprintf("市民%04d", rng.IntN(5000)),
		Published: published,
		Fetched:   published.Add(time.Duration(rng.IntN(3600)) * time.Second),
	}
	if src.kind == minyi.KindPost {
		for k := range rng.IntN(5) {
			d.Comments = append(d.Comments, minyi.Comment{Body: fill(pick(benchReplies)),
				Published: published.Add(time.Duration(k+1) * time.Hour)})
		}
	} else {
		d.MessageType = string(minyi.MessageTypes[rng.IntN(len(minyi.MessageTypes))])
	}
	return d, issue
}

// benchCase makes the case of message doc (the k-th case), received in the
// last four months, with a status and rung that fit its age: young cases
// are mostly open, old ones mostly answered or closed, some overdue at
// every rung. The message is received when the case is, so doc's times
// move to the case's.
func benchCase(k int, doc *minyi.Document, issue int, now time.Time) minyi.Case {
	rng := rand.New(rand.NewPCG(uint64(k), 0x63617365))
	const day = 24 * time.Hour
	age := time.Duration(rng.Int64N(int64(120 * day)))
	received := now.Add(-age)
	doc.Published, doc.Fetched = received.Add(-time.Duration(rng.IntN(3600))*time.Second), received
	dept := benchIssues[issue].dept
	if rng.IntN(10) == 0 { // misrouted or shared: any department, market included
		dept = benchDepartments[rng.IntN(len(benchDepartments))].ID
	}
	due := received.Add(21 * day) // 15 working days
	c := minyi.Case{
		ID: minyi.CaseIDFor(doc.ID), DocumentID: doc.ID, Source: doc.Source, Title: doc.Title,
		MessageType: minyi.MessageType(doc.MessageType), Category: benchIssues[issue].title,
		Region: benchDistricts[rng.IntN(len(benchDistricts))], Department: dept,
		Routing:  &minyi.Routing{Department: dept, Rule: benchIssues[issue].title, Reason: "标题含“" + benchIssues[issue].title + "”", At: received.Add(time.Minute)},
		Received: received, Due: due, Status: minyi.CaseOpen, Updated: received.Add(time.Minute),
	}
	if rng.IntN(20) == 0 {
		c.Extended, c.Due = true, c.Due.Add(10*day)
	}
	answered := func() {
		c.Status = minyi.CaseAnswered
		c.Answered = received.Add(time.Duration(rng.Int64N(max(int64(min(age, 35*day)), 1))))
		c.OnTime = !c.Answered.After(c.Due)
		c.Updated = c.Answered
		if !c.OnTime {
			c.Rung = []minyi.Rung{minyi.RungOverdue, minyi.RungUrge, minyi.RungSupervise}[rng.IntN(3)]
		}
		if age > 28*day && rng.IntN(3) > 0 {
			c.Status = minyi.CaseClosed
			c.Rating = []minyi.Rating{minyi.RatingSatisfied, minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied}[rng.IntN(4)]
		}
	}
	switch young := now.Before(c.Due); {
	case young && rng.IntN(5) == 0, !young && rng.IntN(5) > 0:
		answered()
	case young:
		if c.Due.Sub(now) < 3*day {
			c.Rung = minyi.RungReminder
		}
	default: // overdue: the rung reached by the days past due
		switch over := now.Sub(c.Due); {
		case over < 2*day:
			c.Rung = minyi.RungOverdue
		case over < 7*day:
			c.Rung = minyi.RungUrge
		case over < 14*day:
			c.Rung = minyi.RungSupervise
		default:
			c.Rung = minyi.RungNotice
		}
	}
	if rng.IntN(15) == 0 {
		c.Returns = 1
	}
	return c
}

// benchPagesVersion names the generators above: change it with them, so
// that a cached store and index are rebuilt.
const benchPagesVersion = "1"

func benchEnvInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// BenchmarkPageRender times the server side of the staff pages, as a
// browser asks for them, over MINYI_BENCH_PAGE_DOCS documents (default
// 100,000; a large city's year is 1,000,000) in SQLite and an on-disk bleve
// index, MINYI_BENCH_PAGE_CASES cases (default 10,000; 100,000 for that
// year) over ten departments: a department's inbox, the supervisor's overdue
// board, one group of the board a page at a time, the statistics page and
// search pages, and stats-write: the statistics page right after a case
// write, which no kept answer survives. Each page is asked
// MINYI_BENCH_PAGE_REQUESTS times (default 200); every answer must be a 200 with the content expected from the
// seeded data. With MINYI_BENCH_CACHE set, the filled store and index are
// kept there and reused by the next run of the same size (make
// bench-pages-1m). Documents are generated and written 2,000 at a time, so
// memory grows with the cases kept for the checks, not with the documents.
// MINYI_BENCH_PAGE_ONLY=stats,search times only the pages named.
//
// Besides each page's p50 and p99: a first pass of searches timed apart
// (search-cold), the engine alone on every search the
// page made (what the page adds is the difference), and the slowest stats
// page that counted the cases rather than being served the store's kept
// result (the first of each period; in production, the first after a case
// is written).
func BenchmarkPageRender(b *testing.B) {
	if testing.Short() {
		b.Skip("fills a store and an index with 100,000 documents; skipped with -short")
	}
	nDocs := benchEnvInt(b, "MINYI_BENCH_PAGE_DOCS", 100_000)
	nCases := benchEnvInt(b, "MINYI_BENCH_PAGE_CASES", 10_000)
	nReq := benchEnvInt(b, "MINYI_BENCH_PAGE_REQUESTS", 200)
	const batch = 2_000
	analysis.Preload()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, minyi.ChinaTime) // a Monday

	dir := b.TempDir()
	cached := false
	if root := os.Getenv("MINYI_BENCH_CACHE"); root != "" {
		dir = filepath.Join(root, fmt.Sprintf("pages-v%s-%d-%d", benchPagesVersion, nDocs, nCases))
		_, err := os.Stat(filepath.Join(dir, "complete"))
		cached = err == nil
		if !cached {
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
		}
	}
	st, err := sqlite.Open(filepath.Join(dir, "minyi.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	index, err := bleve.Open(filepath.Join(dir, "index.bleve"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { index.Close() })
	cal, err := calendar.New(nil)
	if err != nil {
		b.Fatal(err)
	}

	// Documents, newest last; the newest messages get the cases, which
	// are written once their documents are. The cases are generated again
	// when the store comes from the cache: the page checks need them.
	fill := time.Now()
	var cases []minyi.Case
	docs := make([]minyi.Document, 0, batch)
	for i := 0; i < nDocs; i += batch {
		docs = docs[:0]
		for k := i; k < min(i+batch, nDocs); k++ {
			d, issue := benchPost(k, nDocs, now)
			// Messages of the last part of the corpus open cases: enough of
			// them that the newest nCases messages (about half the posts
			// are messages) all have one.
			if d.Kind == minyi.KindMessage && k >= nDocs-3*nCases && len(cases) < nCases {
				cases = append(cases, benchCase(len(cases), &d, issue, now))
			}
			if !cached {
				d.ContentHash = d.Hash()
				docs = append(docs, d)
			}
		}
		if cached {
			continue
		}
		// The store and the index take the batch at the same time.
		stored := make(chan error, 1)
		go func() { _, err := st.PutDocuments(ctx, docs); stored <- err }()
		if err := index.Index(ctx, docs); err != nil {
			b.Fatal(err)
		}
		if err := <-stored; err != nil {
			b.Fatal(err)
		}
	}
	if len(cases) < nCases {
		b.Fatalf("%d documents have only %d messages for %d cases; raise MINYI_BENCH_PAGE_DOCS", nDocs, len(cases), nCases)
	}
	if !cached {
		for i := 0; i < len(cases); i += batch {
			if err := st.PutCases(ctx, cases[i:min(i+batch, len(cases))]); err != nil {
				b.Fatal(err)
			}
		}
	}
	if n, err := index.Count(ctx); err != nil || n != uint64(nDocs) {
		b.Fatalf("index holds %d documents (%v); want %d", n, err, nDocs)
	}
	if n, err := st.CountDocuments(ctx); err != nil || n != nDocs {
		b.Fatalf("store holds %d documents (%v); want %d", n, err, nDocs)
	}
	if !cached && os.Getenv("MINYI_BENCH_CACHE") != "" {
		if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled the store and index with %d documents and %d cases in %s (from the cache: %v)",
		nDocs, len(cases), time.Since(fill).Round(time.Second), cached)

	// Users: the supervisor, an analyst and one token per department.
	const tokSup, tokAna = "bench-supervisor-token-0123", "bench-analyst-token-0123456"
	users := []core.TokenUser{
		{Name: "督查室", Token: tokSup, Role: core.RoleSupervisor},
		{Name: "舆情分析", Token: tokAna, Role: core.RoleAnalyst},
	}
	deptToken := map[string]string{}
	for _, d := range benchDepartments {
		deptToken[d.ID] = "bench-dept-token-" + d.ID + "-0123456789"
		users = append(users, core.TokenUser{Name: d.Name, Token: deptToken[d.ID], Role: core.RoleDepartment, Department: d.ID})
	}
	srv := &core.Server{
		Store: st, Index: index, Users: users, Departments: benchDepartments, Calendar: cal,
		Cases: &apitest.RecordingUpdater{}, AttachmentDir: b.TempDir(),
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	handler := srv.Handler()

	// What each page must show, from the seeded cases.
	openBy := map[string][]minyi.Case{}
	var overdue []minyi.Case
	status := map[minyi.CaseStatus]int{}
	for _, c := range cases {
		status[c.Status]++
		if c.Status == minyi.CaseOpen {
			openBy[c.Department] = append(openBy[c.Department], c)
		}
		if c.Overdue(now) {
			overdue = append(overdue, c)
		}
	}
	b.Logf("cases: %d open (%d overdue), %d answered, %d closed", status[minyi.CaseOpen], len(overdue),
		status[minyi.CaseAnswered], status[minyi.CaseClosed])
	// The board's groups, oldest due first, and the department with most.
	type groupKey struct {
		dept string
		rung minyi.Rung
	}
	groups := map[groupKey][]minyi.Case{}
	perDept := map[string]int{}
	for _, c := range overdue {
		k := groupKey{c.Department, minyi.BoardRung(c.Rung)}
		groups[k] = append(groups[k], c)
		perDept[c.Department]++
	}
	for _, g := range groups {
		slices.SortFunc(g, func(a, b minyi.Case) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
	}
	busiest := ""
	for d, n := range perDept {
		if n > perDept[busiest] || n == perDept[busiest] && d < busiest {
			busiest = d
		}
	}
	var inboxDepts []string
	for _, d := range benchDepartments {
		if len(openBy[d.ID]) > 0 {
			inboxDepts = append(inboxDepts, d.ID)
		}
	}
	if len(inboxDepts) == 0 || len(overdue) == 0 {
		b.Fatalf("the seeded cases have no open (%d departments) or no overdue (%d) cases", len(inboxDepts), len(overdue))
	}
	// The inbox's first row: the open case due first (overdue ones are due earliest).
	firstDue := func(cs []minyi.Case) minyi.Case {
		return slices.MinFunc(cs, func(a, b minyi.Case) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
	}
	total := func(n int) string { return fmt.Sprintf("共 %d 条", n) }
	const statsPeriods = 5 // the periods the stats page is asked for
	lastMonth := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, minyi.ChinaTime)

	type request struct {
		path, token string
		want        []string
		page        int // of a search
	}
	rng := rand.New(rand.NewPCG(7, 7))
	// The stats page over its periods; a random department's row must show.
	statsRequest := func(i int) request {
		periods := []struct{ q, label string }{
			{"", lastMonth.Format("2006-01")},
			{"?month=" + now.Format("2006-01"), now.Format("2006-01")},
			{"?quarter=2026-Q4", "2026-Q4"},
			{"?year=2026", "2026"},
			{"?from=2026-08-01&to=2026-11-22", "2026-08-01 ~ 2026-11-22"},
		}
		p := periods[i%statsPeriods]
		d := benchDepartments[rng.IntN(len(benchDepartments)-1)] // market may have no cases in a period
		return request{"/stats" + p.q, tokSup, []string{"统计周期：" + p.label, `<tr data-department="` + d.ID + `">`}, 0}
	}
	pages := []struct {
		name string
		make func(i int) request
	}{
		{"inbox", func(i int) request {
			d := inboxDepts[i%len(inboxDepts)]
			return request{"/inbox", deptToken[d], []string{total(len(openBy[d])), `data-case="` + firstDue(openBy[d]).ID + `"`}, 0}
		}},
		{"overdue", func(i int) request {
			// The board: every department with overdue cases, the busiest first.
			return request{"/overdue", tokSup, []string{total(len(overdue)),
				`<tr data-department="` + busiest + `">`, `href="/overdue?department=` + busiest + `"`}, 0}
		}},
		{"overdue-group", func(i int) request {
			// One group of the board at the page that holds a random overdue case.
			c := overdue[rng.IntN(len(overdue))]
			k := groupKey{c.Department, minyi.BoardRung(c.Rung)}
			pos := slices.IndexFunc(groups[k], func(x minyi.Case) bool { return x.ID == c.ID })
			v := url.Values{"department": {k.dept}, "rung": {string(k.rung)}}
			if page := pos/minyi.DefaultPageSize + 1; page > 1 {
				v.Set("page", strconv.Itoa(page))
			}
			return request{"/overdue?" + v.Encode(), tokSup, []string{total(len(overdue)),
				fmt.Sprintf("%d 件", len(groups[k])), `data-case="` + c.ID + `"`}, 0}
		}},
		{"stats", statsRequest},
		{"stats-write", func(i int) request {
			// The same periods, each right after a case write (the case as
			// it is, written again): in production cases are written all
			// the time, so the store counts again rather than serve what it
			// kept.
			if err := st.PutCase(ctx, cases[i%len(cases)]); err != nil {
				b.Fatal(err)
			}
			return statsRequest(i)
		}},
		{"search", func(i int) request {
			pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
			issue := func() string { return benchIssues[rng.IntN(len(benchIssues))].title }
			var q string
			switch i % 5 {
			case 0:
				q = issue()
			case 1:
				q = issue() + " " + pick(benchDistricts)
			case 2:
				q = `"` + pick(benchPlaces) + issue() + `"`
			case 3:
				q = pick(benchPlaces) + " " + pick([]string{"电梯", "停车位", "噪声", "补偿款", "工资", "垃圾桶"})
			case 4:
				q = issue() + " -" + pick(benchDistricts)
			}
			v := url.Values{"q": {q}}
			if rng.IntN(3) == 0 {
				v.Set("source", benchSources[rng.IntN(len(benchSources))].name)
			}
			if rng.IntN(4) == 0 {
				v.Set("from", now.AddDate(0, -1-rng.IntN(6), 0).Format(time.DateOnly))
				v.Set("to", now.Format(time.DateOnly))
			}
			p := 1 + rng.IntN(3)
			if p > 1 {
				v.Set("page", strconv.Itoa(p))
			}
			return request{"/search?" + v.Encode(), tokAna, []string{`id="hits-h"`}, p}
		}},
	}

	// MINYI_BENCH_PAGE_ONLY names the pages to time (comma-separated), to
	// profile one page at a time.
	if only := os.Getenv("MINYI_BENCH_PAGE_ONLY"); only != "" {
		names := strings.Split(only, ",")
		pages = slices.DeleteFunc(pages, func(p struct {
			name string
			make func(i int) request
		}) bool {
			return !slices.Contains(names, p.name)
		})
		if len(pages) == 0 {
			b.Fatalf("MINYI_BENCH_PAGE_ONLY=%q names no page", only)
		}
	}
	searchTotal := regexp.MustCompile(`id="hits-h">共 (\d+) 条`)
	latencies := make([][]time.Duration, len(pages))
	searches, emptySearches := 0, 0
	// The first asking of each period counts the cases; the store keeps
	// the result for the others (no case is written meanwhile).
	var statsComputed time.Duration
	// The engine alone on each search the page made, right after it: what
	// the page adds is the difference.
	var engine []time.Duration
	parser := echo.New()
	serve := func(r request) (*http.Request, *httptest.ResponseRecorder, time.Duration) {
		req := httptest.NewRequest(http.MethodGet, r.path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		req.Header.Set("Authorization", "Bearer "+r.token)
		rec := httptest.NewRecorder()
		start := time.Now()
		handler.ServeHTTP(rec, req)
		return req, rec, time.Since(start)
	}
	// The first searches after the index opens read its pages from disk
	// and decode the positions of its common bigrams, which search/bleve
	// then keeps. As the engine's own benchmark times its first pass
	// apart, a pass of other searches of the same mix is timed first
	// (search-cold), so that the pages' figures are a running server's.
	var cold []time.Duration
	if i := slices.IndexFunc(pages, func(p struct {
		name string
		make func(i int) request
	}) bool {
		return p.name == "search"
	}); i >= 0 {
		for j := range nReq {
			r := pages[i].make(j)
			_, rec, d := serve(r)
			if rec.Code != http.StatusOK {
				b.Fatalf("search %s: status %d: %.600s", r.path, rec.Code, rec.Body)
			}
			cold = append(cold, d)
		}
	}
	for b.Loop() {
		for p, page := range pages {
			for i := range nReq {
				r := page.make(i)
				req, rec, d := serve(r)
				latencies[p] = append(latencies[p], d)
				if page.name == "stats" && i < statsPeriods {
					statsComputed = max(statsComputed, d)
				}

				body := rec.Body.String()
				if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
					b.Fatalf("%s %s: status %d, %s: %.600s", page.name, r.path, rec.Code, rec.Header().Get("Content-Type"), body)
				}
				for _, w := range r.want {
					if !strings.Contains(body, w) {
						b.Fatalf("%s %s: page lacks %q: %.600s", page.name, r.path, w, body)
					}
				}
				if page.name == "search" {
					searches++
					q, err := core.SearchParams(parser.NewContext(req, httptest.NewRecorder()))
					if err != nil {
						b.Fatalf("search %s: %v", r.path, err)
					}
					start := time.Now()
					if _, err := index.Search(ctx, q); err != nil {
						b.Fatalf("search %s: engine: %v", r.path, err)
					}
					engine = append(engine, time.Since(start))
					m := searchTotal.FindStringSubmatch(body)
					if m == nil {
						b.Fatalf("search %s: no hit count on the page", r.path)
					}
					// A page past the last hit shows none (and so no highlight).
					n, _ := strconv.Atoi(m[1])
					if n <= (r.page-1)*minyi.DefaultPageSize {
						emptySearches++
					} else if !strings.Contains(body, "<mark>") {
						b.Fatalf("search %s: %d hits but nothing highlighted: %.600s", r.path, n, body)
					}
				}
			}
		}
	}
	// Filters and deep pages may find nothing, but a mix that mostly misses
	// would time the cheap path only.
	if emptySearches > searches/4 {
		b.Fatalf("%d of %d searches found nothing; the query mix does not fit the corpus", emptySearches, searches)
	}
	b.Logf("%d of %d searches found nothing", emptySearches, searches)
	for p, page := range pages {
		ls := latencies[p]
		slices.Sort(ls)
		b.ReportMetric(pageMS(ls, 0.50), page.name+"-p50-ms")
		b.ReportMetric(pageMS(ls, 0.99), page.name+"-p99-ms")
	}
	if statsComputed > 0 {
		b.ReportMetric(float64(statsComputed.Microseconds())/1000, "stats-computed-max-ms")
	}
	if len(cold) > 0 {
		slices.Sort(cold)
		b.ReportMetric(pageMS(cold, 0.50), "search-cold-p50-ms")
		b.ReportMetric(pageMS(cold, 0.99), "search-cold-p99-ms")
	}
	if len(engine) > 0 {
		slices.Sort(engine)
		b.ReportMetric(pageMS(engine, 0.50), "search-engine-p50-ms")
		b.ReportMetric(pageMS(engine, 0.99), "search-engine-p99-ms")
	}
	b.ReportMetric(float64(nDocs), "docs")
	b.ReportMetric(float64(len(cases)), "cases")
}

// pageMS is the p-quantile of sorted latencies, in milliseconds.
func pageMS(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}
