package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/report"
)

// An analyst makes a daily report, edits the draft, and publishes it; the
// files kept at publication never change after, a second publication is a
// conflict, and every step is in the audit log. Post text stays escaped.
func TestReportDraftToPublished(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	seedReportDay(ts)
	delivered := &recordingDeliverer{}
	ts.Server.Reports = delivered

	rec := ts.page("POST", "/reports", pageTokAnalyst, url.Values{"kind": {"daily"}, "from": {"2026-11-23"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/reports/daily-20261123-") {
		t.Fatalf("make: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	path, _, _ := strings.Cut(rec.Header().Get("Location"), "?")
	id := strings.TrimPrefix(path, "/reports/")

	body := wantPage(t, ts.page("GET", rec.Header().Get("Location"), pageTokAnalyst, nil), http.StatusOK,
		"草稿", "报告草稿已生成", `name="summary"`, `name="drop_event"`, `name="drop_negative"`, "&lt;i&gt;负面&lt;/i&gt;小区电梯", "&lt;script&gt;window.pwned=1&lt;/script&gt;",
		path+"/docx", path+"/pdf", `formaction="`+path+`/publish"`)
	if strings.Contains(body, "13800000000") || strings.Contains(body, "张三") {
		t.Error("the report page shows a petitioner's contact data")
	}
	stored, err := ts.Store.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var before report.Report
	if err := json.Unmarshal(stored.Content, &before); err != nil || len(before.Events) < 2 || len(before.Negative) < 2 {
		t.Fatalf("content: %v, %d events, %d negative", err, len(before.Events), len(before.Negative))
	}

	// The archive lists it.
	wantPage(t, ts.page("GET", "/reports?kind=daily&status=draft", pageTokAnalyst, nil), http.StatusOK,
		`href="/reports/`+id+`"`, "2026年11月23日", "共 1 条")

	// Edit: a new summary, remarks with markup, the first event dropped.
	rec = ts.page("POST", path+"/save", pageTokAnalyst, url.Values{"summary": {"分析员改写的摘要"}, "remarks": {"<b>加粗</b>建议"}, "drop_event": {"0"}, "drop_negative": {"0", "x", "99"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	wantPage(t, ts.page("GET", path+"?flash=saved", pageTokAnalyst, nil), http.StatusOK, "分析员改写的摘要", "&lt;b&gt;加粗&lt;/b&gt;建议", "草稿已保存")
	stored, _ = ts.Store.Report(ctx, id)
	var after report.Report
	if err := json.Unmarshal(stored.Content, &after); err != nil {
		t.Fatal(err)
	}
	if after.Summary != "分析员改写的摘要" || after.Remarks != "<b>加粗</b>建议" || len(after.Events) != len(before.Events)-1 || len(after.Negative) != len(before.Negative)-1 {
		t.Fatalf("saved content: %q, %d events (was %d), %d negative (was %d)", after.Summary, len(after.Events), len(before.Events), len(after.Negative), len(before.Negative))
	}
	if after.Events[0].ID != before.Events[1].ID || after.Negative[0].ID != before.Negative[1].ID {
		t.Error("the wrong items were dropped")
	}
	// An empty summary is refused on the page.
	wantPage(t, ts.page("POST", path+"/save", pageTokAnalyst, url.Values{"summary": {"  "}}), http.StatusBadRequest, "摘要不能为空")

	// A draft's files are rendered on the fly.
	rec = ts.page("GET", path+"/pdf", pageTokAnalyst, nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("draft pdf: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, url.PathEscape("舆情日报")) {
		t.Errorf("Content-Disposition %q", cd)
	}

	// Publish from the editor: the edits in the form are kept first.
	rec = ts.page("POST", path+"/publish", pageTokAnalyst, url.Values{"summary": {"发布前最后修改"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	published, err := ts.Store.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if published.Status != minyi.ReportPublished || published.Publisher != "analyst" || !bytes.HasPrefix(published.PDF, []byte("%PDF-")) || !bytes.HasPrefix(published.DOCX, []byte("PK")) {
		t.Fatalf("published: %s by %q, %d/%d bytes", published.Status, published.Publisher, len(published.DOCX), len(published.PDF))
	}
	if !strings.Contains(string(published.Content), "发布前最后修改") {
		t.Error("the edits sent with publish were not kept")
	}
	body = wantPage(t, ts.page("GET", path+"?flash=published", pageTokAnalyst, nil), http.StatusOK, "已发布", "发布前最后修改")
	if strings.Contains(body, `name="summary"`) || strings.Contains(body, "/publish") {
		t.Error("a published report still offers the editor")
	}

	// Published is final: publishing again and saving are conflicts, and
	// the files stay those handed out.
	wantPage(t, ts.page("POST", path+"/publish", pageTokAnalyst, url.Values{}), http.StatusConflict, "该报告已发布")
	wantPage(t, ts.page("POST", path+"/save", pageTokAnalyst, url.Values{"summary": {"再改"}}), http.StatusConflict, "该报告已发布")
	for _, f := range []struct {
		ext   string
		bytes []byte
		ctype string
	}{{"docx", published.DOCX, report.DOCXContentType}, {"pdf", published.PDF, "application/pdf"}} {
		rec = ts.page("GET", path+"/"+f.ext, pageTokAnalyst, nil)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), f.bytes) || rec.Header().Get("Content-Type") != f.ctype {
			t.Errorf("%s after publication: %d %s, not the stored file", f.ext, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	if got := delivered.ids(); len(got) != 1 || got[0] != id {
		t.Errorf("deliveries started: %v, want one of %s", got, id)
	}
	again, _ := ts.Store.Report(ctx, id)
	if !bytes.Equal(again.PDF, published.PDF) || !bytes.Equal(again.DOCX, published.DOCX) || !bytes.Equal(again.Content, published.Content) {
		t.Error("a published report changed")
	}

	audit, err := ts.Store.Audit(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{minyi.AuditReportMake, minyi.AuditReportSave, minyi.AuditReportPublish} {
		found := false
		for _, e := range audit {
			found = found || e.Action == action && e.Target == id && e.Actor == "analyst"
		}
		if !found {
			t.Errorf("no audit entry %s for %s", action, id)
		}
	}
}

func TestReportFormErrors(t *testing.T) {
	ts, _ := newPageServer(t)
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"kind": {"yearly"}, "from": {"2026-11-23"}}, "请选择报告类型"},
		{url.Values{"kind": {"daily"}, "from": {"明天"}}, "日期格式"},
		{url.Values{"kind": {"monthly"}, "from": {"9999-12-01"}}, "不晚于今天"},
		{url.Values{"kind": {"daily"}, "from": {"0001-01-01"}}, "2000 年以后"},
		{url.Values{"kind": {"special"}, "from": {"2026-11-01"}, "to": {"2026-11-23"}}, "专报需要检索词"},
		{url.Values{"kind": {"special"}, "from": {"2026-11-23"}, "to": {"2026-11-01"}, "q": {"拆迁"}}, "结束日期不能早于开始日期"},
		{url.Values{"kind": {"special"}, "from": {"2026-11-01"}, "to": {"2026-11-23"}, "q": {`"拆迁`}}, "quotation mark"},
	} {
		wantPage(t, ts.page("POST", "/reports", pageTokAnalyst, tt.form), http.StatusBadRequest, tt.want, `value="`+tt.form.Get("from")+`"`)
	}
	rec := ts.page("POST", "/reports", pageTokAnalyst, url.Values{"kind": {"special"}, "from": {"2026-11-01"}, "to": {"2026-11-23"}, "q": {"拆迁补偿"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/reports/special-20261101-") {
		t.Fatalf("special: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, ts.page("GET", "/reports?from=2026-11-30&to=2026-11-01", pageTokAnalyst, nil), http.StatusBadRequest, "结束日期不能早于开始日期")
	wantPage(t, ts.page("GET", "/reports/none-1", pageTokAnalyst, nil), http.StatusNotFound)
}

// Departments have no reports; anonymous users log in first.
func TestReportPagesNeedARole(t *testing.T) {
	ts, _ := newPageServer(t)
	for _, p := range []string{"/reports", "/reports/daily-20261122", "/reports/daily-20261122/pdf"} {
		if rec := ts.page("GET", p, "", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("%s without a user: %d", p, rec.Code)
		}
		if rec := ts.page("GET", p, pageTokDepartment, nil); rec.Code != http.StatusForbidden {
			t.Errorf("%s as a department: %d, want 403", p, rec.Code)
		}
	}
	if rec := ts.page("POST", "/reports", pageTokDepartment, url.Values{"kind": {"daily"}, "from": {"2026-11-23"}}); rec.Code != http.StatusForbidden {
		t.Errorf("a department makes a report: %d", rec.Code)
	}
	wantPage(t, ts.page("GET", "/reports", pageTokAnalyst, nil), http.StatusOK, `href="/reports" aria-current="page"`, "立即生成报告")
}

// A supervisor reads the archive but has no form to make or edit.
func TestReportPagesSupervisorReadsOnly(t *testing.T) {
	e := newAccountEnv(t, false)
	nu, err := newSupervisor(e)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := e.login(nu, "secret-123")
	rec := e.request("GET", "/reports", s, nil, nil)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "立即生成报告") || !strings.Contains(rec.Body.String(), `href="/reports"`) {
		t.Fatalf("supervisor archive: %d", rec.Code)
	}
	if rec := e.request("POST", "/reports", s, url.Values{"csrf": {s.csrf}, "kind": {"daily"}, "from": {"2026-11-23"}}, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a supervisor makes a report: %d", rec.Code)
	}
}

// The forms carry the session's CSRF token, and a post without it is refused.
func TestReportFormsNeedCSRF(t *testing.T) {
	e := newAccountEnv(t, false)
	s, _ := e.login("analyst", "secret-123")
	page := e.request("GET", "/reports", s, nil, nil)
	if !strings.Contains(page.Body.String(), `name="csrf" value="`+s.csrf+`"`) {
		t.Fatal("the make form carries no CSRF token")
	}
	form := url.Values{"kind": {"daily"}, "from": {"2026-11-22"}}
	if rec := e.request("POST", "/reports", s, form, nil); rec.Code != http.StatusForbidden {
		t.Fatalf("without a token: %d", rec.Code)
	}
	form.Set("csrf", s.csrf)
	rec := e.request("POST", "/reports", s, form, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("with the token: %d %s", rec.Code, rec.Body)
	}
	path, _, _ := strings.Cut(rec.Header().Get("Location"), "?")
	if !strings.Contains(e.request("GET", path, s, nil, nil).Body.String(), `name="csrf" value="`+s.csrf+`"`) {
		t.Error("the draft editor carries no CSRF token")
	}
	for _, p := range []string{path + "/save", path + "/publish"} {
		if rec := e.request("POST", p, s, url.Values{"summary": {"x"}}, nil); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s without a token: %d", p, rec.Code)
		}
	}
	if rec := e.request("POST", path+"/publish", s, url.Values{"csrf": {s.csrf}}, nil); rec.Code != http.StatusSeeOther {
		t.Errorf("publish with the token: %d %s", rec.Code, rec.Body)
	}
}

func newSupervisor(e *accountEnv) (string, error) {
	nu, err := core.NewUser("watch", "", minyi.RoleSupervisor, "", "secret-123", nil)
	if err != nil {
		return "", err
	}
	return "watch", e.Store.CreateUser(context.Background(), nu)
}

// seedReportDay adds to 2026-11-23 two topics of reposts (one titled with
// script) and two negative posts standing alone.
func seedReportDay(ts *testServer) {
	at := apitest.Now.Add(-2 * time.Hour)
	neg := func(id, title, topic string) minyi.Document {
		return minyi.Document{ID: id, Source: "city-forum", Kind: minyi.KindPost, Title: title, Body: title + "，请尽快处理。",
			Published: at, Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Topic: topic, Event: topic}}
	}
	docs := []minyi.Document{neg("e1", scriptTitle, "e1"), neg("e2", "转："+scriptTitle, "e1"),
		neg("e3", "和平路夜间施工扰民", "e3"), neg("e4", "转：和平路夜间施工扰民", "e3"),
		neg("n1", "<i>负面</i>小区电梯又坏了", "n1"), neg("n2", "公交站台没有遮雨棚", "n2")}
	ts.Seed(docs...)
	// Each topic is an event of its own, labelled by its first post.
	var analyses []minyi.DocumentAnalysis
	for _, d := range docs {
		da := minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis}
		if d.Analysis.Event == d.ID {
			da.Label = &minyi.EventLabel{Title: d.Title}
		}
		analyses = append(analyses, da)
	}
	if err := ts.Store.PutAnalyses(context.Background(), analyses); err != nil {
		ts.T.Fatal(err)
	}
}

// 305 reports page through the archive 20 at a time, the filters kept in
// the links; a page past the end shows the last one.
func TestReportArchivePages(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	day := time.Date(2025, 12, 1, 0, 0, 0, 0, minyi.ChinaTime)
	for i := range 305 {
		from := day.AddDate(0, 0, i)
		status := "daily-" + from.Format("20060102")
		if err := ts.Store.CreateReport(ctx, minyi.Report{ID: status, Kind: "daily", From: from, To: from.AddDate(0, 0, 1),
			Title: "舆情日报", Author: "analyst", Created: apitest.Now, Content: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	body := wantPage(t, ts.page("GET", "/reports?kind=daily", pageTokAnalyst, nil), http.StatusOK, "共 305 条", "第 1 / 16 页",
		`href="/reports?kind=daily&amp;page=2"`, `href="/reports/daily-20261001"`)
	if n := strings.Count(body, `">舆情日报</a>`); n != 20 {
		t.Errorf("first page lists %d reports", n)
	}
	body = wantPage(t, ts.page("GET", "/reports?kind=daily&page=99", pageTokAnalyst, nil), http.StatusOK, "第 16 / 16 页", `href="/reports/daily-20251201"`)
	if n := strings.Count(body, `">舆情日报</a>`); n != 5 {
		t.Errorf("last page lists %d reports", n)
	}
	wantPage(t, ts.page("GET", "/reports?from=2026-01-01&to=2026-01-31", pageTokAnalyst, nil), http.StatusOK, "共 31 条")
	wantPage(t, ts.page("GET", "/reports?status=published", pageTokAnalyst, nil), http.StatusOK, "共 0 条", "暂无报告")
}

// recordingDeliverer stands in for the delivery workflow.
type recordingDeliverer struct {
	mu  sync.Mutex
	got []string
}

func (r *recordingDeliverer) DeliverReport(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, id)
	return nil
}

func (r *recordingDeliverer) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}
