package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/notify"
	"minyi/report"
)

// The daily schedule at 08:00 makes yesterday's draft from what the index
// holds, keeps it once however often it runs, and audits it.
func TestMakeReportDraftOfYesterday(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, minyi.ChinaTime)
	yesterday := at.Add(-24 * time.Hour)
	var docs []minyi.Document
	for i := range 6 {
		published := yesterday.Add(time.Duration(i) * time.Hour)
		if i == 5 {
			published = at.Add(-48 * time.Hour) // the day before: not in the report
		}
		d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: fmt.Sprintf("r-%d", i),
			Title: "小区门口道路积水", Body: fmt.Sprintf("第%d次反映，下雨就积水。", i+1),
			Published: published, Fetched: at, Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative}}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		docs = append(docs, d)
	}
	if err := f.index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}

	var made, again ReportDraft
	f.must(t, &made, f.acts.MakeReportDraft, ReportInput{Kind: "daily", At: at})
	f.must(t, &again, f.acts.MakeReportDraft, ReportInput{Kind: "daily", At: at.Add(time.Minute)})
	if made.ID != "daily-20261206" || !made.Created || again.ID != made.ID || again.Created {
		t.Fatalf("first run %+v, second %+v; want daily-20261206 made once", made, again)
	}
	kept, err := f.store.Report(ctx, made.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Status != minyi.ReportDraft || kept.Author != minyi.ScheduleAuthor ||
		!kept.From.Equal(time.Date(2026, 12, 6, 0, 0, 0, 0, minyi.ChinaTime)) || !kept.To.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, minyi.ChinaTime)) {
		t.Errorf("kept %+v", kept)
	}
	var r report.Report
	if err := json.Unmarshal(kept.Content, &r); err != nil {
		t.Fatalf("the draft's content is not a report: %v", err)
	}
	if r.Kind != report.Daily || r.Figures.Total != 5 || r.Figures.Negative != 5 || r.Summary == "" {
		t.Errorf("draft figures %+v, summary %q; want the 5 negative posts of 12-06", r.Figures, r.Summary)
	}
	if _, total, _ := f.store.Reports(ctx, minyi.ReportFilter{}); total != 1 {
		t.Errorf("%d reports kept, want 1", total)
	}
	audit, _ := f.store.Audit(ctx, 10)
	n := 0
	for _, e := range audit {
		if e.Action == minyi.AuditReportMake && e.Target == made.ID && e.Actor == minyi.ScheduleAuthor {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d audit entries for the draft, want 1: %+v", n, audit)
	}

	var weekly ReportDraft
	f.must(t, &weekly, f.acts.MakeReportDraft, ReportInput{Kind: "weekly", At: at})
	if weekly.ID != "weekly-20261130" || !weekly.Created {
		t.Errorf("Monday's weekly draft %+v, want weekly-20261130", weekly)
	}

	err = f.run(t, nil, f.acts.MakeReportDraft, ReportInput{Kind: "special", At: at})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !app.NonRetryable() {
		t.Errorf("a scheduled special report: %v, want a non-retryable error", err)
	}
}

// A published report reaches its subscribers with its summary and link;
// a draft is never sent.
func TestDeliverReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	subscribers := newHook(t)
	f.acts.Recipients.Reports = notify.Webhook{URL: subscribers.URL}
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, minyi.ChinaTime)
	var made ReportDraft
	f.must(t, &made, f.acts.MakeReportDraft, ReportInput{Kind: "daily", At: at})

	err := f.run(t, nil, f.acts.DeliverReport, made.ID)
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !app.NonRetryable() || len(subscribers.notifications()) != 0 {
		t.Fatalf("delivering a draft: %v, %d sent", err, len(subscribers.notifications()))
	}

	kept, _ := f.store.Report(ctx, made.ID)
	var r report.Report
	json.Unmarshal(kept.Content, &r)
	docx, pdf, err := report.Render(&r)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.PublishReport(ctx, made.ID, "analyst", at.Add(time.Hour), docx, pdf); err != nil {
		t.Fatal(err)
	}
	f.must(t, nil, f.acts.DeliverReport, made.ID)
	got := subscribers.notifications()
	if len(got) != 1 || got[0].Kind != notify.KindReport || got[0].Title != "舆情日报 2026年12月6日" ||
		got[0].Text != r.Summary || got[0].URL != "https://minyi.example.gov.cn/reports/daily-20261206" {
		t.Fatalf("subscribers got %+v", got)
	}

	// A robot that refuses for good does not make delivery retry forever.
	subscribers.answer(http.StatusNotFound)
	f.must(t, nil, f.acts.DeliverReport, made.ID)
}
