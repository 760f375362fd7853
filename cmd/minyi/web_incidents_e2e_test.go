package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/demosite"
)

// A 舆情事件 from raised to closed in real browsers on the embedded app:
// the analyst raises a forum post as 重大 to 市住建局 from its page; the
// case workflow assigns it and it sits in the department's inbox, where a
// clerk records the 处置; the analyst closes it on its page; the pages fit
// 1366 px and 390 px screens, and the watch desk lists it while open.
func TestWebIncidents(t *testing.T) {
	now := time.Now()
	ta := startTestApp(t, demosite.Options{Seed: 11, Threads: 12, Letters: 4, Start: now.AddDate(0, 0, -3),
		Now: func() time.Time { return now }})
	ta.crawl(t, "demo-forum", false)
	ctx := context.Background()
	docs, err := ta.store.ScanDocuments(ctx, "", 50)
	if err != nil || len(docs) == 0 {
		t.Fatalf("documents: %d, %v", len(docs), err)
	}
	post := docs[slices.IndexFunc(docs, func(d minyi.Document) bool { return d.Kind == minyi.KindPost })]

	analyst := newBrowser(t, ta.apiURL)
	ta.demoLogin(analyst, "analyst")
	analyst.run(chromedp.EmulateViewport(1366, 900))
	analyst.visit("/documents/" + post.ID)
	deadline := now.In(minyi.ChinaTime).AddDate(0, 0, 5).Format(time.DateOnly)
	analyst.run(
		chromedp.SetValue(chromedp.CSS(`#r-level`), "major"),
		chromedp.SetValue(chromedp.CSS(`#r-dept`), "housing"),
		chromedp.SetValue(chromedp.CSS(`#r-deadline`), deadline),
		chromedp.SendKeys(chromedp.CSS(`#r-note`), "多个论坛集中反映，情绪激烈，需住建部门当日回应。"),
		chromedp.Click(chromedp.CSS(`#raise-incident button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#incident-facts`)),
	)
	analyst.shot("raised-1366")
	loc := analyst.location()
	id := loc[strings.LastIndex(loc, "/incidents/")+len("/incidents/"):]
	id, _, _ = strings.Cut(id, "?")
	if !minyi.IsIncident(id) {
		t.Fatalf("raised %q", id)
	}
	if f := analyst.text(".flash"); !strings.Contains(f, "已上升为舆情事件") {
		t.Errorf("flash %q", f)
	}
	if s := analyst.text("#incident-facts"); !strings.Contains(s, "重大") || !strings.Contains(s, "市住建局") {
		t.Errorf("incident facts %q", s)
	}
	// Its case workflow assigns it to the department.
	for wait := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if c, err := ta.store.Case(ctx, id); err == nil && c.Status == minyi.CaseOpen && c.Department == "housing" {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("the case of %s was never assigned", id)
		}
	}

	// The watch desk lists it among the open incidents.
	analyst.visit("/watch")
	analyst.shot("watch-1366")
	if s := analyst.text("#watch-incidents"); !strings.Contains(s, post.Title) || !strings.Contains(s, "重大") {
		t.Errorf("the watch desk's incidents: %q", s)
	}
	analyst.run(chromedp.EmulateViewport(390, 844))
	analyst.visit("/watch")
	analyst.shot("watch-390")
	if w := eval[int](analyst, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the watch desk is %dpx wide", w)
	}

	clerk := newBrowser(t, ta.apiURL)
	ta.demoLogin(clerk, "housing")
	clerk.run(chromedp.EmulateViewport(390, 844))
	clerk.visit("/inbox")
	if got := caseIDs(clerk, "#case-table tr[data-case]"); !slices.Contains(got, id) {
		t.Fatalf("the department's inbox %v lacks %s", got, id)
	}
	clerk.visit("/cases/" + id)
	clerk.run(
		chromedp.SendKeys(chromedp.CSS("#reply-text"), "已约谈开发商，现场整改完毕，已在论坛回应。"),
		chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	clerk.shot("answered-390")
	clerk.visit("/incidents/" + id) // the analysts' page is not the department's
	if s := clerk.text("main"); !strings.Contains(s, "403") && !strings.Contains(s, "无权") {
		t.Errorf("a department opened the incident page: %q", s)
	}

	analyst.run(chromedp.EmulateViewport(390, 844))
	analyst.visit("/incidents/" + id)
	if w := eval[int](analyst, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the incident page is %dpx wide", w)
	}
	if tl := analyst.text("#incident-timeline"); !strings.Contains(tl, "已约谈开发商") {
		t.Errorf("the timeline lacks the 处置: %q", tl)
	}
	analyst.run(
		chromedp.SendKeys(chromedp.CSS("#c-note"), "处置到位，舆情平息。"),
		chromedp.Click(chromedp.CSS(`#close-incident button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	analyst.shot("closed-390")
	if s := analyst.text("#incident-status"); !strings.Contains(s, minyi.CaseClosed.Label()) {
		t.Errorf("closed incident reads %q", s)
	}
	analyst.visit("/incidents")
	if w := eval[int](analyst, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the incident list is %dpx wide", w)
	}
	analyst.run(chromedp.EmulateViewport(1366, 900))
	analyst.visit("/incidents")
	analyst.shot("list-1366")
	analyst.visit("/incidents/" + id)

	audit, err := ta.store.Audit(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		if e.Target == id {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != minyi.AuditIncidentClose+","+minyi.AuditIncidentRaise {
		t.Errorf("audit of %s: %v", id, actions)
	}
}
