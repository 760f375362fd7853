package rest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/api/apitest"

	"github.com/xuri/excelize/v2"

	"minyi"
)

const utf8BOM = "\uFEFF"

// seedExport stores n cases, more than two export pages, received one
// minute apart going back from 2026-11-20 09:00 China time; case 0 carries a
// title that a spreadsheet would run as a formula. Even cases are water's.
func seedExport(t *testing.T, e *apitest.CaseEnv, n int) {
	t.Helper()
	ctx := context.Background()
	first := time.Date(2026, 11, 20, 9, 0, 0, 0, minyi.ChinaTime)
	for i := range n {
		c := minyi.Case{ID: fmt.Sprintf("case-%04d", i), DocumentID: fmt.Sprintf("doc-%04d", i), Source: "mayor-mailbox",
			Title: fmt.Sprintf("第%d号 小区停水", i), MessageType: minyi.TypeHelp, Department: []string{"water", "housing"}[i%2],
			Status: minyi.CaseOpen, Received: first.Add(-time.Duration(i) * time.Minute), Due: first.Add(10 * apitest.CaseDay)}
		if i == 0 {
			c.Title = "=HYPERLINK(\"http://evil.example\")"
			c.Status, c.Answered, c.OnTime, c.Rung, c.Returns, c.Rating =
				minyi.CaseClosed, first.Add(2*apitest.CaseDay+90*time.Minute), true, minyi.RungReminder, 1, minyi.RatingBasic
		}
		if i == 2 { // a repeat of case 0 merged into it (并单)
			c.RepeatOf, c.MergedInto = []string{"case-0000"}, "case-0000"
		}
		if err := e.Store.PutCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportCasesCSV(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	const n = 1107 // three store pages of 500
	seedExport(t, e, n)

	rec := e.Do("GET", "/api/cases/export?format=csv", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, utf8BOM) {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", body[:min(20, len(body))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	for _, col := range []string{"编号", "标题", "类型", "承办单位", "状态", "受理时间", "办理时限", "答复时间", "是否按时", "升级", "回退次数", "满意度"} {
		if !slices.Contains(header, col) {
			t.Errorf("header %v lacks %s", header, col)
		}
	}
	if len(rows) != n+1 {
		t.Fatalf("%d data rows, want %d", len(rows)-1, n)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[0]] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct cases in %d rows", len(seen), n)
	}
	got := record(header, rows[1])
	want := map[string]string{
		"编号": "case-0000", "标题": `'=HYPERLINK("http://evil.example")`, "类型": "求助", "承办单位": "市水务局",
		"状态": "已办结", "受理时间": "2026-11-20 09:00", "办理时限": "2026-11-30 09:00", "答复时间": "2026-11-22 10:30",
		"是否按时": "是", "升级": "提醒", "回退次数": "1", "满意度": "基本满意",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("first row %s = %q, want %q", k, got[k], v)
		}
	}
	// Newest first, across the page boundaries.
	if last := record(header, rows[n]); last["编号"] != fmt.Sprintf("case-%04d", n-1) || last["受理时间"] != "2026-11-19 14:34" {
		t.Errorf("last row = %v", last)
	}
	if r := record(header, rows[2]); r["答复时间"] != "" || r["是否按时"] != "" || r["承办单位"] != "市住建局" {
		t.Errorf("an open case not yet due: %v", r)
	}
	if r := record(header, rows[3]); r["编号"] != "case-0002" || r["重复件"] != "case-0000" || r["并入主件"] != "case-0000" {
		t.Errorf("a merged repeat letter: %v", r)
	}
	if got["重复件"] != "" || got["并入主件"] != "" {
		t.Errorf("case 0 is neither a repeat nor merged: %v", got)
	}
}

func TestExportCasesFiltersAndIsolation(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	seedExport(t, e, 30)
	count := func(token, q string) int {
		t.Helper()
		rec := e.Do("GET", "/api/cases/export?format=csv"+q, token, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), utf8BOM))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			if token == apitest.TokWater && r[6] != "市水务局" {
				t.Errorf("water's export holds a case of %s", r[6])
			}
		}
		return len(rows) - 1
	}
	if got := count(apitest.TokSupervisor, "&status=closed"); got != 1 {
		t.Errorf("closed: %d rows, want 1", got)
	}
	if got := count(apitest.TokSupervisor, "&department=housing"); got != 15 {
		t.Errorf("housing: %d rows, want 15", got)
	}
	if got := count(apitest.TokWater, ""); got != 15 {
		t.Errorf("water's own export: %d rows, want 15", got)
	}
	if got := count(apitest.TokSupervisor, "&from=2026-11-21"); got != 0 {
		t.Errorf("an empty selection: %d rows, want just the header", got)
	}
	apitest.CaseWant(t, e.Do("GET", "/api/cases/export?format=csv&department=housing", apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	apitest.CaseWant(t, e.Do("GET", "/api/cases/export?format=pdf", apitest.TokSupervisor, ""), http.StatusBadRequest, minyi.EINVALID)
	apitest.CaseWant(t, e.Do("GET", "/api/cases/export?format=csv&status=lost", apitest.TokSupervisor, ""), http.StatusBadRequest, minyi.EINVALID)
}

func TestExportCasesXLSX(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	const n = 612
	seedExport(t, e, n)
	rec := e.Do("GET", "/api/cases/export?format=xlsx", apitest.TokAdmin, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	audit, err := e.Store.Audit(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) == 0 || audit[0].Action != minyi.AuditExport || audit[0].Actor == "" ||
		!strings.Contains(audit[0].Detail, "/api/cases/export?format=xlsx") {
		t.Errorf("the export is not in the audit log with who and what: %+v", audit)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("案件")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d and a header", len(rows)-1, n)
	}
	got := record(rows[0], rows[1])
	want := map[string]string{
		"编号": "case-0000", "标题": `=HYPERLINK("http://evil.example")`, "承办单位": "市水务局", "状态": "已办结",
		"受理时间": "2026-11-20 09:00", "答复时间": "2026-11-22 10:30", "是否按时": "是", "回退次数": "1", "满意度": "基本满意",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("first row %s = %q, want %q", k, got[k], v)
		}
	}
	// The title is text, not a formula.
	if formula, _ := f.GetCellFormula("案件", "B2"); formula != "" {
		t.Errorf("title became a formula: %q", formula)
	}
	// Times are real spreadsheet dates, not text.
	if typ, _ := f.GetCellType("案件", "I2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("受理时间 is stored as text")
	}
}

func TestExportStats(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	apitest.SeedStats(e)
	rec := e.Do("GET", "/api/departments/stats/export?format=csv&window=30d", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	body := rec.Body.String()
	if !strings.HasPrefix(body, utf8BOM) {
		t.Fatal("no BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("rows = %v", rows)
	}
	water := record(rows[0], rows[3])
	for k, v := range map[string]string{"承办单位编号": "water", "承办单位": "市水务局", "受理量": "4", "到期量": "3",
		"超期量": "1", "响应率": "50.0%", "按时答复率": "33.3%", "回退率": "25.0%", "满意率": "100.0%",
		"重复件": "1", "曾答复量": "2", "重办量": "0", "重办率": "0.0%"} {
		if water[k] != v {
			t.Errorf("water %s = %q, want %q", k, water[k], v)
		}
	}

	rec = e.Do("GET", "/api/departments/stats/export?window=30d", apitest.TokAdmin, "") // xlsx by default
	apitest.CaseWant(t, rec, http.StatusOK, "")
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xrows, err := f.GetRows("承办单位")
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 4 {
		t.Fatalf("rows = %v", xrows)
	}
	housing := record(xrows[0], xrows[1])
	if housing["承办单位"] != "市住建局" || housing["满意率"] != "50.00%" || housing["按时答复率"] != "100.00%" ||
		housing["重办量"] != "1" || housing["重办率"] != "50.00%" {
		t.Errorf("housing row = %v", housing)
	}
	raw, _ := f.GetCellValue("承办单位", "M4", excelize.Options{RawCellValue: true})
	if !strings.HasPrefix(raw, "0.333") {
		t.Errorf("water's on-time rate is stored as %q, want the ratio", raw)
	}
	apitest.CaseWant(t, e.Do("GET", "/api/departments/stats/export?window=forever", apitest.TokAdmin, ""), http.StatusBadRequest, minyi.EINVALID)
}

func record(header, row []string) map[string]string {
	m := map[string]string{}
	for i, h := range header {
		if i < len(row) {
			m[h] = row[i]
		}
	}
	return m
}

// The supervisor's two queues export as the extensions and escalations
// pages list them.
func TestExportExtensionsAndEscalations(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	e.Put(minyi.Case{ID: "case-w2", Department: "water", Received: apitest.CaseNow.Add(-20 * apitest.CaseDay), Due: apitest.CaseNow.Add(-6 * apitest.CaseDay), Rung: minyi.RungUrge}, nil,
		minyi.CaseEvent{CaseID: "case-w2", Key: "001", Type: minyi.EventExtensionRequested, At: apitest.CaseNow.Add(-7 * apitest.CaseDay),
			Actor: "water", Department: "water", Detail: "10 days: 需要协调"})
	if err := e.Store.PutDepartmentEscalation(t.Context(), minyi.DepartmentEscalation{Key: "water:supervise:1", Department: "water",
		Rung: minyi.RungSupervise, At: apitest.CaseNow.Add(-apitest.CaseDay), OnTimeRate: 0.85, Reason: "按时答复率低于90%"}); err != nil {
		t.Fatal(err)
	}

	rec := e.Do("GET", "/api/extensions/export?format=xlsx", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	xf, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := xf.GetRows("延期申请"); len(rows) != 2 || rows[1][0] != "case-w2" || rows[1][5] != "延期 10 天：需要协调" {
		t.Errorf("extension export %v", rows)
	}
	apitest.CaseWant(t, e.Do("GET", "/api/extensions/export", apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)

	rec = e.Do("GET", "/api/departments/escalations/export?format=xlsx", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("升级记录")
	if len(rows) != 2 || rows[1][1] != "市水务局" || rows[1][2] != "督办" {
		t.Errorf("escalation export %v", rows)
	}
}
