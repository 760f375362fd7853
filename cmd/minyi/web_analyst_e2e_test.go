package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/demosite"
)

// TestWebAnalyst is an analyst's morning in the browser: search 拆迁补偿 in
// the crawled demo city, open a hit, look at the trends, and meet a post
// whose title carries a script that must stay text.
func TestWebAnalyst(t *testing.T) {
	now := time.Now()
	ta := startTestApp(t, demosite.Options{Seed: 7, Threads: 40, Letters: 25, Start: now.AddDate(0, 0, -30),
		Now: func() time.Time { return now }})
	ta.crawl(t, "demo-forum", false)
	ta.crawl(t, "demo-mailbox", false)

	// A citizen's message with a script in its title, through direct intake.
	const evil = `<script>window.__minyiPwned=1</script>拆迁补偿款去哪了`
	var posted struct{ ID string }
	if code := ta.do(t, http.MethodPost, "/api/messages", demoToken("intake"), map[string]any{
		"source": "hotline", "external_id": "e2e-script-1", "title": evil,
		"body": "我们小区的拆迁补偿一直没有到位，<img src=x onerror=\"window.__minyiPwned=2\">请尽快处理。", "message_type": "投诉",
	}, &posted); code != http.StatusCreated && code != http.StatusOK && code != http.StatusAccepted {
		t.Fatalf("posting the message: status %d", code)
	}
	deadline := time.Now().Add(time.Minute)
	for len(ta.search(t, url.Values{"q": {"拆迁补偿款去哪了"}}).Hits) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the posted message never became searchable")
		}
		time.Sleep(200 * time.Millisecond)
	}

	b := newBrowser(t, ta.apiURL)
	// Until the login page is in this branch; then: b.login("analyst", "minyi-demo")
	ta.demoLogin(b, "analyst")
	pwned := func() bool { return eval[bool](b, `typeof window.__minyiPwned !== "undefined"`) }

	b.visit("/search")
	b.run(
		chromedp.SendKeys(chromedp.CSS(`#q`), "拆迁补偿"),
		chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.hits li`)),
	)
	b.shot("search-拆迁补偿")
	if n := eval[int](b, `document.querySelectorAll("ol.hits li mark").length`); n == 0 {
		t.Fatal("no <mark> in the hits of 拆迁补偿")
	}
	if m := eval[string](b, `document.querySelector("ol.hits li mark").textContent`); m != "拆迁补偿" {
		t.Errorf("the first mark reads %q, want 拆迁补偿", m)
	}
	if pwned() {
		t.Fatal("a script from a post ran on the search page")
	}
	titles := eval[string](b, `Array.from(document.querySelectorAll("ol.hits h3")).map(e => e.textContent).join("\n")`)
	if !strings.Contains(titles, "<script>window.__minyiPwned=1</script>") {
		t.Errorf("the script title is not shown as text among the hits:\n%s", titles)
	}
	if n := eval[int](b, `document.querySelectorAll("ol.hits script, ol.hits img").length`); n != 0 {
		t.Errorf("the hits hold %d script or img elements from posts", n)
	}
	facets := b.text(".facets")
	if !strings.Contains(facets, "demo-forum") {
		t.Errorf("facets lack the forum source: %q", facets)
	}

	// Open the first ordinary hit.
	b.run(
		chromedp.Click(chromedp.CSS(`ol.hits li h3 a:not([href*="`+posted.ID+`"])`)),
		chromedp.WaitVisible(chromedp.CSS(`article.doc`)),
	)
	b.shot("document")
	if body := b.text("article.doc .body-text"); body == "" {
		t.Error("the document page shows no text")
	}
	if a := b.text("aside.analysis"); !strings.Contains(a, "情感倾向") {
		t.Errorf("the document page shows no analysis: %q", a)
	}

	// The script post's own page.
	id := posted.ID
	if id == "" {
		id = minyi.DocumentID("hotline", "e2e-script-1")
	}
	b.visit("/documents/" + id)
	if h := b.text("main h1"); h != evil {
		t.Errorf("the document title reads %q, want the text %q", h, evil)
	}
	if pwned() {
		t.Fatal("a script from a post ran on the document page")
	}

	b.visit("/trends")
	b.run(chromedp.WaitVisible(chromedp.CSS(`#chart-sentiment[data-rendered="true"] canvas`)))
	b.shot("trends-drawn")
	if total := b.text("#sent-h + p"); strings.Contains(total, "已分析 0 篇") {
		t.Errorf("the sentiment chart has no data: %q", total)
	}
	if n := eval[int](b, `document.querySelectorAll("canvas").length`); n < 1 {
		t.Errorf("%d charts drawn on the trends page, want the sentiment chart at least", n)
	}
	// The demo's incidents are events of several posts and letters: the
	// hottest is a card whose page lists them.
	if n := eval[int](b, `document.querySelectorAll(".event-card").length`); n < 3 {
		t.Errorf("%d hot events on the trends page, want the demo's incidents", n)
	}
	if n := eval[int](b, `parseInt(document.querySelector(".event-card .event-count strong").textContent)`); n < 2 {
		t.Errorf("the hottest event has %d documents this week, want an incident's several", n)
	}
	b.run(chromedp.Click(chromedp.CSS(`.event-card h3 a`)), chromedp.WaitVisible(chromedp.CSS(`#chart-event[data-rendered="true"] canvas`)))
	b.shot("event")
	if n := eval[int](b, `document.querySelectorAll("ol.hits li a").length`); n < 2 {
		t.Errorf("the event page lists %d documents", n)
	}

	b.visit("/alerts")
	if s := b.text("main"); !strings.Contains(s, "关键词订阅") {
		t.Errorf("alerts page: %q", s)
	}
	b.run(
		chromedp.SendKeys(chromedp.CSS(`#s-name`), "拆迁补偿监测"),
		chromedp.SendKeys(chromedp.CSS(`#s-keyword`), "拆迁补偿 -咨询"),
		chromedp.Click(chromedp.CSS(`#add-subscription button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
	)
	b.shot("alerts-added")
	if s := b.text("main table"); !strings.Contains(s, "拆迁补偿监测") || !strings.Contains(s, "拆迁补偿 -咨询") {
		t.Errorf("the new subscription is not listed: %q", s)
	}

	// A phone: the search page without sideways scrolling.
	b.run(chromedp.EmulateViewport(375, 812))
	b.visit("/search?q=" + url.QueryEscape("拆迁补偿"))
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 380 {
		t.Errorf("on a 375px phone the search page is %dpx wide", w)
	}
	b.visit("/trends?interval=week")
	b.run(chromedp.WaitVisible(chromedp.CSS(`#chart-sentiment[data-rendered="true"] canvas`)))
	b.shot("trends-phone")
	b.run(chromedp.Click(chromedp.CSS(`.event-card h3 a`)), chromedp.WaitVisible(chromedp.CSS(`#chart-event[data-rendered="true"] canvas`)))
	b.shot("event-phone")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 380 {
		t.Errorf("on a 375px phone the event page is %dpx wide", w)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 380 {
		t.Errorf("on a 375px phone the trends page is %dpx wide", w)
	}
}
