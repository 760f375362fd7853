package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"minyi"
)

// writeXLSX builds a workbook in memory; a time.Time cell becomes an Excel
// date (a serial number with a date format), as in a real export.
func writeXLSX(t *testing.T, rows map[int][]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, cells := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestImportXLSX(t *testing.T) {
	// Excel has no time zones: a cell holds wall-clock time, written here as UTC fields.
	wall := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	b := writeXLSX(t, map[int][]any{
		1: {"编号", "标题", "内容", "来信时间", "答复时间", "答复单位", "承办单位"},
		2: {"X1", "井盖松动", "小区门口井盖松动", wall(2023, 5, 6, 9, 32, 9), wall(2023, 5, 8, 10, 0, 0), "市住建局", ""},
		3: {"X2", "红绿灯时长", "路口绿灯太短", "2023/5/7 8:00", "", "", "jiaotong"},
		// row 4 left empty
		5: {"X3", "公交站台", "站台破损", 45000.5, "", "", "市交通局"},
		6: {"X4", "日期错误", "内容", "不是日期", "", "", ""},
		7: {12345, "数字编号", "编号是数字", wall(2023, 5, 9, 0, 0, 0), wall(2023, 6, 30, 17, 0, 0), "市交通局", ""},
	})
	file := b.Bytes()
	s := openStore(t)
	ctx := context.Background()
	rep, err := Import(ctx, testDeps(s), "xlsx-history", bytes.NewReader(file), "xlsx", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 5 || rep.Imported != 4 || rep.Failed != 1 || rep.Answered != 2 || rep.OnTime != 1 {
		t.Fatalf("report %+v", rep)
	}
	if e := rep.Errors[0]; e.Line != 6 || e.Column != "来信时间" || e.Value != "不是日期" {
		t.Errorf("error %s", e)
	}
	caseOf := func(id string) *minyi.Case {
		c, err := s.Case(ctx, minyi.CaseIDFor(minyi.DocumentID("xlsx-history", "id:"+id)))
		if err != nil {
			t.Fatalf("case %s: %v", id, err)
		}
		return c
	}
	cst := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, minyi.ChinaTime)
	}
	x1 := caseOf("X1")
	if !x1.Received.Equal(cst(2023, 5, 6, 9, 32, 9)) || !x1.Answered.Equal(cst(2023, 5, 8, 10, 0, 0)) ||
		x1.Department != "zhujian" || !x1.OnTime || x1.Status != minyi.CaseClosed {
		t.Errorf("X1 %+v", x1)
	}
	if x2 := caseOf("X2"); x2.Department != "jiaotong" || x2.Status != minyi.CaseOpen || !x2.Received.Equal(cst(2023, 5, 7, 8, 0, 0)) {
		t.Errorf("X2 %+v", x2)
	}
	// Serial 45000.5 is noon on 15 March 2023; 承办单位 given by name.
	if x3 := caseOf("X3"); !x3.Received.Equal(cst(2023, 3, 15, 12, 0, 0)) || x3.Department != "jiaotong" {
		t.Errorf("X3 %+v", x3)
	}
	if n := caseOf("12345"); n.OnTime || n.Department != "jiaotong" || n.Status != minyi.CaseClosed {
		t.Errorf("numeric id %+v", n)
	}

	again, err := Import(ctx, testDeps(s), "xlsx-history", bytes.NewReader(file), "xlsx", DefaultMapping())
	if err != nil || again.Imported != 0 || again.Duplicates != 4 {
		t.Fatalf("re-import %+v %v", again, err)
	}
}

// TestImportLabelledMessages imports the 494 labelled government messages
// (no replies) and checks the statistics against the file read independently.
func TestImportLabelledMessages(t *testing.T) {
	const path = "../../shared/data/gov-messages-labelled-494.csv"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("labelled messages not available: %v", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	perCategory := map[string]int{}
	for _, r := range recs[1:] {
		perCategory[r[4]]++
	}

	s := openStore(t)
	deps := testDeps(s)
	deps.DepartmentByName = nil
	deps.Route = func(doc minyi.Document, _ minyi.MessageType, _ string) (minyi.Routing, bool) {
		return minyi.Routing{Department: "dept-" + doc.Board, Rule: "by-category", Reason: doc.Board}, doc.Board != ""
	}
	m, err := ParseMapping("id=id,title=title,body=body,received=time,category=category")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rep, err := Import(ctx, deps, "labelled", bytes.NewReader(data), "csv", m)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != len(recs)-1 || rep.Imported != len(recs)-1 || rep.Failed != 0 || rep.Answered != 0 {
		t.Fatalf("report %+v (errors %v)", rep, rep.Errors)
	}
	stats, err := s.DepartmentStats(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, minyi.ChinaTime), now, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != len(perCategory) {
		t.Fatalf("%d departments, want %d", len(stats), len(perCategory))
	}
	for _, st := range stats {
		n := perCategory[strings.TrimPrefix(st.Department, "dept-")]
		// Nothing answered, everything long past due.
		if st.Received != n || st.Open != n || st.Overdue != n || st.Due != n || st.Answered != 0 ||
			st.OnTimeRate == nil || *st.OnTimeRate != 0 {
			t.Errorf("%+v, want %d received, all open and overdue", st, n)
		}
	}
	again, err := Import(ctx, deps, "labelled", bytes.NewReader(data), "csv", m)
	if err != nil || again.Imported != 0 || again.Duplicates != len(recs)-1 {
		t.Fatalf("re-import %+v %v", again, err)
	}
	if n, _ := s.CountDocuments(ctx); n != len(recs)-1 {
		t.Errorf("%d documents after re-import", n)
	}
}
