package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/rest"
	"minyi/report"
)

// seedReports keeps a draft and a published daily report of 2026-11-02
// and 2026-11-03, made from the forum posts.
func seedReports(t *testing.T, ts *apitest.Env) (draft, published minyi.Report) {
	t.Helper()
	ts.Seed(apitest.ForumPosts()...)
	ctx := context.Background()
	keep := func(id string, day time.Time) minyi.Report {
		to := report.PeriodFrom(report.Daily, day)
		r, err := report.Generate(ctx, report.Deps{Index: ts.Index, Cases: ts.Store, Events: ts.Store}, report.Spec{Kind: report.Daily, From: day, To: to, Now: apitest.Now})
		if err != nil {
			t.Fatal(err)
		}
		content, _ := json.Marshal(r)
		rec := minyi.Report{ID: id, Kind: "daily", From: day, To: to, Title: r.Title, Author: minyi.ScheduleAuthor, Created: apitest.Now, Content: content}
		if err := ts.Store.CreateReport(ctx, rec); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, minyi.ChinaTime)
	draft = keep("daily-20261102", day)
	published = keep("daily-20261103", day.AddDate(0, 0, 1))
	if err := ts.Store.PublishReport(ctx, published.ID, "analyst", apitest.Now, []byte("PK-stored-docx"), []byte("%PDF-stored")); err != nil {
		t.Fatal(err)
	}
	return draft, published
}

func getAs(ts *apitest.Env, token, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return ts.Do(req)
}

func TestReportsAPI(t *testing.T) {
	ts := apitest.NewServer(t)
	draft, published := seedReports(t, ts)

	list := apitest.Decode[rest.ReportList](t, getAs(ts, apitest.TokAnalyst, "/api/reports"), http.StatusOK)
	if list.Total != 2 || len(list.Reports) != 2 || list.Reports[0].ID != published.ID {
		t.Fatalf("list: %+v", list)
	}
	list = apitest.Decode[rest.ReportList](t, getAs(ts, apitest.TokSupervisor, "/api/reports?status=draft&kind=daily"), http.StatusOK)
	if list.Total != 1 || list.Reports[0].ID != draft.ID || list.Reports[0].Status != minyi.ReportDraft {
		t.Fatalf("drafts: %+v", list)
	}
	list = apitest.Decode[rest.ReportList](t, ts.Get("/api/reports?from=2026-11-03&to=2026-11-03"), http.StatusOK)
	if list.Total != 1 || list.Reports[0].ID != published.ID {
		t.Fatalf("period: %+v", list)
	}

	detail := apitest.Decode[rest.ReportDetail](t, getAs(ts, apitest.TokAnalyst, "/api/reports/"+draft.ID), http.StatusOK)
	var content report.Report
	if err := json.Unmarshal(detail.Content, &content); err != nil || content.Summary == "" || content.Kind != report.Daily {
		t.Fatalf("content %s: %v", detail.Content, err)
	}

	// A published report's files are the stored ones; a draft's are rendered now.
	rec := getAs(ts, apitest.TokSupervisor, "/api/reports/"+published.ID+"/docx")
	if rec.Code != http.StatusOK || rec.Body.String() != "PK-stored-docx" || rec.Header().Get("Content-Type") != report.DOCXContentType {
		t.Fatalf("published docx: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''%E8%88%86%E6%83%85") {
		t.Errorf("Content-Disposition %q names no Chinese file", cd)
	}
	rec = getAs(ts, apitest.TokAnalyst, "/api/reports/"+published.ID+"/pdf")
	if rec.Code != http.StatusOK || rec.Body.String() != "%PDF-stored" || rec.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("published pdf: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = ts.Get("/api/reports/" + draft.ID + "/pdf")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "%PDF-") || rec.Body.Len() < 1000 {
		t.Fatalf("draft pdf: %d %d bytes", rec.Code, rec.Body.Len())
	}
	rec = ts.Get("/api/reports/" + draft.ID + "/docx")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "PK") {
		t.Fatalf("draft docx: %d", rec.Code)
	}
}

func TestReportsAPIRefusals(t *testing.T) {
	ts := apitest.NewServer(t)
	draft, _ := seedReports(t, ts)
	for _, path := range []string{"/api/reports", "/api/reports/" + draft.ID, "/api/reports/" + draft.ID + "/docx", "/api/reports/" + draft.ID + "/pdf"} {
		apitest.WantError(t, getAs(ts, apitest.TokWater, path), http.StatusForbidden, minyi.EFORBIDDEN)
		apitest.WantError(t, getAs(ts, "nobody-0123456789", path), http.StatusUnauthorized, minyi.EUNAUTHORIZED)
	}
	apitest.WantError(t, ts.Get("/api/reports/daily-19990101"), http.StatusNotFound, minyi.ENOTFOUND)
	apitest.WantError(t, ts.Get("/api/reports/daily-19990101/pdf"), http.StatusNotFound, minyi.ENOTFOUND)
	apitest.WantError(t, ts.Get("/api/reports?kind=yearly"), http.StatusBadRequest, minyi.EINVALID)
	apitest.WantError(t, ts.Get("/api/reports?from=yesterday"), http.StatusBadRequest, minyi.EINVALID)
	apitest.WantError(t, ts.Get("/api/reports?from=2026-11-05&to=2026-11-01"), http.StatusBadRequest, minyi.EINVALID)
}

// 300 reports page through the archive, each once.
func TestReportsAPIPages(t *testing.T) {
	ts := apitest.NewServer(t)
	ctx := context.Background()
	day := time.Date(2025, 12, 1, 0, 0, 0, 0, minyi.ChinaTime)
	for i := range 305 {
		from := day.AddDate(0, 0, i)
		if err := ts.Store.CreateReport(ctx, minyi.Report{ID: fmt.Sprintf("daily-%s", from.Format("20060102")), Kind: "daily",
			From: from, To: from.AddDate(0, 0, 1), Title: "舆情日报", Author: "analyst", Created: apitest.Now, Content: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for page := 1; page <= 4; page++ {
		list := apitest.Decode[rest.ReportList](t, ts.Get(fmt.Sprintf("/api/reports?page=%d&page_size=100", page)), http.StatusOK)
		if list.Total != 305 {
			t.Fatalf("total %d", list.Total)
		}
		for _, r := range list.Reports {
			if seen[r.ID] {
				t.Fatalf("%s on two pages", r.ID)
			}
			seen[r.ID] = true
		}
	}
	if len(seen) != 305 {
		t.Fatalf("paged through %d of 305", len(seen))
	}
}
