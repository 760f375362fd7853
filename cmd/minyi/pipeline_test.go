package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/analysis"
	"minyi/deadline"
	"minyi/demosite"
	"minyi/routing"
	"minyi/workflows"
)

// testApp is a whole `minyi serve` on a temp dir, crawling a demo site the
// test controls.
type testApp struct {
	*app
	site *demosite.Site
	hits *siteHits // requests the demo site answered

	accountsOnce sync.Once // demo accounts for browser tests (demoLogin)
	accountsErr  error
}

// tune adjusts each demo source, e.g. a benchmark's larger crawl budgets.
func startTestApp(t testing.TB, demo demosite.Options, tune ...func(*minyi.Source)) *testApp {
	t.Helper()
	return startTestAppWith(t, demo, nil, tune...)
}

// startTestAppWith is startTestApp with the configuration edited first,
// e.g. to put the store elsewhere.
func startTestAppWith(t testing.TB, demo demosite.Options, edit func(*Config), tune ...func(*minyi.Source)) *testApp {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a Temporal server; skipped with -short")
	}
	site := demosite.New(demo)
	hits := &siteHits{}
	siteURL, stopSite, err := serveHTTP("127.0.0.1:0", hits.count(site.Handler()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSite)
	forum, mailbox := demosite.ForumSource(siteURL), demosite.MailboxSource(siteURL)
	// The test triggers every crawl itself; an hour keeps the schedule
	// quiet, and no list polling starts crawls of its own.
	forum.Interval, mailbox.Interval = time.Hour, time.Hour
	forum.PollInterval, mailbox.PollInterval = 0, 0
	forum.RateLimit, mailbox.RateLimit = 200, 200
	for _, f := range tune {
		f(&forum)
		f(&mailbox)
	}
	raw := Config{
		DataDir:       t.TempDir(),
		Listen:        "127.0.0.1:0",
		MetricsListen: "127.0.0.1:0",
		Temporal:      TemporalConfig{Port: freeTemporalPort(t), LogLevel: "fatal"},
		Sources:       []minyi.Source{forum, mailbox},
		Routing:       routing.DemoConfig(),
		Users:         demoUsers(routing.DemoConfig().Departments),
		Deadlines:     deadline.DefaultPolicy(),
		Alerts:        AlertsConfig{Subscriptions: testSubscriptions()},
		Portal:        PortalConfig{Listen: "127.0.0.1:0"},
	}
	if edit != nil {
		edit(&raw)
	}
	cfg, err := fillDefaults(raw)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, err := startApp(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return &testApp{app: a, site: site, hits: hits}
}

// crawl waits for the schedule's next crawl of source to finish. The first
// call sees the crawl syncSchedules triggered at start; later calls trigger one.
func (ta *testApp) crawl(t testing.TB, source string, trigger bool) workflows.CrawlResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	h := ta.client.ScheduleClient().GetHandle(ctx, schedulePrefix+source)
	before := 0
	if trigger {
		desc, err := h.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before = len(desc.Info.RecentActions)
		if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for {
		desc, err := h.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(desc.Info.RecentActions); n > before {
			run := desc.Info.RecentActions[n-1].StartWorkflowResult
			var res workflows.CrawlResult
			if err := ta.client.GetWorkflow(ctx, run.WorkflowID, run.FirstExecutionRunID).Get(ctx, &res); err != nil {
				t.Fatalf("crawl of %s: %v", source, err)
			}
			recordHistory(t, ta.client, "CrawlWorkflow", run.WorkflowID, run.FirstExecutionRunID)
			return res
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no crawl of %s started", source)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// get reads the API as the demo admin: every /api read needs a user.
func (ta *testApp) get(t *testing.T, path string, out any) int {
	t.Helper()
	return ta.do(t, http.MethodGet, path, demoToken("admin"), nil, out)
}

// do sends a request with an optional bearer token and JSON body and
// decodes the JSON answer into out.
func (ta *testApp) do(t *testing.T, method, path, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(raw))
	}
	req, err := http.NewRequest(method, ta.apiURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s %s: decoding: %v", method, path, err)
	}
	return resp.StatusCode
}

func (ta *testApp) search(t *testing.T, params url.Values) minyi.SearchResult {
	t.Helper()
	var res minyi.SearchResult
	if code := ta.get(t, "/api/search?"+params.Encode(), &res); code != http.StatusOK {
		t.Fatalf("search %v: status %d", params, code)
	}
	return res
}

// TestPipeline crawls the demo city site through the real embedded Temporal
// server, store and index, and checks what a user then finds.
func TestPipeline(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, minyi.ChinaTime)
	now := start.AddDate(0, 0, 30)
	ta := startTestApp(t, demosite.Options{Seed: 7, Threads: 40, Letters: 25, Start: start,
		Now: func() time.Time { return now }})
	threads, letters := ta.site.Threads(), ta.site.Letters()

	forum := ta.crawl(t, "demo-forum", false)
	mailbox := ta.crawl(t, "demo-mailbox", false)
	// +1: the board announcement thread every Discuz board pins.
	if forum.Run.NewItems != len(threads)+1 || forum.Indexed != forum.Run.NewItems {
		t.Fatalf("first forum crawl: %d new, %d indexed; want %d threads", forum.Run.NewItems, forum.Indexed, len(threads)+1)
	}
	if mailbox.Run.NewItems != len(letters) || mailbox.Indexed != len(letters) {
		t.Fatalf("first mailbox crawl: %d new, %d indexed; want %d letters", mailbox.Run.NewItems, mailbox.Indexed, len(letters))
	}

	t.Run("threads are stored as published, GBK decoded", func(t *testing.T) {
		for _, th := range threads {
			var doc minyi.Document
			id := minyi.DocumentID("demo-forum", fmt.Sprintf("tid:%d", th.TID))
			if code := ta.get(t, "/api/posts/"+id, &doc); code != http.StatusOK {
				t.Fatalf("thread %d: status %d", th.TID, code)
			}
			if doc.Title != th.Title || doc.Author != th.Author || !doc.Published.Equal(th.Published) || doc.Board != th.Board {
				t.Errorf("thread %d: got %q by %q at %v in %q; want %q by %q at %v in %q", th.TID,
					doc.Title, doc.Author, doc.Published, doc.Board, th.Title, th.Author, th.Published, th.Board)
			}
			if squash(doc.Body) != squash(th.Body) {
				t.Errorf("thread %d body:\n got %q\nwant %q", th.TID, doc.Body, th.Body)
			}
			if len(doc.Comments) != len(th.Replies) {
				t.Errorf("thread %d: %d comments, want %d", th.TID, len(doc.Comments), len(th.Replies))
			}
			if doc.Likes != th.Likes || doc.Dislikes != th.Dislikes {
				t.Errorf("thread %d: 支持/反对 %d/%d, want %d/%d", th.TID, doc.Likes, doc.Dislikes, th.Likes, th.Dislikes)
			}
		}
	})

	t.Run("letters carry the published department reply", func(t *testing.T) {
		for _, l := range letters {
			var doc minyi.Document
			id := minyi.DocumentID("demo-mailbox", l.No)
			if code := ta.get(t, "/api/posts/"+id, &doc); code != http.StatusOK {
				t.Fatalf("letter %s: status %d", l.No, code)
			}
			if doc.Title != l.Title || doc.MessageType != l.Type || !doc.Published.Equal(l.Published) ||
				doc.Likes != l.Likes || doc.Dislikes != l.Dislikes {
				t.Errorf("letter %s: got %q %q %v %d/%d", l.No, doc.Title, doc.MessageType, doc.Published, doc.Likes, doc.Dislikes)
			}
			answered := !l.ReplyTime.IsZero()
			if answered != (doc.Reply != nil) {
				t.Fatalf("letter %s: answered=%v but reply=%+v", l.No, answered, doc.Reply)
			}
			if answered && (doc.Reply.Unit != l.ReplyUnit || !doc.Reply.Published.Equal(l.ReplyTime)) {
				t.Errorf("letter %s reply: got %q at %v, want %q at %v", l.No, doc.Reply.Unit, doc.Reply.Published, l.ReplyUnit, l.ReplyTime)
			}
		}
	})

	t.Run("search finds the phrase, not its characters", func(t *testing.T) {
		res := ta.search(t, url.Values{"q": {"拆迁补偿"}, "source": {"demo-forum"}, "page_size": {"100"}})
		hits := map[string]bool{}
		for _, h := range res.Hits {
			hits[h.ID] = true
			if !strings.Contains(strings.Join(flatten(h.Highlights), ""), "<mark>") {
				t.Errorf("hit %s %q has no highlighted match: %v", h.ID, h.Title, h.Highlights)
			}
		}
		want, wantNot := 0, 0
		for _, th := range threads {
			text := analysis.Fold(th.Title + th.Body + replyText(th))
			id := minyi.DocumentID("demo-forum", fmt.Sprintf("tid:%d", th.TID))
			switch {
			case strings.Contains(text, "拆迁补偿"):
				want++
				if !hits[id] {
					t.Errorf("thread %d %q contains 拆迁补偿 (traditional=%v) but was not found", th.TID, th.Title, th.Traditional)
				}
			case strings.Contains(text, "拆") && strings.Contains(text, "补"):
				wantNot++
				if hits[id] {
					t.Errorf("thread %d %q only has 拆 and 补 apart but was found", th.TID, th.Title)
				}
			}
		}
		if want == 0 || wantNot == 0 {
			t.Fatalf("demo data lacks the cases this test needs: %d with the phrase, %d with the characters apart", want, wantNot)
		}
		if int(res.Total) != want {
			t.Errorf("total %d, want %d", res.Total, want)
		}
		if len(res.Facets.Sources) != 1 || res.Facets.Sources[0].Value != "demo-forum" || res.Facets.Sources[0].Count != want {
			t.Errorf("source facet %+v, want demo-forum=%d", res.Facets.Sources, want)
		}
	})

	t.Run("analysis: reposts share a topic, facets and analytics count sentiments", func(t *testing.T) {
		testAnalysis(t, ta, threads, start, now)
	})

	t.Run("every document is in an event the store and index know", func(t *testing.T) {
		testEvents(t, ta, threads)
	})

	t.Run("a negative spike for a subscription opens a case", func(t *testing.T) {
		testAlerts(t, ta, now)
	})

	t.Run("bad query syntax is a 400 with a message", func(t *testing.T) {
		var body struct {
			Error struct{ Code, Message string }
		}
		if code := ta.get(t, "/api/search?q=%22unclosed", &body); code != http.StatusBadRequest || body.Error.Code != minyi.EINVALID || body.Error.Message == "" {
			t.Fatalf("got %d %+v", code, body)
		}
	})

	t.Run("second crawl ingests only what is new", func(t *testing.T) {
		beforeT, beforeL := snapshotThreads(threads), snapshotLetters(letters)
		ta.site.Grow(3, 2)
		wantForum := changedThreads(beforeT, ta.site.Threads())
		wantMailbox := changedLetters(beforeL, ta.site.Letters())
		forum := ta.crawl(t, "demo-forum", true)
		mailbox := ta.crawl(t, "demo-mailbox", true)
		if forum.Run.NewItems != wantForum || forum.Indexed != wantForum {
			t.Errorf("forum: %d new, %d indexed; want %d (3 new threads + threads with new replies)", forum.Run.NewItems, forum.Indexed, wantForum)
		}
		if mailbox.Run.NewItems != wantMailbox {
			t.Errorf("mailbox: %d new; want %d (2 new letters + newly answered ones)", mailbox.Run.NewItems, wantMailbox)
		}
		if forum.Run.PagesNotModified == 0 {
			t.Errorf("forum: no page answered 304 on the second crawl: %+v", forum.Run)
		}
		var st struct{ Sources []minyi.SourceStatus }
		ta.get(t, "/api/status", &st)
		docs := map[string]int{}
		for _, s := range st.Sources {
			docs[s.Source] = s.Documents
		}
		if docs["demo-forum"] != len(ta.site.Threads())+1 || docs["demo-mailbox"] != len(ta.site.Letters()) {
			t.Errorf("status %+v; want %d threads and %d letters", st.Sources, len(ta.site.Threads())+1, len(ta.site.Letters()))
		}
	})
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func flatten(m map[string][]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v...)
	}
	return out
}

func replyText(th demosite.Thread) string {
	var b strings.Builder
	for _, r := range th.Replies {
		b.WriteString(r.Body)
	}
	return b.String()
}

func snapshotThreads(ts []demosite.Thread) map[int]int {
	m := map[int]int{}
	for _, t := range ts {
		m[t.TID] = len(t.Replies)
	}
	return m
}

func changedThreads(before map[int]int, after []demosite.Thread) int {
	n := 0
	for _, t := range after {
		if r, ok := before[t.TID]; !ok || r != len(t.Replies) {
			n++
		}
	}
	return n
}

func snapshotLetters(ls []demosite.Letter) map[string]string {
	m := map[string]string{}
	for _, l := range ls {
		m[l.No] = l.Status + l.ReplyText
	}
	return m
}

func changedLetters(before map[string]string, after []demosite.Letter) int {
	n := 0
	for _, l := range after {
		if s, ok := before[l.No]; !ok || s != l.Status+l.ReplyText {
			n++
		}
	}
	return n
}

// recordHistory writes a finished workflow's history for the replay tests in
// workflows/ when MINYI_RECORD_HISTORIES names the directory.
func recordHistory(t testing.TB, c client.Client, name, workflowID, runID string) {
	dir := os.Getenv("MINYI_RECORD_HISTORIES")
	if dir == "" {
		return
	}
	raw, err := historyJSON(context.Background(), c, workflowID, runID)
	if err != nil {
		t.Fatalf("recording history: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if name == "CrawlWorkflow" {
		// The first ingest child of this crawl, if it had one.
		child := fmt.Sprintf("ingest-%s-0", runID)
		if raw, err := historyJSON(context.Background(), c, child, ""); err == nil {
			os.WriteFile(filepath.Join(dir, "IngestWorkflow.json"), raw, 0o644)
		}
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// freeTemporalPort picks a frontend port for an embedded Temporal server
// whose derived ports (frontend+1..3 and -300..-297) are free too. It picks
// below the ephemeral range, where outgoing connections of parallel tests
// cannot take a derived port between the check and the server's start.
func freeTemporalPort(t testing.TB) int {
	t.Helper()
	for range 200 {
		p := 20000 + rand.IntN(10000)
		ok := true
		var open []net.Listener
		for _, q := range []int{p, p + 1, p + 2, p + 3, p - 300, p - 299, p - 298, p - 297} {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", q))
			if err != nil {
				ok = false
				break
			}
			open = append(open, l)
		}
		for _, l := range open {
			l.Close()
		}
		if ok {
			return p
		}
	}
	t.Fatal("no free port range for an embedded Temporal server")
	return 0
}
