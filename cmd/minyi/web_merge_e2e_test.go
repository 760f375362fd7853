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

// 并单 in real browsers on the embedded app with its real case workflows:
// a supervisor merges a repeat letter into the earlier open case of the
// same department from the letter's page; the department's inbox shows the
// letter 已并单 and its page takes no reply; one reply on the earlier case
// answers both, each case answered in the store with that reply on its
// timeline. The pages fit 1366 px and 390 px screens.
func TestWebMerge(t *testing.T) {
	now := time.Now()
	ta := startTestApp(t, demosite.Options{Seed: 5, Threads: 2, Letters: 12, Start: now.AddDate(0, 0, -1),
		Now: func() time.Time { return now }})
	chromiumPath(t)
	ta.crawl(t, "demo-mailbox", false)
	cases := ta.waitCases(t, "demo-mailbox", len(ta.site.Letters()), func(cs []minyi.Case) bool {
		return !slices.ContainsFunc(cs, func(c minyi.Case) bool { return c.Status == minyi.CaseRouting })
	})
	open := map[string][]minyi.Case{}
	for _, c := range cases {
		if c.Status == minyi.CaseOpen && c.Rung == minyi.RungNone {
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
	slices.SortFunc(mine, func(a, b minyi.Case) int { return a.Received.Compare(b.Received) })
	primary, letter := mine[0], mine[len(mine)-1]
	ctx := context.Background()
	// The demo's letters are not about one event; this one is marked a
	// repeat of the earlier as the ingest marks one (Case.RepeatOf).
	letter.RepeatOf = []string{primary.ID}
	if err := ta.store.PutCase(ctx, letter); err != nil {
		t.Fatal(err)
	}

	boss := newBrowser(t, ta.apiURL)
	ta.demoLogin(boss, "supervisor")
	boss.run(chromedp.EmulateViewport(1366, 900))
	boss.visit("/cases/" + letter.ID)
	boss.run(
		chromedp.SetValue(chromedp.CSS(`#merge-into`), primary.ID),
		chromedp.SendKeys(chromedp.CSS(`#merge-reason`), "同一问题，一并答复"),
		chromedp.Click(chromedp.CSS(`#merge-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	boss.shot("merged-1366")
	if s := boss.text("#case-merged-into"); !strings.Contains(s, primary.ID) {
		t.Errorf("the merged letter's page reads %q", s)
	}
	if tl := boss.text("#timeline"); !strings.Contains(tl, "并入 "+primary.ID+"。同一问题，一并答复") {
		t.Errorf("the merged letter's timeline lacks its 并单: %q", tl)
	}
	boss.visit("/cases/" + primary.ID)
	if s := boss.text("#merged-letters"); !strings.Contains(s, letter.Title) {
		t.Errorf("the primary lists %q, want %q", s, letter.Title)
	}
	if tl := boss.text("#timeline"); !strings.Contains(tl, "并入来信") {
		t.Errorf("the primary's timeline lacks the letter: %q", tl)
	}

	clerk := newBrowser(t, ta.apiURL)
	ta.demoLogin(clerk, dept)
	clerk.run(chromedp.EmulateViewport(390, 844))
	clerk.visit("/inbox")
	clerk.shot("inbox-390")
	row := eval[string](clerk, `(document.querySelector('#case-table tr[data-case="`+letter.ID+`"]') || {}).innerText || ''`)
	if !strings.Contains(row, "已并单") {
		t.Errorf("the inbox row of the merged letter reads %q", row)
	}
	if w := eval[int](clerk, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the inbox is %dpx wide", w)
	}
	clerk.visit("/cases/" + letter.ID)
	if n := eval[int](clerk, `document.querySelectorAll('#reply-form').length`); n != 0 {
		t.Error("the merged letter offers its own reply form")
	}
	clerk.visit("/cases/" + primary.ID)
	clerk.run(
		chromedp.SendKeys(chromedp.CSS("#reply-text"), "已派人现场处理，两封来信反映的问题一并解决。"),
		chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	clerk.shot("primary-answered-390")
	if w := eval[int](clerk, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the case page is %dpx wide", w)
	}

	for wait := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		p, err1 := ta.store.Case(ctx, primary.ID)
		l, err2 := ta.store.Case(ctx, letter.ID)
		if err1 == nil && err2 == nil && p.Status == minyi.CaseAnswered && l.Status == minyi.CaseAnswered {
			if l.MergedInto != primary.ID || !l.Answered.Equal(p.Answered) {
				t.Errorf("merged letter %+v, primary answered %s", l, p.Answered)
			}
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("after one reply: primary %+v %v, letter %+v %v", p, err1, l, err2)
		}
	}
	clerk.visit("/cases/" + letter.ID)
	clerk.shot("letter-answered-390")
	if tl := clerk.text("#timeline"); !strings.Contains(tl, "两封来信反映的问题一并解决") {
		t.Errorf("the merged letter's timeline lacks the reply: %q", tl)
	}
	boss.visit("/cases/" + primary.ID)
	boss.shot("primary-answered-1366")
}
