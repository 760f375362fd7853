package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
	"minyi/store/sqlite"
)

// A backup taken while messages keep arriving restores elsewhere to the
// counts it recorded, with the index rebuilt to match the store.
func TestBackupUnderLoadRestoresElsewhere(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 10, Letters: 10})
	ta.crawl(t, "demo-mailbox", false)
	ctx := context.Background()

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // intake load during the backup
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: fmt.Sprintf("BK%04d", i),
				Title: fmt.Sprintf("第%d号楼下水道堵塞", i), Body: "污水漫到路面，请尽快疏通。"})
			if code, raw := ta.post(t, body); code != http.StatusCreated {
				t.Errorf("intake during backup: %d %s", code, raw)
				return
			}
		}
	}()
	dir := t.TempDir()
	m, err := backup(ctx, ta.cfg, dir)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if m.Documents == 0 || m.Cases == 0 || len(m.Files) != 2 {
		t.Fatalf("manifest %+v", m)
	}
	if live, _ := ta.store.CountDocuments(ctx); live < m.Documents {
		t.Fatalf("the backup holds %d documents, more than the live store's %d", m.Documents, live)
	}

	cfg := defaultConfig()
	cfg.DataDir = filepath.Join(t.TempDir(), "restored")
	cfg, err = fillDefaults(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, indexed, err := restore(ctx, cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(cfg.Store.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, _ := s.CountDocuments(ctx)
	_, cases, _ := s.Cases(ctx, minyi.CaseFilter{Limit: 1})
	if docs != m.Documents || cases != m.Cases || indexed != docs || got.Documents != m.Documents {
		t.Fatalf("restored %d documents (%d indexed) and %d cases; the backup recorded %d and %d", docs, indexed, cases, m.Documents, m.Cases)
	}
	if _, _, err := restore(ctx, cfg, dir); err == nil {
		t.Fatal("a restore over existing data was allowed")
	}
	t.Logf("backup under load: %d documents, %d cases; restored and reindexed", docs, cases)
}
