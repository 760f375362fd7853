package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi"
	"minyi/importer"
)

// importRow holds a row's values by mapping key; the person's name column
// of a family is under "ignored".
type importRow map[string]string

var importRows = []importRow{
	{"id": "X1", "title": "路灯不亮", "body": "人民路路灯坏了一周", "received": "2024/3/1 9:00", "type": "投诉",
		"category": "城乡建设", "region": "江北区", "reply_unit": "市住建局", "reply_text": "已修复",
		"reply_time": "2024/3/5 10:00", "department": "市住建局", "rating": "满意", "ignored": "张三"},
	{"id": "X2", "title": "公交改线", "body": "建议12路延伸到新区", "received": "2024-03-02 08:30", "type": "建议",
		"category": "交通运输", "region": "城南区", "department": "市交通运输局", "ignored": "李四"},
	{"id": "X3", "title": "噪音扰民", "body": "工地夜间施工", "received": "2024年3月3日", "type": "投诉",
		"category": "城乡建设", "region": "江北区", "reply_unit": "市住建局", "reply_text": "已责令整改",
		"reply_time": "2024/3/20", "department": "市住建局", "rating": "不满意", "ignored": "王五"},
}

// setHeaders is the header row of a file of set: each field under the
// family's own first header, else the generic one (families mix: a mailbox
// export with 信件标题 answers under 答复时间).
func setHeaders(set importer.HeaderSet) (keys, headers []string) {
	generic := importer.HeaderSets[0].Mapping
	for _, key := range importer.MappingKeys() {
		spec := set.Mapping.Field(key)
		if spec == "" {
			spec = generic.Field(key)
		}
		if spec == "" {
			continue
		}
		first, _, _ := strings.Cut(spec, "|")
		keys, headers = append(keys, key), append(headers, first)
	}
	if len(set.Ignored) > 0 {
		keys, headers = append(keys, "ignored"), append(headers, set.Ignored[0])
	}
	return keys, headers
}

func writeImportFile(t testing.TB, dir, name string, header []string, rows [][]string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if strings.HasSuffix(name, ".xlsx") {
		f := excelize.NewFile()
		defer f.Close()
		all := append([][]string{header}, rows...)
		for i, r := range all {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(r))
			for j := range r {
				vals[j] = r[j]
			}
			if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	w.WriteAll(rows)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runImportCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := runImport(context.Background(), args, &out)
	return out.String(), err
}

func openDataStore(t *testing.T, data string) minyi.Store {
	t.Helper()
	s, err := openStore(context.Background(), StoreConfig{Driver: "sqlite", DSN: filepath.Join(data, "minyi.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportCLIKnownHeaders imports a CSV and an XLSX of every known header
// set without --map into a data directory that does not exist yet, then
// again, which changes nothing.
func TestImportCLIKnownHeaders(t *testing.T) {
	for i, set := range importer.HeaderSets {
		keys, header := setHeaders(set)
		rows := make([][]string, len(importRows))
		for r, row := range importRows {
			for _, k := range keys {
				rows[r] = append(rows[r], row[k])
			}
		}
		for _, ext := range []string{"csv", "xlsx"} {
			t.Run(fmt.Sprintf("%d-%s", i, ext), func(t *testing.T) {
				dir := t.TempDir()
				data := filepath.Join(dir, "new", "data")
				file := writeImportFile(t, dir, "history."+ext, header, rows)
				out, err := runImportCLI(t, "--data", data, "--source", "history", file)
				if err != nil {
					t.Fatalf("headers %v: %s (%v)", header, userMessage(err), err)
				}
				if !strings.Contains(out, ": 3 rows, 3 imported, 0 already there, 0 failed, 2 answered") {
					t.Errorf("headers %v: %s", header, out)
				}
				out, err = runImportCLI(t, "--data", data, "--source", "history", file)
				if err != nil || !strings.Contains(out, ": 3 rows, 0 imported, 3 already there, 0 failed") {
					t.Errorf("re-import: %s %v", out, err)
				}

				s := openDataStore(t, data)
				ctx := context.Background()
				k, err := s.Case(ctx, minyi.CaseIDFor(minyi.DocumentID("history", "id:X1")))
				if err != nil {
					t.Fatal(err)
				}
				if k.Department != "housing" || k.Status != minyi.CaseClosed || !k.OnTime || k.Rating != minyi.RatingSatisfied {
					t.Errorf("case X1 %+v", k)
				}
				k2, _ := s.Case(ctx, minyi.CaseIDFor(minyi.DocumentID("history", "id:X2")))
				if k2 == nil || k2.Department == "" || k2.Status != minyi.CaseOpen {
					t.Errorf("case X2 %+v", k2)
				}
				docs, _ := s.Documents(ctx, []string{k.DocumentID})
				if len(docs) != 1 || strings.Contains(docs[0].Body+docs[0].Title, "张三") {
					t.Errorf("document %+v: the person's name must not be imported", docs)
				}
				stats, err := s.DepartmentStats(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, minyi.ChinaTime),
					time.Date(2025, 1, 1, 0, 0, 0, 0, minyi.ChinaTime), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range stats {
					if d.Department == "housing" && (d.Received != 2 || d.Answered != 2 || d.Rated != 2 || d.Satisfied != 1) {
						t.Errorf("housing stats %+v: rating and reply unit must count", d)
					}
				}
			})
		}
	}
}

func TestImportCLIBadRowsAndFailure(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	header := []string{"编号", "标题", "内容", "受理时间", "答复单位", "答复内容", "答复时间", "满意度"}
	rows := [][]string{
		{"B1", "路灯不亮", "人民路路灯坏了", "2024/3/1 9:00", "市住建局", "已修复", "2024/3/5", "满意"},
		{"B2", "日期错", "内容", "2024/13/40", "", "", "", ""},
		{"B3", "倒序", "内容", "2024/3/10 8:00", "市住建局", "已答复", "2024/3/9", ""},
		{"B4", "评价错", "内容", "2024/3/10 8:00", "市住建局", "已答复", "2024/3/12", "五颗星"},
		{"B5", "好的", "内容", "2024/3/11 8:00", "", "", "", ""},
	}
	for _, ext := range []string{"csv", "xlsx"} {
		file := writeImportFile(t, dir, "bad."+ext, header, rows)
		out, err := runImportCLI(t, "--data", data, "--source", "bad-"+ext, file)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{": 5 rows, 2 imported, 0 already there, 3 failed", "line 3, column 受理时间",
			"line 4, column 答复时间", "line 5, column 满意度"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", ext, want, out)
			}
		}
	}

	// A file without the required columns: only the error, no summary.
	file := writeImportFile(t, dir, "nohead.csv", []string{"a", "b"}, [][]string{{"1", "2"}})
	out, err := runImportCLI(t, "--data", data, file)
	if err == nil || out != "" {
		t.Fatalf("failed import printed %q, err %v", out, err)
	}
	if msg := userMessage(err); strings.Contains(msg, "code=") || !strings.Contains(msg, "the file has no column for") {
		t.Errorf("error reads %q", msg)
	}
	if got := userMessage(fmt.Errorf("opening store: %w", minyi.Errorf(minyi.EINVALID, "bad"))); got != "opening store: bad" {
		t.Errorf("wrapped error reads %q", got)
	}
}

// BenchmarkImport200k imports a generated 200,000-row CSV through the CLI's
// importer wiring into SQLite and reports rows per second and peak heap.
func BenchmarkImport200k(b *testing.B) {
	const n = 200_000
	dir := b.TempDir()
	path := filepath.Join(dir, "big.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "工单编号,诉求标题,诉求内容,受理时间,承办单位,办理结果,办结时间,满意度")
	base := time.Date(2023, 1, 2, 9, 0, 0, 0, minyi.ChinaTime)
	units := []string{"市住建局", "市交通运输局", "市教育局", "市城管局"}
	ratings := []string{"满意", "基本满意", "不满意", ""}
	for i := range n {
		rec := base.Add(time.Duration(i) * time.Minute)
		fmt.Fprintf(w, "GD%07d,诉求%d,关于第%d号路段路灯损坏的诉求，请尽快维修,%s,%s,已处理,%s,%s\n", i, i, i,
			rec.Format("2006-01-02 15:04:05"), units[i%4], rec.AddDate(0, 0, 3+i%20).Format("2006-01-02 15:04:05"), ratings[i%4])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for b.Loop() {
		cfg := defaultConfig()
		cfg.DataDir = b.TempDir()
		cfg, err := fillDefaults(cfg)
		if err != nil {
			b.Fatal(err)
		}
		deps, closeStore, err := importDeps(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := samplePeakHeap()
		start := time.Now()
		rep, err := importer.Import(context.Background(), deps, "bench", in, "csv", importer.DefaultMapping())
		elapsed := time.Since(start)
		peak := stop()
		in.Close()
		closeStore()
		if err != nil || rep.Imported != n {
			b.Fatalf("%+v %v", rep.Rows, err)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		fmt.Printf("import 200k: %d rows in %s, %.0f rows/s, peak heap %.1f MiB\n", n, elapsed.Round(time.Millisecond),
			float64(n)/elapsed.Seconds(), float64(peak)/(1<<20))
	}
}

// samplePeakHeap polls the heap until the returned stop is called, which
// returns the largest HeapAlloc seen.
func samplePeakHeap() (stop func() uint64) {
	var peak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak
	}
}
