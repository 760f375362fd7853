package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"text/tabwriter"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
	"minyi/demosite"
)

// runDemoSite serves the demo city site alone, e.g. to point a config at it.
func runDemoSite(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo-site", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8081", "listen address")
	every := fs.Duration("grow-every", 20*time.Second, "how often a new thread and letter appear")
	if err := fs.Parse(args); err != nil {
		return err
	}
	site := demosite.New(demosite.Options{Seed: 1})
	url, stop, err := serveHTTP(*listen, site.Handler())
	if err != nil {
		return err
	}
	defer stop()
	go site.Run(ctx, *every)
	fmt.Printf("demo city site: forum %s/forum.php, mailbox %s/mailbox/list?page=1\n", url, url)
	<-ctx.Done()
	return nil
}

// reindex rebuilds the search index from the store, in batches, so the
// index can always be thrown away. The server must be stopped: bleve locks
// its directory.
func runReindex(ctx context.Context, args []string) error {
	f, err := parseCommon("reindex", args)
	if err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		return fmt.Errorf("opening store: %w", err)
	}
	defer store.Close()
	start := time.Now()
	// Events first, so that the index carries them.
	events, err := pipeline.RebuildEvents(ctx, store, pipeline.Options{}, 500)
	if err != nil {
		return fmt.Errorf("rebuilding events: %w", err)
	}
	fmt.Printf("assigned %d documents to events in %s\n", events, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	n, err := rebuildIndex(ctx, cfg.Search, store)
	if err != nil {
		return err
	}
	fmt.Printf("reindexed %d documents in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

func reindex(ctx context.Context, store minyi.Store, index minyi.Index, batch int) (int, error) {
	total, after := 0, ""
	for {
		docs, err := store.ScanDocuments(ctx, after, batch)
		if err != nil {
			return total, err
		}
		if len(docs) == 0 {
			return total, nil
		}
		if err := index.Index(ctx, docs); err != nil {
			return total, err
		}
		total += len(docs)
		after = docs[len(docs)-1].ID
	}
}

// runStatus prints crawl progress per source from a running server.
func runStatus(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	base := fs.String("api", "http://127.0.0.1:8080", "address of a running minyi serve")
	token := fs.String("token", os.Getenv("MINYI_TOKEN"), "API token (default $MINYI_TOKEN; the demo's is "+demoToken("admin")+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *base+"/api/status", nil)
	if err != nil {
		return err
	}
	if *token == "" {
		*token = demoToken("admin") // works against the demo, and only there
	}
	req.Header.Set("Authorization", "Bearer "+*token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("is minyi serve running? %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("status: %s: pass an API token with -token or $MINYI_TOKEN (create one on the account page)", resp.Status)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status: %s", resp.Status)
	}
	var st struct {
		Sources []minyi.SourceStatus `json:"sources"`
		Indexed uint64               `json:"indexed"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	printStatus(out, st.Sources, st.Indexed)
	return nil
}

func printStatus(out io.Writer, sources []minyi.SourceStatus, indexed uint64) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tDOCUMENTS\tCRAWLS\tLAST CRAWL\tPAGES\t304\tNEW\tERRORS\tLAST ERROR")
	for _, s := range sources {
		if s.LastRun == nil {
			fmt.Fprintf(tw, "%s\t%d\t%d\t-\t\t\t\t\t\n", s.Source, s.Documents, s.Runs)
			continue
		}
		r := s.LastRun
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%s\n", s.Source, s.Documents, s.Runs,
			r.Started.In(minyi.ChinaTime).Format("2006-01-02 15:04:05"), r.PagesFetched,
			r.PagesNotModified, r.NewItems, r.Errors, r.LastError)
	}
	tw.Flush()
	fmt.Fprintf(out, "indexed documents: %d\n", indexed)
}
