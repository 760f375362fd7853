package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/report"
	"minyi/search/bleve"
)

// `minyi report` reads a data directory the server left (the demo's
// departments name the cases), writes the DOCX, PDF and JSON draft, and
// renders an edited draft again.
func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, minyi.ChinaTime)
	docs := []minyi.Document{
		{ID: "p1", Source: "city-forum", Kind: minyi.KindPost, Title: "老旧小区加装电梯进展缓慢", Body: "已经等了两年。",
			Published: day.Add(9 * time.Hour), Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Topic: "p1"}},
		{ID: "p2", Source: "city-forum", Kind: minyi.KindPost, Title: "转：老旧小区加装电梯进展缓慢", Body: "已经等了两年。",
			Published: day.Add(10 * time.Hour), Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Topic: "p1"}},
	}
	for i := range docs {
		docs[i].ContentHash = docs[i].Hash()
	}
	store := openDataStore(t, data)
	if _, err := store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := store.PutCase(ctx, minyi.Case{ID: "case-1", DocumentID: "p1", Source: "city-forum", Title: "电梯", MessageType: minyi.TypeHelp,
		Department: "housing", Status: minyi.CaseOpen, Received: day.Add(9 * time.Hour), Due: day.Add(5 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	index, err := bleve.Open(filepath.Join(data, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	index.Close()

	out := filepath.Join(t.TempDir(), "reports")
	var stdout bytes.Buffer
	err = runReport(ctx, []string{"--data", data, "--kind", "daily", "--from", "2026-11-22", "-o", out}, &stdout)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(out, "daily-2026-11-22")
	if !strings.Contains(stdout.String(), base+".docx") {
		t.Errorf("output %q does not name the files", stdout.String())
	}
	pdf, err := os.ReadFile(base + ".pdf")
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("no PDF: %v", err)
	}
	text := docxDocument(t, base+".docx")
	for _, want := range []string{"舆情日报", "共监测到网络舆情信息2条", "老旧小区加装电梯进展缓慢", "市住建局"} {
		if !strings.Contains(text, want) {
			t.Errorf("the DOCX lacks %q", want)
		}
	}

	// The analyst edits the draft; --draft renders the edit, with no data.
	raw, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	r.Summary = "经核实，电梯加装已列入明年计划。"
	edited, _ := json.Marshal(&r)
	draft := filepath.Join(t.TempDir(), "edited.json")
	if err := os.WriteFile(draft, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := t.TempDir()
	if err := runReport(ctx, []string{"--draft", draft, "-o", out2}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if text := docxDocument(t, filepath.Join(out2, "daily-2026-11-22.docx")); !strings.Contains(text, "经核实，电梯加装已列入明年计划。") {
		t.Error("the rendered draft lacks the edited summary")
	}
}

func TestReportCommandErrors(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", data, "--kind", "daily", "--from", "22/11/2026"}, "--from must be a date"},
		{[]string{"--data", data, "--kind", "special", "--query", "电梯"}, "needs --from and --to"},
		{[]string{"--data", data, "--kind", "daily", "--from", "2026-11-22"}, "run minyi reindex first"},
		{[]string{"--draft", filepath.Join(data, "none.json")}, "no such file"},
	} {
		err := runReport(ctx, c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error saying %q", c.args, err, c.want)
		}
	}
	// The period defaults to the last whole one.
	s, err := reportSpec("weekly", "", "", "", time.Date(2026, 11, 25, 9, 0, 0, 0, minyi.ChinaTime))
	if err != nil || s.From.Format(time.DateOnly) != "2026-11-16" || s.To.Format(time.DateOnly) != "2026-11-23" {
		t.Errorf("default week %s to %s, %v", s.From, s.To, err)
	}
}

// docxDocument is the text of a DOCX's document.xml, markup included.
func docxDocument(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
