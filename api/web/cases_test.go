package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/calendar"
	"minyi/store/sqlite"
	"minyi/workflows"
)

// pageEnv is a case environment a browser reaches.
type pageEnv struct{ *apitest.CaseEnv }

// newPageEnv is newCaseEnv with what the pages use besides: a calendar for
// working days and a directory for attachments.
func newPageEnv(t *testing.T) (*pageEnv, string) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	up := &apitest.RecordingUpdater{}
	srv := &core.Server{
		Store: st, Users: apitest.CaseUsers, Departments: apitest.CaseDepartments, Cases: up,
		Calendar: cal, AttachmentDir: files,
		Now:    func() time.Time { return apitest.CaseNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &pageEnv{&apitest.CaseEnv{T: t, Store: st, Updater: up, Handler: apitest.ContractHandler(t, srv.Handler())}}, files
}

// page GETs a page as a browser does (Accept: text/html).
func (e *pageEnv) page(path, token string) *httptest.ResponseRecorder {
	e.T.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// form POSTs a form as a browser does; files, when given, make it multipart.
func (e *pageEnv) form(path, token string, fields url.Values, files map[string]string) *httptest.ResponseRecorder {
	e.T.Helper()
	var body bytes.Buffer
	ctype := "application/x-www-form-urlencoded"
	if files != nil {
		w := multipart.NewWriter(&body)
		for k, vs := range fields {
			for _, v := range vs {
				w.WriteField(k, v)
			}
		}
		for name, content := range files {
			fw, _ := w.CreateFormFile("attachments", name)
			fw.Write([]byte(content))
		}
		w.Close()
		ctype = w.FormDataContentType()
	} else {
		body.WriteString(fields.Encode())
	}
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func wantPage(t *testing.T, rec *httptest.ResponseRecorder, status int, contains ...string) string {
	t.Helper()
	body := rec.Body.String()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %.600s", rec.Code, status, body)
	}
	if status < 300 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("content type %q, want a page", rec.Header().Get("Content-Type"))
	}
	for _, s := range contains {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	return body
}

func lacks(t *testing.T, body string, not ...string) {
	t.Helper()
	for _, s := range not {
		if strings.Contains(body, s) {
			t.Errorf("page shows %q, which it must not", s)
		}
	}
}

func TestInboxPage(t *testing.T) {
	e, _ := newPageEnv(t)
	e.SeedBasic()
	// A second housing case due later: the overdue one comes first.
	e.Put(minyi.Case{ID: "case-h2", Department: "housing", Received: apitest.CaseNow.Add(-apitest.CaseDay), Due: apitest.CaseNow.Add(9 * apitest.CaseDay), Rung: minyi.RungNone}, nil)
	e.Put(minyi.Case{ID: "case-h3", Department: "housing", Received: apitest.CaseNow.Add(-30 * apitest.CaseDay), Due: apitest.CaseNow.Add(-8 * apitest.CaseDay),
		Rung: minyi.RungSupervise}, nil)

	body := wantPage(t, e.page("/inbox", apitest.TokWater), http.StatusOK, "关于case-w1的投诉", "2 个工作日")
	lacks(t, body, "case-h1", "case-r1", "case-w0") // others' cases, routing, closed history

	body = wantPage(t, e.page("/inbox", apitest.TokHousing), http.StatusOK,
		"超期 1 个工作日", `<span class="badge supervise">督办</span>`, "共 3 条")
	lacks(t, body, "case-w1")
	order := regexp.MustCompile(`data-case="([^"]+)"`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	// Overdue first (by due date: h3 before h1), then the rest by due date.
	if strings.Join(got, ",") != "case-h3,case-h1,case-h2" {
		t.Errorf("inbox order %v", got)
	}

	// Other roles get a 403 page; no user goes to the login page.
	wantPage(t, e.page("/inbox", apitest.TokSupervisor), http.StatusForbidden, "无权访问")
	if rec := e.page("/inbox", ""); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("no user: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

func TestCasePageIsolationAndContact(t *testing.T) {
	e, _ := newPageEnv(t)
	e.SeedBasic()

	// The handling department sees the message, contact, routing reason and timeline.
	wantPage(t, e.page("/cases/case-w1", apitest.TokWater), http.StatusOK, "信件正文：关于case-w1的投诉", "张先生", "13800000001",
		"标题含“停水”", "供水关键词", "受理", "交办", `id="reply-form"`, `id="return-form"`, `id="extension-form"`,
		`name="csrf"`)
	// Another department gets a 403 page, without any of the case.
	body := wantPage(t, e.page("/cases/case-w1", apitest.TokHousing), http.StatusForbidden, "无权访问")
	lacks(t, body, "张先生", "13800000001", "信件正文")
	// A supervisor sees the contact and the supervisor's forms, not the department's.
	body = wantPage(t, e.page("/cases/case-w1", apitest.TokSupervisor), http.StatusOK, "张先生", `id="reassign-form"`)
	lacks(t, body, `id="reply-form"`)
	// An analyst may not open case pages at all.
	body = wantPage(t, e.page("/cases/case-w1", apitest.TokAnalyst), http.StatusForbidden)
	lacks(t, body, "张先生")
	wantPage(t, e.page("/cases/no-such-case", apitest.TokSupervisor), http.StatusNotFound)
	// A historical case shows, but takes no actions.
	body = wantPage(t, e.page("/cases/case-w0", apitest.TokWater), http.StatusOK)
	lacks(t, body, `id="reply-form"`)
}

func TestCasePageForms(t *testing.T) {
	e, dir := newPageEnv(t)
	e.SeedBasic()

	rec := e.form("/cases/case-w1/reply", apitest.TokWater, url.Values{"text": {"已安排抢修，今日恢复供水。"}, "resolved": {"yes"}},
		map[string]string{"抢修 单.txt": "工单内容", "现场照片.jpg": strings.Repeat("x", 3<<20)}) // above the 1 MiB API limit
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/case-w1?flash=replied" {
		t.Fatalf("reply: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	calls := e.Updater.Calls()
	if len(calls) != 1 || calls[0].Update != workflows.UpdateReply {
		t.Fatalf("calls %+v", calls)
	}
	reply := calls[0].Arg.(workflows.ReplyRequest)
	if reply.Department != "water" || !reply.Resolved || reply.Text != "已安排抢修，今日恢复供水。" || len(reply.Attachments) != 2 {
		t.Fatalf("reply %+v", reply)
	}
	// The file is kept under the attachment dir and served to those who may see the case.
	link := reply.Attachments[slices.IndexFunc(reply.Attachments, func(a string) bool { return strings.HasSuffix(a, ".txt") })]
	body := wantPage(t, e.page("/cases/case-w1?flash=replied", apitest.TokWater), http.StatusOK, "答复已提交", "抢修_单.txt")
	if !strings.Contains(body, `href="`+link+`"`) {
		t.Errorf("case page does not link %s", link)
	}
	if rec := e.page(link, apitest.TokWater); rec.Code != http.StatusOK || rec.Body.String() != "工单内容" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("file as water: %d %q %q", rec.Code, rec.Body, rec.Header().Get("Content-Disposition"))
	}
	if rec := e.page(link, apitest.TokSupervisor); rec.Code != http.StatusOK {
		t.Errorf("file as supervisor: %d", rec.Code)
	}
	wantPage(t, e.page(link, apitest.TokHousing), http.StatusForbidden)
	wantPage(t, e.page("/cases/case-w1/files/..%2Fminyi.db", apitest.TokWater), http.StatusNotFound)
	if n, _ := os.ReadDir(dir); len(n) != 1 {
		t.Errorf("attachment dir has %d entries, want one case dir", len(n))
	}

	// 回退 goes back to the inbox; 延期 to the case page.
	rec = e.form("/cases/case-w1/return", apitest.TokWater, url.Values{"reason": {"供水管网属水务集团"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inbox?flash=returned" {
		t.Fatalf("return: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = e.form("/cases/case-w1/extension", apitest.TokWater, url.Values{"days": {"5"}, "reason": {"需现场勘查"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/case-w1?flash=extension_requested" {
		t.Fatalf("extension: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	calls = e.Updater.Calls()
	if ext, ok := calls[len(calls)-1].Arg.(workflows.ExtensionRequest); !ok || ext.Days != 5 || ext.Reason != "需现场勘查" {
		t.Errorf("extension call %+v", calls[len(calls)-1])
	}

	// Refused: bad input, another department's case, an empty reply. The
	// workflow is never asked.
	before := len(e.Updater.Calls())
	wantPage(t, e.form("/cases/case-w1/extension", apitest.TokWater, url.Values{"days": {"99"}, "reason": {"x"}}, nil), http.StatusBadRequest)
	wantPage(t, e.form("/cases/case-h1/reply", apitest.TokWater, url.Values{"text": {"越权答复"}}, nil), http.StatusForbidden)
	wantPage(t, e.form("/cases/case-w1/reply", apitest.TokWater, url.Values{"text": {"  "}}, map[string]string{"a.txt": "x"}), http.StatusBadRequest)
	wantPage(t, e.form("/cases/case-w1/reply", apitest.TokSupervisor, url.Values{"text": {"督查代答"}}, nil), http.StatusForbidden)
	if after := len(e.Updater.Calls()); after != before {
		t.Errorf("refused forms reached the workflow: %d calls", after-before)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir)); len(entries) == 1 {
		files, _ := os.ReadDir(filepath.Join(dir, entries[0].Name()))
		if len(files) != 2 {
			t.Errorf("refused replies kept files: %d files", len(files))
		}
	}
}

func TestAnsweredPage(t *testing.T) {
	e, _ := newPageEnv(t)
	apitest.SeedStats(e.CaseEnv)
	body := wantPage(t, e.page("/answered", apitest.TokWater), http.StatusOK)
	lacks(t, body, "关于h2的投诉")
	n := strings.Count(body, `data-case="`)
	if n == 0 {
		t.Fatal("no answered cases for water")
	}
	body = wantPage(t, e.page("/answered?q=w1", apitest.TokWater), http.StatusOK, "关于w1的投诉")
	if strings.Count(body, `data-case="`) != 1 {
		t.Errorf("search w1 found %d cases", strings.Count(body, `data-case="`))
	}
	wantPage(t, e.page("/answered?q=不存在的标题", apitest.TokWater), http.StatusOK, "暂无数据")
	// The export link is the same list as a spreadsheet.
	body = wantPage(t, e.page("/answered?q=w1", apitest.TokWater), http.StatusOK, `href="/answered?format=xlsx&amp;q=w1"`)
	rec := e.page("/answered?format=xlsx&q=w1", apitest.TokWater)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("export: %d %v", rec.Code, err)
	}
	if rows, _ := f.GetRows("案件"); len(rows) != 2 || rows[1][0] != "w1" {
		t.Errorf("answered export %v", rows)
	}
}

func TestStatsPageShowsUnmeasuredRatesAsDash(t *testing.T) {
	e, _ := newPageEnv(t)
	apitest.SeedStats(e.CaseEnv)
	body := wantPage(t, e.page("/stats?month=2026-11", apitest.TokSupervisor), http.StatusOK,
		"统计周期：2026-11", "市水务局", "50.0%", "33.3%", `data-chart="`, "/static/vendor/echarts.min.js",
		"/api/departments/stats/export?format=xlsx&amp;month=2026-11")
	// parks: nothing fell due and nothing was rated, so on-time and
	// satisfaction rates are "—"; its response rate (0 of 1) is a measured 0.
	row := regexp.MustCompile(`(?s)<tr data-department="parks">.*?</tr>`).FindString(body)
	if !strings.Contains(row, `<td class="num">—</td>`) || !strings.Contains(row, `<td class="num" data-col="satisfaction-rate">—</td>`) ||
		!strings.Contains(row, `<td class="num">0.0%</td>`) {
		t.Errorf("parks row %s", row)
	}
	// 重办率: nothing of parks was answered, so "—"; housing reopened one of
	// its two answered cases; water has one repeat complaint (重复件).
	if !strings.Contains(row, `<td class="num" data-col="redo-rate">—</td>`) {
		t.Errorf("parks row has a 重办率: %s", row)
	}
	housing := regexp.MustCompile(`(?s)<tr data-department="housing">.*?</tr>`).FindString(body)
	water := regexp.MustCompile(`(?s)<tr data-department="water">.*?</tr>`).FindString(body)
	if !strings.Contains(housing, `<td class="num" data-col="redo-rate">50.0%</td>`) ||
		!strings.Contains(water, `<td class="num" data-col="repeats">1</td>`) {
		t.Errorf("housing row %s\nwater row %s", housing, water)
	}
	if !strings.Contains(body, "重办率 = 重办件 ÷ 曾答复件") {
		t.Error("the page does not say what 重办率 is a share of")
	}
	// The chart has null for a rate not measured, not 0.
	if !strings.Contains(body, "null") {
		t.Error("chart data has no null for parks' on-time rate")
	}
	// The JSON API has null too, for the same period.
	rec := e.Do("GET", "/api/departments/stats?month=2026-11", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	if !regexp.MustCompile(`"department":"parks"[^}]*"on_time_rate":null`).Match(rec.Body.Bytes()) {
		t.Errorf("JSON for parks: %s", rec.Body)
	}
	for _, q := range []string{"quarter=2026-Q4", "year=2026", "from=2026-11-01&to=2026-11-30"} {
		wantPage(t, e.page("/stats?"+q, apitest.TokSupervisor), http.StatusOK, "市水务局")
	}
	wantPage(t, e.page("/stats?quarter=2026-Q5", apitest.TokSupervisor), http.StatusBadRequest)
	wantPage(t, e.page("/stats?from=2026-11-01", apitest.TokSupervisor), http.StatusBadRequest)
	wantPage(t, e.page("/stats", apitest.TokWater), http.StatusForbidden)
	// The export of the same period has the same departments and "—" for parks.
	rec = e.Do("GET", "/api/departments/stats/export?format=xlsx&month=2026-11", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("承办单位")
	if len(rows) != 4 || rows[2][0] != "parks" || rows[2][12] != "—" {
		t.Errorf("export rows %v", rows)
	}
}

func TestSupervisorPages(t *testing.T) {
	e, _ := newPageEnv(t)
	e.SeedBasic()
	e.Put(minyi.Case{ID: "case-w2", Department: "water", Received: apitest.CaseNow.Add(-20 * apitest.CaseDay), Due: apitest.CaseNow.Add(-6 * apitest.CaseDay), Rung: minyi.RungUrge,
		RepeatOf: []string{"case-h1"}}, nil,
		minyi.CaseEvent{CaseID: "case-w2", Key: "001", Type: minyi.EventExtensionRequested, At: apitest.CaseNow.Add(-7 * apitest.CaseDay),
			Actor: "water", Department: "water", Detail: "10 days: 需要协调"})

	// The board counts by department and rung; the cases are a click away.
	body := wantPage(t, e.page("/overdue", apitest.TokSupervisor), http.StatusOK, "市住建局", "市水务局",
		`<span class="badge urge">催办</span>`, "共 2 条", "/api/cases/export?format=xlsx&amp;overdue=true",
		`<a href="/overdue?department=water&amp;rung=urge" data-rung="urge">1</a>`,
		`<a href="/overdue?department=housing&amp;rung=overdue" data-rung="overdue">1</a>`)
	lacks(t, body, "关于case-h1的投诉", `id="group"`)
	// One cell, then the department across rungs; w1 is not overdue.
	body = wantPage(t, e.page("/overdue?department=water&rung=urge", apitest.TokSupervisor), http.StatusOK,
		"市水务局 · 催办", `data-case="case-w2"`, "关于case-w2的投诉", `aria-current="true"`,
		`<span class="badge reminder" title="同一地点同一问题已有案件在办或近期办结">重复件</span>`)
	lacks(t, body, "关于case-h1的投诉", "关于case-w1的投诉")
	body = wantPage(t, e.page("/overdue?department=water", apitest.TokSupervisor), http.StatusOK,
		"市水务局 · 全部级别", "关于case-w2的投诉")
	lacks(t, body, "关于case-w1的投诉")
	// A page past the last shows the last; a group of nobody is empty.
	wantPage(t, e.page("/overdue?department=water&page=99", apitest.TokSupervisor), http.StatusOK, `data-case="case-w2"`)
	wantPage(t, e.page("/overdue?department=water&page=9223372036854775807&page_size=100", apitest.TokSupervisor), http.StatusBadRequest)
	wantPage(t, e.page("/overdue?department=parks&rung=notice", apitest.TokSupervisor), http.StatusOK, "暂无数据")
	for _, q := range []string{"rung=reminder", "rung=x", "page=-1", "page=abc", "page_size=101"} {
		wantPage(t, e.page("/overdue?department=water&"+q, apitest.TokSupervisor), http.StatusBadRequest)
	}
	wantPage(t, e.page("/overdue", apitest.TokWater), http.StatusForbidden)

	body = wantPage(t, e.page("/extensions", apitest.TokSupervisor), http.StatusOK, "关于case-w2的投诉", "延期 10 天：需要协调", "同意延期",
		`重复件</span>`)
	lacks(t, body, "case-w1")
	rec := e.form("/cases/case-w2/decision", apitest.TokSupervisor, url.Values{"approve": {"true"}, "back": {"extensions"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/extensions?flash=extension_approved" {
		t.Fatalf("decision: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	calls := e.Updater.Calls()
	if d, ok := calls[len(calls)-1].Arg.(workflows.ExtensionDecision); !ok || !d.Approve {
		t.Errorf("decision call %+v", calls[len(calls)-1])
	}
	// Denying needs a reason.
	wantPage(t, e.form("/cases/case-w2/decision", apitest.TokSupervisor, url.Values{"approve": {"false"}}, nil), http.StatusBadRequest)
	wantPage(t, e.form("/cases/case-w2/decision", apitest.TokWater, url.Values{"approve": {"true"}}, nil), http.StatusForbidden)

	rec = e.form("/cases/case-w1/reassign", apitest.TokSupervisor, url.Values{"department": {"housing"}, "reason": {"属住建职责"}}, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("reassign %d %s", rec.Code, rec.Body)
	}
	rec = e.form("/cases/case-w1/rating", apitest.TokSupervisor, url.Values{"rating": {"basic"}, "comment": {"电话回访"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/case-w1?flash=rated" {
		t.Fatalf("rating %d %s", rec.Code, rec.Header().Get("Location"))
	}

	// Escalation history with an export of the same rows.
	if err := e.Store.PutDepartmentEscalation(t.Context(), minyi.DepartmentEscalation{Key: "water:supervise:1", Department: "water",
		Rung: minyi.RungSupervise, At: apitest.CaseNow.Add(-apitest.CaseDay), OnTimeRate: 0.85, Reason: "按时答复率低于90%"}); err != nil {
		t.Fatal(err)
	}
	wantPage(t, e.page("/escalations", apitest.TokSupervisor), http.StatusOK, "市水务局", "85.0%", "按时答复率低于90%",
		"/api/departments/escalations/export?")
}

// A repeat complaint (重复件) says so in the inbox and on its page, naming
// the earlier cases of its event; a department sees their ids, a
// supervisor links to them.
func TestRepeatComplaintIsMarked(t *testing.T) {
	e, _ := newPageEnv(t)
	e.Put(minyi.Case{ID: "case-first", Department: "housing", Received: apitest.CaseNow.Add(-20 * apitest.CaseDay), Due: apitest.CaseNow.Add(-10 * apitest.CaseDay),
		Status: minyi.CaseClosed}, nil)
	e.Put(minyi.Case{ID: "case-again", Department: "housing", Received: apitest.CaseNow.Add(-apitest.CaseDay), Due: apitest.CaseNow.Add(4 * apitest.CaseDay),
		RepeatOf: []string{"case-first"}}, nil)
	e.Put(minyi.Case{ID: "case-other", Department: "housing", Received: apitest.CaseNow.Add(-apitest.CaseDay), Due: apitest.CaseNow.Add(5 * apitest.CaseDay)}, nil)

	body := wantPage(t, e.page("/inbox", apitest.TokHousing), http.StatusOK, "重复件")
	if n := strings.Count(body, ">重复件</span>"); n != 1 {
		t.Errorf("%d cases marked 重复件 in the inbox, want case-again alone", n)
	}
	body = wantPage(t, e.page("/cases/case-again", apitest.TokHousing), http.StatusOK, `id="case-repeat-of"`, "case-first")
	lacks(t, body, `href="/cases/case-first"`)
	wantPage(t, e.page("/cases/case-again", apitest.TokSupervisor), http.StatusOK, `href="/cases/case-first"`)
	lacks(t, wantPage(t, e.page("/cases/case-other", apitest.TokHousing), http.StatusOK), "case-repeat-of")
}
