package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi/demosite"
)

// TestWebAdmin drives the admin pages in a real Chromium on the embedded
// app: a history file with one bad row through the import page to its
// report, a message pasted into the rule tester, and the other admin pages.
func TestWebAdmin(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 2, Letters: 2})
	b := newBrowser(t, ta.apiURL)
	ta.demoLogin(b, "admin")

	// Import: upload, mapping with preview, progress, report.
	file := filepath.Join(t.TempDir(), "留言板导出.csv")
	csv := "留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间,满意度\n" +
		"W1,张三,小区电梯坏了,2024/3/1 9:00,幸福小区3号楼电梯停运一周,已督促物业维修,2024/3/6 10:00,满意\n" +
		"W2,李四,噪音扰民,2024年3月2日,工地夜间施工噪音很大,,,\n" +
		"W3,王五,路灯不亮,2024/3/32 8:00,人民路路灯坏了,,,\n" +
		"W4,赵六,公交班次太少,2024-03-04 08:30,建议增加12路公交班次,已采纳,2024-03-10,基本满意\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	b.visit("/admin/import")
	b.run(
		chromedp.SetUploadFiles(chromedp.CSS("#i-file"), []string{file}),
		chromedp.Click(chromedp.CSS("#import-upload button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#import-mapping")),
	)
	b.shot("import-mapping")
	if got := b.text("#import-preview"); !strings.Contains(got, "幸福小区3号楼电梯停运一周") {
		t.Errorf("preview shows %q", got)
	}
	sel := value(b, chromedp.Value(chromedp.CSS("#map-title")))
	if sel != "留言主题" {
		t.Errorf("title column detected as %q", sel)
	}
	b.run(
		chromedp.Click(chromedp.CSS("#import-mapping button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#import-report")),
	)
	b.shot("import-report")
	report := b.text("#import-report")
	for _, w := range []string{"4", "3", "1"} {
		if !strings.Contains(report, w) {
			t.Errorf("report %q lacks %s", report, w)
		}
	}
	if errs := b.text("#import-errors"); !strings.Contains(errs, "4") || !strings.Contains(errs, "留言时间") || !strings.Contains(errs, "2024/3/32") {
		t.Errorf("bad rows table %q: want line 4, column 留言时间", errs)
	}
	href := value(b, chromedp.AttributeValue(chromedp.CSS("#import-errors-csv"), "href"))
	if !href.Exists || !strings.HasSuffix(href.Value, "/errors.csv") {
		t.Errorf("no download link for the bad rows: %+v", href)
	}
	b.visit("/admin/import") // the list keeps the finished job

	// A larger file shows the progress bar; the page can be left while the
	// import runs and opened again from the list.
	big := filepath.Join(t.TempDir(), "12345工单.csv")
	var rows strings.Builder
	rows.WriteString("工单编号,诉求标题,诉求内容,受理时间,承办单位,办理结果,办结时间,满意度\n")
	for i := range 4000 {
		fmt.Fprintf(&rows, "G%05d,诉求%d,关于路灯损坏的诉求%d,2024-03-01 09:00,市住建局,已处理,2024-03-05 10:00,满意\n", i, i, i)
	}
	if err := os.WriteFile(big, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.run(
		chromedp.SetUploadFiles(chromedp.CSS("#i-file"), []string{big}),
		chromedp.Click(chromedp.CSS("#import-upload button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#import-mapping")),
		chromedp.Click(chromedp.CSS("#import-mapping button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#import-progress, #import-report")),
	)
	b.shot("import-progress")
	b.visit("/admin/import")
	b.run(chromedp.Click(chromedp.CSS("#import-jobs tbody tr:first-child a")))
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#import-report"))); err != nil {
		t.Fatalf("the large import did not finish: %v", err)
	}
	b.shot("import-report-large")
	if got := b.text("#import-report"); !strings.Contains(got, "4000") {
		t.Errorf("large import report %q", got)
	}

	// Rule tester.
	b.visit("/admin/rules")
	b.run(
		chromedp.SendKeys(chromedp.CSS("#t-title"), "小区暖气不热"),
		chromedp.SendKeys(chromedp.CSS("#t-body"), "江北区幸福小区今年供暖温度只有15度"),
		chromedp.Click(chromedp.CSS("#rule-tester button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#rule-result")),
	)
	b.shot("rule-tester")
	if got := b.text("#rule-result"); !strings.Contains(got, "市住建局") || !strings.Contains(got, "heating") {
		t.Errorf("rule tester says %q, want 市住建局 by rule heating", got)
	}

	b.visit("/admin/departments")
	b.visit("/admin/deadlines")
	b.visit("/admin/sources")
	b.run(
		chromedp.Click(chromedp.CSS("form[action='/admin/sources/crawl'] button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	b.shot("crawl-now")
	if got := b.text(".flash"); !strings.Contains(got, "已开始抓取") {
		t.Errorf("crawl now: %q", got)
	}
}
