package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

const (
	pageTokAnalyst    = "page-test-token-analyst"
	pageTokDepartment = "page-test-token-housing"
)

// memAlerts is an AlertBook for the tests.
type memAlerts struct {
	mu     sync.Mutex
	subs   []core.AlertSubscription
	raised []core.RaisedAlert
}

func (m *memAlerts) Subscriptions(context.Context) ([]core.AlertSubscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]core.AlertSubscription(nil), m.subs...), nil
}

func (m *memAlerts) AddSubscription(_ context.Context, s core.AlertSubscription, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.subs {
		if x.Name == s.Name {
			return minyi.Errorf(minyi.ECONFLICT, "exists")
		}
	}
	m.subs = append(m.subs, s)
	return nil
}

func (m *memAlerts) RemoveSubscription(_ context.Context, name, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.subs {
		if x.Name == name {
			m.subs = append(m.subs[:i], m.subs[i+1:]...)
			return nil
		}
	}
	return minyi.Errorf(minyi.ENOTFOUND, "no subscription %s", name)
}

func (m *memAlerts) Raised(context.Context, int) ([]core.RaisedAlert, error) {
	return m.raised, nil
}

// scriptTitle is a title a citizen might post to attack an analyst's browser.
const scriptTitle = `<script>window.pwned=1</script>拆迁补偿<b>加粗</b>`

func newPageServer(t *testing.T) (*testServer, *memAlerts) {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	index, err := bleve.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	alerts := &memAlerts{
		subs:   []core.AlertSubscription{{Name: "拆迁", Keyword: "拆迁补偿", Department: "housing"}},
		raised: []core.RaisedAlert{{Key: "k", Title: "舆情预警：“拆迁补偿”负面信息激增", Text: "<i>负面</i> 5", Start: apitest.Now, End: apitest.Now, Count: 5, Baseline: 1}},
	}
	srv := &core.Server{
		Store: store, Index: index, Ingester: &apitest.Ingester{Index: index},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    func() time.Time { return apitest.Now },
		Users: []core.TokenUser{
			{Name: "analyst", Token: pageTokAnalyst, Role: core.RoleAnalyst},
			{Name: "housing", Token: pageTokDepartment, Role: core.RoleDepartment, Department: "housing"},
		},
		Departments: []minyi.Department{{ID: "housing", Name: "住建局"}},
		Alerts:      alerts,
	}
	ts := &testServer{&apitest.Env{T: t, Store: store, Index: index, Handler: apitest.ContractHandler(t, srv.Handler()), Server: srv}}
	docs := apitest.ForumPosts()
	docs = append(docs, minyi.Document{ID: "x1", Source: "city-forum", Kind: minyi.KindPost, Title: scriptTitle,
		Body:      "正文<img src=x onerror=alert(1)>里也有拆迁补偿。" + strings.Repeat("很长的正文。", 200) + "结尾再提拆迁补偿",
		Published: apitest.Now.Add(-time.Hour), URL: "https://bbs.example.cn/thread-1",
		Contact: &minyi.Contact{Name: "张三", Phone: "13800000000"}})
	ts.Seed(docs...)
	return ts, alerts
}

func (ts *testServer) page(method, path, token string, form url.Values) *httptest.ResponseRecorder {
	ts.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return ts.Do(req)
}

func wantPage(t *testing.T, rec *httptest.ResponseRecorder, status int, want ...string) string {
	t.Helper()
	body := rec.Body.String()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, bad := range []string{"<script>window.pwned", "<b>加粗", "<img src=x", "<i>负面"} {
		if strings.Contains(body, bad) {
			t.Errorf("page carries markup from a post unescaped: %q", bad)
		}
	}
	return body
}

func TestSearchPageHighlightsAndEscapes(t *testing.T) {
	ts, _ := newPageServer(t)
	body := wantPage(t, ts.page("GET", "/search?q="+url.QueryEscape("拆迁补偿"), pageTokAnalyst, nil), http.StatusOK,
		"<mark>拆迁补偿</mark>", "&lt;script&gt;window.pwned=1&lt;/script&gt;", "共 4 条",
		`href="/search?q=%E6%8B%86%E8%BF%81%E8%A1%A5%E5%81%BF&amp;source=city-forum"`, // a facet is a filter link
		`href="/documents/f1"`, "/search/export?q=")
	// The long body shows a fragment around the match, not the whole text.
	if n := strings.Count(body, "很长的正文。"); n > 60 {
		t.Errorf("a hit shows %d repetitions of the body; want a short fragment", n)
	}
	// A filter narrows and shows as removable.
	wantPage(t, ts.page("GET", "/search?q="+url.QueryEscape("拆迁补偿")+"&source=mayor-mailbox", pageTokAnalyst, nil), http.StatusOK,
		"共 1 条", "来源：mayor-mailbox")
	// Grouped and paged.
	wantPage(t, ts.page("GET", "/search?q="+url.QueryEscape("拆迁补偿")+"&page_size=1&page=2&group_by_topic=true", pageTokAnalyst, nil), http.StatusOK,
		"第 2 / 4 页", `rel="prev"`, `rel="next"`)
}

func TestSearchPageSyntaxErrorIsAMessage(t *testing.T) {
	ts, _ := newPageServer(t)
	wantPage(t, ts.page("GET", "/search?q="+url.QueryEscape(`"拆迁`), pageTokAnalyst, nil), http.StatusBadRequest,
		`role="alert"`, "搜索条件有误", "quotation mark is not closed", `value="&#34;拆迁"`)
	wantPage(t, ts.page("GET", "/search?q=x&from=yesterday", pageTokAnalyst, nil), http.StatusBadRequest, "from must be a date")
}

func TestSearchPageNeedsARole(t *testing.T) {
	ts, _ := newPageServer(t)
	if rec := ts.page("GET", "/search?q=x", "", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("without a user: %d %s, want a redirect to /login", rec.Code, rec.Header().Get("Location"))
	}
	if rec := ts.page("GET", "/search?q=x", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("department user: %d, want 403", rec.Code)
	}
	if rec := ts.page("GET", "/alerts", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("department user on alerts: %d, want 403", rec.Code)
	}
}

func TestSearchExportXLSX(t *testing.T) {
	ts, _ := newPageServer(t)
	rec := ts.page("GET", "/search/export?q="+url.QueryEscape("拆迁补偿"), pageTokAnalyst, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("搜索结果")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][1] != "标题" {
		t.Fatalf("export has %d rows (%v), want a header and 4 hits", len(rows), rows)
	}
	found := false
	for _, r := range rows {
		found = found || r[1] == scriptTitle
	}
	if !found {
		t.Errorf("the export lacks the title %q as plain text", scriptTitle)
	}
	if rec := ts.page("GET", "/search/export?q="+url.QueryEscape(`"拆迁`), pageTokAnalyst, nil); rec.Code != http.StatusBadRequest {
		t.Errorf("export of a bad search: %d, want 400", rec.Code)
	}
}

func TestDocumentPage(t *testing.T) {
	ts, _ := newPageServer(t)
	body := wantPage(t, ts.page("GET", "/documents/x1", pageTokAnalyst, nil), http.StatusOK,
		"&lt;script&gt;window.pwned=1&lt;/script&gt;", `href="https://bbs.example.cn/thread-1"`, "查看原文", "尚未分析")
	for _, secret := range []string{"张三", "13800000000"} {
		if strings.Contains(body, secret) {
			t.Errorf("document page shows the petitioner's contact %q", secret)
		}
	}
	wantPage(t, ts.page("GET", "/documents/nope", pageTokAnalyst, nil), http.StatusNotFound)
}

func TestDocumentPageShowsAnalysisAndTopic(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	a := minyi.Analysis{Sentiment: minyi.SentimentNegative, SentimentScore: -0.8, Category: "城乡建设", Topic: "f1"}
	if err := ts.Store.PutAnalyses(ctx, []minyi.DocumentAnalysis{{ID: "f1", Analysis: a}, {ID: "f2", Analysis: a}}); err != nil {
		t.Fatal(err)
	}
	docs, err := ts.Store.Documents(ctx, []string{"f1", "f2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	wantPage(t, ts.page("GET", "/documents/f1", pageTokAnalyst, nil), http.StatusOK,
		"负面", "城乡建设", "本话题共 2 篇", `href="/documents/f2"`, "再问拆迁补偿进度")
	wantPage(t, ts.page("GET", "/trends?interval=week&from=2026-10-01", pageTokAnalyst, nil), http.StatusOK,
		`/static/vendor/echarts.min.js`, `class="chart"`, "data-chart=", "城乡建设", "&#34;负面&#34;")
}

func TestTrendsPage(t *testing.T) {
	ts, _ := newPageServer(t)
	for _, iv := range []string{"day", "week", "month"} {
		wantPage(t, ts.page("GET", "/trends?interval="+iv, pageTokAnalyst, nil), http.StatusOK, "情感倾向走势", "data-chart=", "热点事件")
	}
	wantPage(t, ts.page("GET", "/trends?interval=year", pageTokAnalyst, nil), http.StatusBadRequest, `role="alert"`, "interval must be")
}

func TestAlertsPageEditsSubscriptions(t *testing.T) {
	ts, alerts := newPageServer(t)
	wantPage(t, ts.page("GET", "/alerts", pageTokAnalyst, nil), http.StatusOK,
		"已触发的预警", "舆情预警：“拆迁补偿”负面信息激增", "&lt;i&gt;负面", "住建局", `name="csrf"`)
	wantPage(t, ts.page("POST", "/alerts/subscriptions", pageTokAnalyst,
		url.Values{"name": {"噪音"}, "keyword": {"噪音 扰民"}, "department": {"housing"}, "open_case": {"on"}}), http.StatusOK,
		"已添加订阅“噪音”", "噪音 扰民")
	if subs, _ := alerts.Subscriptions(context.Background()); len(subs) != 2 || !subs[1].OpenCase {
		t.Fatalf("subscriptions after adding: %+v", subs)
	}
	wantPage(t, ts.page("POST", "/alerts/subscriptions", pageTokAnalyst,
		url.Values{"name": {"坏"}, "keyword": {`"未闭合`}}), http.StatusBadRequest, "quotation mark is not closed", `value="坏"`)
	wantPage(t, ts.page("POST", "/alerts/subscriptions", pageTokAnalyst,
		url.Values{"name": {"拆迁"}, "keyword": {"拆迁"}}), http.StatusBadRequest, `role="alert"`)
	wantPage(t, ts.page("POST", "/alerts/subscriptions/delete", pageTokAnalyst, url.Values{"name": {"拆迁"}}), http.StatusOK, "已删除订阅“拆迁”")
	if subs, _ := alerts.Subscriptions(context.Background()); len(subs) != 1 || subs[0].Name != "噪音" {
		t.Fatalf("subscriptions after removing: %+v", subs)
	}
	wantPage(t, ts.page("POST", "/alerts/subscriptions/delete", pageTokAnalyst, url.Values{"name": {"拆迁"}}), http.StatusNotFound)
	entries, _ := ts.Store.Audit(context.Background(), 50)
	if !hasAuditDetail(entries, minyi.AuditAlertAdd, "噪音", "噪音 扰民") || !hasAudit(entries, minyi.AuditAlertRemove, "拆迁") {
		t.Errorf("the subscription changes are not in the audit log: %+v", entries)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("前", 300) + "<mark>拆迁补偿</mark>" + strings.Repeat("后", 300)
	got := string(snippet(long, 100))
	if !strings.Contains(got, "<mark>拆迁补偿</mark>") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("cut fragment %q lacks its mark or the ellipses", got)
	}
	if n := len([]rune(got)); n > 120 {
		t.Errorf("cut fragment has %d characters", n)
	}
	// A cut through a mark closes it; anything but mark is escaped.
	if got := string(snippet("<mark>"+strings.Repeat("长", 20), 5)); got != "<mark>长长长长长</mark>…" {
		t.Errorf("cut inside a mark: %q", got)
	}
	if got := string(snippet(`&lt;b&gt; <b>x</b> & <mark>y</mark>`, 100)); got != `&lt;b&gt; &lt;b&gt;x&lt;/b&gt; &amp; <mark>y</mark>` {
		t.Errorf("stray markup: %q", got)
	}
}

// testServer is the shared test server, reached as a browser too.
type testServer struct{ *apitest.Env }

func newTestServer(t *testing.T) *testServer { return &testServer{apitest.NewServer(t)} }
