package main

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
)

// caseIDs are the data-case attributes of the rows matching sel, in order.
func caseIDs(b *browser, sel string) []string {
	return eval[[]string](b, `Array.from(document.querySelectorAll(`+jsString(sel)+`)).map(function (r) { return r.dataset.case; })`)
}

// exportedIDs downloads the page's 导出 XLSX link as token's user and
// returns the case ids of its rows, checking that the file parses.
func exportedIDs(t *testing.T, b *browser, token string) []string {
	t.Helper()
	href := eval[string](b, `document.querySelector('a[download]').href`)
	req, _ := http.NewRequest(http.MethodGet, href, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export %s: %d %.300s", href, resp.StatusCode, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("export %s does not parse: %v", href, err)
	}
	rows, err := f.GetRows("案件")
	if err != nil || len(rows) < 1 || rows[0][0] != "编号" {
		t.Fatalf("export rows %v %v", rows, err)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	return ids
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestWebCasesEndToEnd: a department clerk and a supervisor work the demo
// mailbox's cases in a real browser on the real embedded app.
func TestWebCasesEndToEnd(t *testing.T) {
	now := time.Now()
	start := now.In(minyi.ChinaTime).Truncate(24*time.Hour).AddDate(0, 0, -40)
	ta := startTestApp(t, demosite.Options{Seed: 3, Threads: 3, Letters: 30, Start: start, Now: time.Now})
	chromiumPath(t) // skip early without a browser
	letters := ta.site.Letters()
	ta.crawl(t, "demo-mailbox", false)
	answered := 0
	for _, l := range letters {
		if !l.ReplyTime.IsZero() {
			answered++
		}
	}
	cases := ta.waitCases(t, "demo-mailbox", len(letters), func(cs []minyi.Case) bool {
		n := 0
		for _, c := range cs {
			if !c.Answered.IsZero() {
				n++
			}
			if c.Status == minyi.CaseRouting {
				return false
			}
		}
		return n == answered
	})

	// The department with the most open cases, an overdue one of them to
	// answer and another to ask an extension for.
	open := map[string][]minyi.Case{}
	for _, c := range cases {
		if c.Status == minyi.CaseOpen {
			open[c.Department] = append(open[c.Department], c)
		}
	}
	dept := ""
	for d, cs := range open {
		if len(cs) > len(open[dept]) || (len(cs) == len(open[dept]) && d < dept) {
			dept = d
		}
	}
	if len(open[dept]) < 2 {
		t.Fatalf("no department has two open cases: %v", open)
	}
	mine := open[dept]
	slices.SortFunc(mine, func(a, b minyi.Case) int { return a.Due.Compare(b.Due) })
	toAnswer, toExtend := mine[0], mine[len(mine)-1]
	var elsewhere minyi.Case
	for _, c := range cases {
		if c.Department != dept && c.Department != "" {
			elsewhere = c
			break
		}
	}

	clerk := newBrowser(t, ta.apiURL)
	ta.demoLogin(clerk, dept)

	t.Run("the inbox has the department's own open cases, overdue first", func(t *testing.T) {
		clerk.visit("/inbox")
		got := caseIDs(clerk, "#case-table tr[data-case]")
		var want []string
		for _, c := range mine {
			want = append(want, c.ID)
		}
		if a, b := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)); !slices.Equal(a, b) {
			t.Fatalf("inbox of %s: %v, want %v", dept, got, want)
		}
		if got[0] != toAnswer.ID {
			t.Errorf("inbox starts with %s, want the most overdue %s", got[0], toAnswer.ID)
		}
		if txt := clerk.text("#case-table tbody tr"); !strings.Contains(txt, "工作日") {
			t.Errorf("first row has no working days: %q", txt)
		}
		if exported := exportedIDs(t, clerk, demoToken(dept)); !slices.Equal(exported, got) {
			t.Errorf("inbox export %v, inbox %v", exported, got)
		}
	})

	t.Run("the clerk replies and the case leaves the inbox", func(t *testing.T) {
		clerk.visit("/cases/" + toAnswer.ID)
		clerk.run(
			chromedp.SendKeys(chromedp.CSS("#reply-text"), "经核查，已安排整改，本周内完成。"),
			chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		clerk.shot("after-reply")
		if f := clerk.text(".flash"); !strings.Contains(f, "答复已提交") {
			t.Errorf("flash %q", f)
		}
		if tl := clerk.text("#timeline"); !strings.Contains(tl, "经核查，已安排整改") {
			t.Errorf("timeline lacks the reply: %q", tl)
		}
		clerk.visit("/inbox")
		if got := caseIDs(clerk, "#case-table tr[data-case]"); slices.Contains(got, toAnswer.ID) {
			t.Errorf("answered case %s still in the inbox %v", toAnswer.ID, got)
		}
	})

	t.Run("another department's case is a 403 page", func(t *testing.T) {
		if elsewhere.ID == "" {
			t.Skip("every case is this department's")
		}
		clerk.visit("/cases/" + elsewhere.ID)
		if code := clerk.text(".error .code"); code != "403" {
			t.Errorf("status shown %q, want 403", code)
		}
		if body := clerk.text("main"); strings.Contains(body, elsewhere.Title) {
			t.Errorf("the 403 page shows the case title %q", elsewhere.Title)
		}
	})

	t.Run("the clerk asks for an extension", func(t *testing.T) {
		clerk.visit("/cases/" + toExtend.ID)
		clerk.run(
			chromedp.SendKeys(chromedp.CSS("#ext-days"), "5"),
			chromedp.SendKeys(chromedp.CSS("#ext-reason"), "需要会同街道现场勘查"),
			chromedp.Click(chromedp.CSS(`#extension-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		clerk.shot("after-extension-request")
	})

	boss := newBrowser(t, ta.apiURL)
	ta.demoLogin(boss, "supervisor")

	t.Run("the supervisor sees the overdue board and exports it", func(t *testing.T) {
		boss.visit("/overdue")
		// The board counts by department and rung; its total is the export's.
		totals := eval[[]int](boss, `Array.from(document.querySelectorAll('#overdue-board tbody a[data-rung=""]')).map(function (a) { return +a.textContent; })`)
		if len(totals) == 0 {
			t.Fatal("the overdue board is empty")
		}
		sum := 0
		for _, n := range totals {
			sum += n
		}
		exported := exportedIDs(t, boss, supervisor)
		if sum != len(exported) {
			t.Errorf("board counts %v (%d), export has %d cases", totals, sum, len(exported))
		}
		// The busiest department's number opens its cases, all in the export.
		boss.run(chromedp.Click(chromedp.CSS(`#overdue-board tbody tr:first-child a[data-rung=""]`)),
			chromedp.WaitVisible(chromedp.CSS("#group")))
		boss.run(chromedp.EmulateViewport(1366, 900))
		boss.shot("overdue-group-1366")
		// On a phone the board and the group fit the screen's width.
		boss.run(chromedp.EmulateViewport(390, 844))
		if w := eval[int](boss, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("on a 390px phone the overdue board is %dpx wide", w)
		}
		boss.shot("overdue-group-390")
		boss.run(chromedp.EmulateViewport(1280, 900))
		onPage := caseIDs(boss, "#group table.board tr[data-case]")
		if len(onPage) != min(totals[0], minyi.DefaultPageSize) {
			t.Errorf("the group shows %d cases, its count is %d", len(onPage), totals[0])
		}
		for _, id := range onPage {
			if !slices.Contains(exported, id) {
				t.Errorf("case %s of the group is not in the export %v", id, exported)
			}
		}
	})

	t.Run("the supervisor approves the extension and the due date moves", func(t *testing.T) {
		boss.visit("/extensions")
		if got := caseIDs(boss, "#extension-table tr[data-case]"); !slices.Contains(got, toExtend.ID) {
			t.Fatalf("queue %v lacks %s", got, toExtend.ID)
		}
		boss.run(
			chromedp.Click(chromedp.CSS(`#extension-table tr[data-case="`+toExtend.ID+`"] button[value=true]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		boss.shot("after-approval")
		if got := caseIDs(boss, "#extension-table tr[data-case]"); slices.Contains(got, toExtend.ID) {
			t.Errorf("approved request still queued: %v", got)
		}
		var d rest.CaseDetail
		ta.do(t, http.MethodGet, "/api/cases/"+toExtend.ID, supervisor, nil, &d)
		if !d.Case.Extended || !d.Case.Due.After(toExtend.Due) {
			t.Errorf("after approval: extended %v, due %v (was %v)", d.Case.Extended, d.Case.Due, toExtend.Due)
		}
		boss.visit("/cases/" + toExtend.ID)
		if due := boss.text("#case-due"); !strings.Contains(due, d.Case.Due.In(minyi.ChinaTime).Format("2006-01-02")) {
			t.Errorf("case page due %q, want %s", due, d.Case.Due.In(minyi.ChinaTime).Format("2006-01-02"))
		}
	})

	t.Run("statistics with a chart and — for rates not measured", func(t *testing.T) {
		boss.visit("/stats")
		boss.run(chromedp.WaitReady(chromedp.CSS(`#rate-chart[data-rendered="true"]`)))
		boss.shot("stats-rendered")
		if n := eval[int](boss, `document.querySelectorAll('#stats-table tbody tr').length`); n == 0 {
			t.Error("no departments in the statistics table")
		}
	})

	t.Run("the escalation history links its export", func(t *testing.T) {
		boss.visit("/escalations")
		if href := eval[string](boss, `document.querySelector('#export').href`); !strings.Contains(href, "/api/departments/escalations/export?") {
			t.Errorf("export link %q", href)
		}
	})

	t.Run("a phone-sized screen", func(t *testing.T) {
		clerk.run(chromedp.EmulateViewport(375, 800))
		clerk.visit("/cases/" + toExtend.ID)
		if w := eval[int](clerk, `document.documentElement.scrollWidth`); w > 380 {
			t.Errorf("case page is %d px wide on a 375 px screen", w)
		}
		clerk.visit("/inbox")
	})
}
