package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
	"minyi/api/workflowclient"
	"minyi/demosite"
)

// A city that changes its sentiment model restarts minyi, and the stored
// documents are labelled again in the background: the store, the search
// facets and the sources page agree with the new model, and the version is
// recorded so that the next start leaves them alone.
func TestNewModelsRelabelStoredDocuments(t *testing.T) {
	ta := startTestAppWith(t, demosite.Options{}, func(c *Config) { c.Analysis.SentimentModel = pipeline.LexiconOnly })
	res := ta.crawl(t, "demo-forum", false)
	if res.Indexed == 0 {
		t.Fatalf("first crawl stored nothing: %+v", res)
	}
	ta.waitIndexed(t, "demo-forum", uint64(res.Indexed))
	cfg := ta.cfg
	ta.Close()

	cfg.Analysis.SentimentModel = "" // the embedded model
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a, err := startApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	again := &testApp{app: a}
	var done *minyi.Relabeling
	for done == nil || done.Finished.IsZero() {
		if ctx.Err() != nil {
			t.Fatalf("re-analysis not finished: %+v", done)
		}
		time.Sleep(200 * time.Millisecond)
		if done, err = (workflowclient.Relabelings{Client: a.client}).Relabeling(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if done.Version != a.analyzer.Version() || done.Mixed || done.Done < res.Indexed || done.Changed == 0 {
		t.Fatalf("re-analysis %+v, want all %d documents read with %s and some labels changed", done, res.Indexed, a.analyzer.Version())
	}
	if v, _, err := minyi.LabelledWith(ctx, a.store.(minyi.SettingsStore)); err != nil || v != a.analyzer.Version() {
		t.Errorf("labels recorded as %q (%v)", v, err)
	}

	docs, err := a.store.ScanDocuments(ctx, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	want := a.analyzer.Relabel(docs)
	stored := map[minyi.Sentiment]int{}
	for i, d := range docs {
		if d.Analysis == nil || d.Analysis.Sentiment != want[i].Analysis.Sentiment {
			t.Fatalf("%s stored %+v, the model in force says %s", d.ID, d.Analysis, want[i].Analysis.Sentiment)
		}
		if d.Source == "demo-forum" {
			stored[d.Analysis.Sentiment]++
		}
	}
	facets := again.search(t, url.Values{"source": {"demo-forum"}, "page_size": {"1"}}).Facets.Sentiments
	for _, f := range facets {
		if stored[minyi.Sentiment(f.Value)] != f.Count {
			t.Errorf("search counts %d %s, the store %d: facets %+v", f.Count, f.Value, stored[minyi.Sentiment(f.Value)], facets)
		}
	}

	var page strings.Builder
	if code := again.page(t, "/admin/sources", &page); code != http.StatusOK {
		t.Fatalf("sources page: %d", code)
	}
	if !strings.Contains(page.String(), "重新分析已完成于") || !strings.Contains(page.String(), strings.ReplaceAll(a.analyzer.Version(), "+", "&#43;")) {
		t.Errorf("the sources page does not tell the re-analysis: %s", page.String())
	}
}

// page reads a staff page as the demo admin.
func (ta *testApp) page(t *testing.T, path string, out *strings.Builder) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ta.apiURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+demoToken("admin"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(out, resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}
