package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/api/workflowclient"
	"minyi/demosite"
)

// An analyst makes yesterday's daily report from the 报告 page, rewrites
// its summary on a phone, saves and publishes it; the published report is
// read-only, its delivery has started, and the pages fit 1366 px and 390 px
// screens.
func TestWebReports(t *testing.T) {
	now := time.Now()
	ta := startTestApp(t, demosite.Options{Seed: 11, Threads: 30, Letters: 10, Start: now.AddDate(0, 0, -3),
		Now: func() time.Time { return now }})
	ta.crawl(t, "demo-forum", false)

	b := newBrowser(t, ta.apiURL)
	ta.demoLogin(b, "analyst")
	b.run(chromedp.EmulateViewport(1366, 900))
	b.visit("/reports")
	if nav := b.text("header nav"); !strings.Contains(nav, "报告") {
		t.Fatalf("no 报告 in the analyst's navigation: %q", nav)
	}
	if eval[bool](b, `document.querySelector("#m-q").offsetParent !== null`) {
		t.Error("the special report's search shows for a daily report")
	}
	// The day before yesterday, which the demo forum's threads fill.
	day := now.In(minyi.ChinaTime).AddDate(0, 0, -2).Format(time.DateOnly)
	b.run(
		chromedp.SetValue(chromedp.CSS(`#m-from`), day),
		chromedp.Click(chromedp.CSS(`#make-report button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#report-edit`)),
	)
	b.run(chromedp.WaitVisible(chromedp.CSS(`#chart-volume[data-rendered="true"] canvas`)))
	b.shot("draft-1366")
	loc := b.location()
	id := loc[strings.LastIndex(loc, "/reports/")+len("/reports/"):]
	id, _, _ = strings.Cut(id, "?")
	if !strings.HasPrefix(id, "daily-") {
		t.Fatalf("made report %q", id)
	}

	// On a phone: rewrite the summary, save, publish.
	b.run(chromedp.EmulateViewport(390, 844))
	b.visit("/reports/" + id)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the draft is %dpx wide", w)
	}
	const summary = "昨日全网舆情总体平稳，分析员已核对。"
	b.run(
		chromedp.SetValue(chromedp.CSS(`#e-summary`), summary),
		chromedp.Click(chromedp.CSS(`#report-save`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
	)
	b.shot("saved-390")
	if got := eval[string](b, `document.querySelector("#e-summary").value`); got != summary {
		t.Fatalf("the saved summary reads %q", got)
	}
	// The publish button asks first; the analyst says yes.
	eval[bool](b, `(window.confirm = () => true, true)`)
	b.run(
		chromedp.Click(chromedp.CSS(`#report-publish`)),
		chromedp.WaitVisible(chromedp.CSS(`#report-summary`)),
	)
	b.shot("published-390")
	if s := b.text("#report-summary"); s != summary {
		t.Errorf("the published summary reads %q", s)
	}
	if s := b.text(".report-head"); !strings.Contains(s, "已发布") {
		t.Errorf("the published report's head: %q", s)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the report is %dpx wide", w)
	}
	b.visit("/reports")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the archive is %dpx wide", w)
	}

	b.run(chromedp.EmulateViewport(1366, 900))
	b.visit("/reports/" + id)
	b.run(chromedp.WaitVisible(chromedp.CSS(`#report-summary`)))
	b.shot("published-1366")
	b.visit("/reports")

	rep, err := ta.store.Report(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != minyi.ReportPublished || len(rep.PDF) == 0 || len(rep.DOCX) == 0 {
		t.Fatalf("stored: %s, %d/%d bytes", rep.Status, len(rep.DOCX), len(rep.PDF))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := ta.client.DescribeWorkflowExecution(ctx, workflowclient.DeliveryWorkflowID(id), ""); err != nil {
		t.Errorf("the delivery of %s did not start: %v", id, err)
	}
}
