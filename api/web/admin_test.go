package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
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
	"minyi/api/labels"
	"minyi/deadline"
	"minyi/importer"
	"minyi/routing"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

const adminToken = "test-token-admin-0123456789"
const analystToken = "test-token-analyst-0123456789"

type fakeCrawls struct {
	mu  sync.Mutex
	got []string
}

func (f *fakeCrawls) TriggerCrawl(_ context.Context, source string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, source)
	return nil
}

type adminServer struct {
	T       *testing.T
	Store   minyi.Store
	crawls  *fakeCrawls
	admin   *core.Admin
	Handler http.Handler
}

func newAdminServer(t *testing.T) *adminServer {
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
	cfg := routing.DemoConfig()
	router, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	crawls := &fakeCrawls{}
	srv := &core.Server{
		Store:  store,
		Index:  index,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Users: []core.TokenUser{{Name: "admin", Token: adminToken, Role: core.RoleAdmin},
			{Name: "analyst", Token: analystToken, Role: core.RoleAnalyst}},
		Departments: router.Directory().Departments(),
		Admin: &core.Admin{
			Router: router, Routing: cfg, Deadlines: deadline.DefaultPolicy(),
			Sources: []minyi.Source{{Name: "mailbox", Kind: minyi.SourceMailbox, StartURLs: []string{"http://example.invalid/list"}, Interval: time.Hour}},
			Crawls:  crawls,
			Import: importer.Deps{
				Store: store,
				Plan: func(_ string, _ minyi.MessageType, received time.Time) time.Time {
					return received.AddDate(0, 0, 15)
				},
				Route: func(d minyi.Document, t minyi.MessageType, region string) (minyi.Routing, bool) {
					return router.Route(routing.Input{Title: d.Title, Body: d.Body, Type: t, Region: region})
				},
				DepartmentByName: func(name string) (string, bool) { d, ok := router.Directory().ByName(name); return d.ID, ok },
				InferType:        routing.InferType,
				ParseType:        routing.ParseType,
			},
			ImportDir:      t.TempDir(),
			ModelDir:       t.TempDir(),
			MaxImportBytes: 8 << 20,
		},
	}
	return &adminServer{T: t, Store: store, crawls: crawls, admin: srv.Admin, Handler: apitest.ContractHandler(t, srv.Handler())}
}

func (as *adminServer) Do(method, path, token, contentType string, body io.Reader) *httptest.ResponseRecorder {
	as.T.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/html")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	as.Handler.ServeHTTP(rec, req)
	return rec
}

func (as *adminServer) page(path string) string {
	as.T.Helper()
	rec := as.Do(http.MethodGet, path, adminToken, "", nil)
	if rec.Code != http.StatusOK {
		as.T.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestAdminPages(t *testing.T) {
	as := newAdminServer(t)
	for path, want := range map[string][]string{
		"/admin/departments": {"市住建局", "housing", "市政府办公室"},
		"/admin/rules":       {"expropriation", "市房屋征收办", "rule-tester"},
		"/admin/deadlines":   {"15", "60", "到期后 5 个工作日"},
		"/admin/sources":     {"mailbox", "立即抓取", "尚未抓取"},
		"/admin/import":      {"import-upload", "enctype=\"multipart/form-data\""},
	} {
		body := as.page(path)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		if rec := as.Do(http.MethodGet, path, analystToken, "", nil); rec.Code != http.StatusForbidden {
			t.Errorf("analyst GET %s: %d, want 403", path, rec.Code)
		}
	}

	// The rule tester: which rule takes the message and why.
	body := as.page("/admin/rules?" + url.Values{"title": {"路灯不亮"}, "body": {"江北区人民路的路灯坏了一周"}}.Encode())
	for _, w := range []string{"rule-result", "市城管局", "<code>roads</code>", "关键词 &#34;路灯&#34;", "识别的区域：江北区", "class=\"matched\""} {
		if !strings.Contains(body, w) {
			t.Errorf("rule tester lacks %q", w)
		}
	}
	body = as.page("/admin/rules?" + url.Values{"title": {"你好"}, "body": {"随便说说"}}.Encode())
	if !strings.Contains(body, "兜底") || !strings.Contains(body, "市政府办公室") {
		t.Errorf("fallback not shown")
	}

	// Crawl now triggers the source's schedule.
	rec := as.Do(http.MethodPost, "/admin/sources/crawl", adminToken, "application/x-www-form-urlencoded",
		strings.NewReader("source=mailbox"))
	if rec.Code != http.StatusSeeOther || len(as.crawls.got) != 1 || as.crawls.got[0] != "mailbox" {
		t.Fatalf("crawl now: %d %v", rec.Code, as.crawls.got)
	}
	if body := as.page(rec.Header().Get("Location")); !strings.Contains(body, "已开始抓取 mailbox") {
		t.Errorf("no confirmation after crawl now")
	}
	rec = as.Do(http.MethodPost, "/admin/sources/crawl", adminToken, "application/x-www-form-urlencoded",
		strings.NewReader("source=nope"))
	if rec.Code != http.StatusNotFound {
		t.Errorf("crawl of an unknown source: %d", rec.Code)
	}

	// Words a template builds from a key are in the label table too.
	for _, key := range importer.MappingKeys() {
		if _, ok := labels.Lookup("import.field." + key); !ok {
			t.Errorf("no label import.field.%s", key)
		}
	}
	for _, k := range []minyi.SourceKind{minyi.SourceDiscuz, minyi.SourceMailbox} {
		if _, ok := labels.Lookup("admin.kind." + string(k)); !ok {
			t.Errorf("no label admin.kind.%s", k)
		}
	}
	for _, code := range []string{"cell_too_big", "nul", "no_received", "reply_before_received", "reply_without_time",
		"bad_rating", "id_too_long", "bad_time", "future_time", "id_reused", "live_case", "unreadable"} {
		if _, ok := labels.Lookup("import.err." + code); !ok {
			t.Errorf("no label import.err.%s", code)
		}
	}
	for _, st := range []string{jobUploaded, jobRunning, jobDone, jobFailed} {
		if _, ok := labels.Lookup("import.state." + st); !ok {
			t.Errorf("no label import.state.%s", st)
		}
	}
}

func (as *adminServer) upload(name string, content []byte) *httptest.ResponseRecorder {
	as.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", "x")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return as.Do(http.MethodPost, "/admin/import", adminToken, mw.FormDataContentType(), &buf)
}

// runJob posts the mapping and waits for the background import.
func (as *adminServer) runJob(jobPath string, form url.Values) importView {
	as.T.Helper()
	rec := as.Do(http.MethodPost, jobPath+"/run", adminToken, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if rec.Code != http.StatusSeeOther {
		as.T.Fatalf("run: %d %s", rec.Code, rec.Body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		rec := as.Do(http.MethodGet, jobPath+"/status", adminToken, "", nil)
		var v importView
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			as.T.Fatalf("status %d %s", rec.Code, rec.Body)
		}
		if v.State != jobRunning {
			return v
		}
		if time.Now().After(deadline) {
			as.T.Fatalf("import still running: %+v", v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAdminImport(t *testing.T) {
	as := newAdminServer(t)
	csv := "留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间,满意度\n" +
		"L1,张三,路灯不亮,2024/3/1 9:00,人民路路灯坏了一周,已修复,2024/3/5 10:00,满意\n" +
		"L2,李四,日期错,2024/13/40,内容,,,\n" +
		"L3,王五,公交改线,2024/3/2 8:30,建议12路延伸,,,\n"
	rec := as.upload("留言.csv", []byte(csv))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	jobPath := rec.Header().Get("Location")
	body := as.page(jobPath)
	for _, w := range []string{`<option value="留言主题" selected>`, `<option value="留言详情" selected>`,
		`<option value="满意度" selected>`, "import-preview", "人民路路灯坏了一周", "开始导入 3 行"} {
		if !strings.Contains(body, w) {
			t.Errorf("mapping page lacks %q", w)
		}
	}
	if strings.Contains(body, `<option value="留言用户" selected>`) {
		t.Errorf("the person's name column must not be mapped")
	}

	// A mapping without a required field is refused on the page.
	rec = as.Do(http.MethodPost, jobPath+"/run", adminToken, "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"map_title": {"留言主题"}}.Encode()))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "the file has no column") {
		t.Errorf("incomplete mapping: %d", rec.Code)
	}

	form := url.Values{"source": {"board"}, "map_id": {"留言编号"}, "map_title": {"留言主题"}, "map_body": {"留言详情"},
		"map_received": {"留言时间"}, "map_reply_text": {"答复意见"}, "map_reply_time": {"答复时间"}, "map_rating": {"满意度"}}
	v := as.runJob(jobPath, form)
	if v.State != jobDone || v.Done != 3 || v.Total != 3 {
		t.Fatalf("job %+v", v)
	}
	body = as.page(jobPath)
	for _, w := range []string{"import-report", "import-errors-csv", "<td class=\"num\">3</td>", "留言时间", "不是有效的日期时间"} {
		if !strings.Contains(body, w) {
			t.Errorf("report lacks %q", w)
		}
	}
	rec = as.Do(http.MethodGet, jobPath+"/errors.csv", adminToken, "", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "3,留言时间,2024/13/40,不是有效的日期时间") {
		t.Errorf("errors.csv %d %q", rec.Code, rec.Body)
	}
	k, err := as.Store.Case(context.Background(), minyi.CaseIDFor(minyi.DocumentID("board", "id:L1")))
	if err != nil || k.Rating != minyi.RatingSatisfied || k.Status != minyi.CaseClosed {
		t.Errorf("case L1 %+v %v", k, err)
	}
	if list := as.page("/admin/import"); !strings.Contains(list, jobPath) || !strings.Contains(list, "已完成") {
		t.Errorf("the import list does not show the finished job")
	}
	if entries, _ := as.Store.Audit(context.Background(), 50); !hasAudit(entries, minyi.AuditImport, "留言.csv") {
		t.Errorf("the import is not in the audit log: %+v", entries)
	}

	// The same file again: nothing new.
	rec = as.upload("留言.csv", []byte(csv))
	v = as.runJob(rec.Header().Get("Location"), form)
	if v.State != jobDone {
		t.Fatalf("job %+v", v)
	}
	if body := as.page(rec.Header().Get("Location")); !strings.Contains(body, "已存在（未变）</th><td class=\"num\">2</td>") {
		t.Errorf("re-import not idempotent")
	}

	// Larger than the API's body limit, within the upload's.
	var big strings.Builder
	big.WriteString("编号,标题,内容,受理时间\n")
	for i := 0; big.Len() < 2<<20; i++ {
		fmt.Fprintf(&big, "B%d,标题%d,%s,2024/3/1 9:00\n", i, i, strings.Repeat("内容", 20))
	}
	rec = as.upload("big.csv", []byte(big.String()))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("2 MB upload: %d %s", rec.Code, rec.Body)
	}
	// Beyond the upload limit: a clear 413 page.
	rec = as.upload("huge.csv", bytes.Repeat([]byte("a,b,c\n"), 9<<20/6))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized upload: %d", rec.Code)
	}
	if rec := as.upload("notes.txt", []byte("x")); rec.Code != http.StatusBadRequest {
		t.Errorf("a .txt upload: %d", rec.Code)
	}
}

// TestAdminImportXLSX: an XLSX of a 12345 work-order export goes through the
// same page; 承办单位 and 满意度 feed the case's department and rating.
func TestAdminImportXLSX(t *testing.T) {
	as := newAdminServer(t)
	f := excelize.NewFile()
	rows := [][]any{
		{"工单编号", "诉求标题", "诉求内容", "受理时间", "承办单位", "办理结果", "办结时间", "满意度"},
		{"G1", "电梯故障", "小区电梯停运", "2024-03-01 09:00", "市住建局", "已维修", "2024-03-04 10:00", "不满意"},
		{"G2", "评价错", "内容", "2024-03-01 09:00", "市住建局", "已维修", "2024-03-04 10:00", "五颗星"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rec := as.upload("工单.xlsx", buf.Bytes())
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	jobPath := rec.Header().Get("Location")
	if body := as.page(jobPath); !strings.Contains(body, `<option value="承办单位" selected>`) || !strings.Contains(body, "小区电梯停运") {
		t.Fatalf("mapping page of the XLSX: %s", body)
	}
	form := url.Values{"map_id": {"工单编号"}, "map_title": {"诉求标题"}, "map_body": {"诉求内容"}, "map_received": {"受理时间"},
		"map_department": {"承办单位"}, "map_reply_text": {"办理结果"}, "map_reply_time": {"办结时间"}, "map_rating": {"满意度"}}
	v := as.runJob(jobPath, form)
	if v.State != jobDone || v.Done != 2 {
		t.Fatalf("job %+v", v)
	}
	if body := as.page(jobPath); !strings.Contains(body, "满意度无法识别") {
		t.Errorf("the bad rating row is not reported")
	}
	k, err := as.Store.Case(context.Background(), minyi.CaseIDFor(minyi.DocumentID(v.Source, "id:G1")))
	if err != nil || k.Department != "housing" || k.Rating != minyi.RatingDissatisfied {
		t.Errorf("case G1 %+v %v", k, err)
	}
}

type fakeFreshness map[string]minyi.Freshness

func (f fakeFreshness) Freshness(source string) minyi.Freshness { return f[source] }

// The sources page shows each source's measured freshness, how often its
// list pages are polled, and "—" for a source not measured yet.
func TestSourcesShowFreshness(t *testing.T) {
	as := newAdminServer(t)
	as.admin.Sources = []minyi.Source{
		{Name: "mailbox", Kind: minyi.SourceMailbox, StartURLs: []string{"http://example.invalid/list"}, Interval: time.Hour, PollInterval: 5 * time.Second},
		{Name: "forum", Kind: minyi.SourceDiscuz, StartURLs: []string{"http://example.invalid/forum.php"}, Interval: time.Hour},
	}
	as.admin.Freshness = fakeFreshness{"mailbox": {Samples: 37, P50: 8 * time.Second, P90: 65 * time.Second}}
	body := as.page("/admin/sources")
	rows, _, _ := strings.Cut(body, "</tbody>")
	mailbox, forum, ok := strings.Cut(rows, "<code>forum</code>")
	if !ok {
		t.Fatalf("no forum row:\n%s", body)
	}
	for _, w := range []string{"中位 <strong>8 秒</strong>", "P90 1 分 5 秒", "最近 37 篇", "每 5 秒检查一次列表页"} {
		if !strings.Contains(mailbox, w) {
			t.Errorf("mailbox row lacks %q", w)
		}
	}
	if strings.Contains(forum, "检查列表页") || strings.Contains(forum, "中位") {
		t.Errorf("forum row (not polled, not measured) shows polling or freshness")
	}
	if !strings.Contains(forum, "<td>—</td>") {
		t.Errorf("forum row does not show freshness as not measured (—)")
	}
	as.admin.Freshness = nil
	if body := as.page("/admin/sources"); strings.Contains(body, "中位 <strong>") {
		t.Errorf("without a freshness reader the page still shows figures")
	}
}
