package importer

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"minyi"
	"minyi/store/sqlite"
)

// now is after every row's deadline, so unanswered history is overdue.
var now = time.Date(2026, 1, 1, 12, 0, 0, 0, minyi.ChinaTime)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.TempDir() + "/x.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testDeps: 15 calendar days to reply, two departments known by name, and a
// router that knows one category.
func testDeps(s minyi.Store) Deps {
	names := map[string]string{"市住建局": "zhujian", "市交通局": "jiaotong"}
	return Deps{
		Store: s,
		Plan: func(_ string, _ minyi.MessageType, received time.Time) time.Time {
			return received.AddDate(0, 0, 15)
		},
		Route: func(doc minyi.Document, _ minyi.MessageType, _ string) (minyi.Routing, bool) {
			if doc.Board == "城乡建设" {
				return minyi.Routing{Department: "zhujian", Rule: "category-construction", Reason: "category 城乡建设"}, true
			}
			return minyi.Routing{}, false
		},
		DepartmentByName: func(name string) (string, bool) { id, ok := names[name]; return id, ok },
		InferType:        func(string, string) minyi.MessageType { return minyi.TypeSuggestion },
		Now:              func() time.Time { return now },
	}
}

// historyCSV exercises DefaultMapping's alternatives and odd header spacing.
const historyCSV = "\ufeff编 号,标题,内容,受理时间,类型,分类,答复单位,答复内容,回复时间\n" +
	"A1,路灯不亮,人民路路灯坏了一周,2024/3/1 9:00:00,投诉,城乡建设,市住建局,已修复,2024/3/5 10:00\n" + // 2: on time
	"A2,公交改线,建议12路延伸到新区,2024-03-02 08:30,建议,交通运输,市交通局,已采纳,2024年3月30日\n" + // 3: late
	"A3,噪音扰民,工地夜间施工,2024年3月3日 10时20分,咨询,城乡建设,,,\n" + // 4: open, routed by category
	"A4,学校收费,收费是否合规,2024/3/4,,教育,区教育局,已答复,2024/3/6\n" + // 5: unknown unit, no rule: unassigned
	"A5,日期错,内容,2024/13/40,投诉,城乡建设,,,\n" + // 6: bad date
	"A6,倒序,内容,2024/3/10 8:00,投诉,城乡建设,市住建局,已答复,2024/3/9\n" + // 7: reply before received
	"A1,路灯不亮,人民路路灯坏了一周,2024/3/1 9:00:00,投诉,城乡建设,市住建局,已修复,2024/3/5 10:00\n" + // 8: repeated
	"A2,另一条留言,内容不同,2024-03-02 08:30,建议,交通运输,,,\n" + // 9: id reused
	",,,,,,,,\n" + // 10: blank
	"A7,站牌缺失,\"第一行\n第二行\",2024/3/12,咨询,交通运输,市交通局,已补设,2024/3/13\n" + // 11-12
	"A8,无时间,内容,,咨询,交通运输,,,\n" // 13: no received time

func TestImportCSV(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	deps := testDeps(s)
	rep, err := Import(ctx, deps, "mailbox-history", strings.NewReader(historyCSV), "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	got := [7]int{rep.Rows, rep.Imported, rep.Duplicates, rep.Failed, rep.Answered, rep.OnTime, rep.Unassigned}
	if want := [7]int{10, 5, 1, 4, 4, 3, 0}; got != want {
		t.Errorf("rows, imported, duplicates, failed, answered, on time, unassigned = %v, want %v", got, want)
	}
	wantErrs := []struct {
		line   int
		column string
		text   string
	}{
		{6, "受理时间", "not a date"},
		{7, "回复时间", "before the received time"},
		{9, "编 号", "line 3 has the same id"},
		{13, "受理时间", "no received time"},
	}
	if len(rep.Errors) != len(wantErrs) {
		t.Fatalf("errors %v", rep.Errors)
	}
	for i, w := range wantErrs {
		e := rep.Errors[i]
		if e.Line != w.line || e.Column != w.column || !strings.Contains(e.Message, w.text) {
			t.Errorf("error %d = %s; want line %d column %s %q", i, e, w.line, w.column, w.text)
		}
	}

	docID := minyi.DocumentID("mailbox-history", "id:A1")
	doc, err := s.Document(ctx, docID)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != minyi.KindMessage || doc.ExternalID != "A1" || doc.Reply == nil || doc.Reply.Unit != "市住建局" ||
		doc.Reply.Body != "已修复" || doc.Board != "城乡建设" || doc.MessageType != "投诉" {
		t.Errorf("document %+v reply %+v", doc, doc.Reply)
	}
	c, err := s.Case(ctx, minyi.CaseIDFor(docID))
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2024, 3, 1, 9, 0, 0, 0, minyi.ChinaTime)
	if !c.Historical || c.Status != minyi.CaseClosed || c.Department != "zhujian" || !c.OnTime ||
		c.MessageType != minyi.TypeComplaint || !c.Received.Equal(received) || !c.Due.Equal(received.AddDate(0, 0, 15)) ||
		!c.Answered.Equal(time.Date(2024, 3, 5, 10, 0, 0, 0, minyi.ChinaTime)) || c.Rung != minyi.RungNone {
		t.Errorf("case A1 %+v", c)
	}
	if c.Routing == nil || c.Routing.Rule != "import" || !strings.Contains(c.Routing.Reason, "市住建局") {
		t.Errorf("routing %+v", c.Routing)
	}
	events, err := s.CaseEvents(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range events {
		types = append(types, string(e.Type))
	}
	if strings.Join(types, ",") != "opened,routed,replied,closed" {
		t.Errorf("timeline %v", types)
	}

	open, _ := s.Case(ctx, minyi.CaseIDFor(minyi.DocumentID("mailbox-history", "id:A3")))
	if open.Status != minyi.CaseOpen || open.Department != "zhujian" || open.MessageType != minyi.TypeInquiry ||
		!strings.Contains(open.Routing.Reason, "category-construction") {
		t.Errorf("case A3 %+v %+v", open, open.Routing)
	}
	// A unit no department is named after, and no rule: the unit itself
	// answered, so it counts in the rates under its own name.
	byUnit, _ := s.Case(ctx, minyi.CaseIDFor(minyi.DocumentID("mailbox-history", "id:A4")))
	if byUnit.Department != "区教育局" || byUnit.Routing == nil || byUnit.Status != minyi.CaseClosed ||
		byUnit.MessageType != minyi.TypeSuggestion {
		t.Errorf("case A4 %+v", byUnit)
	}

	wantStats := map[string]minyi.DepartmentStats{
		"zhujian":  {Department: "zhujian", Received: 2, Answered: 1, Due: 2, AnsweredOnTime: 1, Open: 1, Overdue: 1, AnsweredOnce: 1},
		"jiaotong": {Department: "jiaotong", Received: 2, Answered: 2, Due: 2, AnsweredOnTime: 1, AnsweredOnce: 2},
		"区教育局":     {Department: "区教育局", Received: 1, Answered: 1, Due: 1, AnsweredOnTime: 1, AnsweredOnce: 1},
	}
	checkStats(t, s, wantStats)

	// The same file again changes nothing.
	before := countEvents(t, s)
	again, err := Import(ctx, deps, "mailbox-history", strings.NewReader(historyCSV), "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Duplicates != 6 || again.Failed != 4 || again.Answered != 4 || again.OnTime != 3 {
		t.Errorf("re-import %+v", again)
	}
	if after := countEvents(t, s); after != before {
		t.Errorf("re-import added events: %d -> %d", before, after)
	}
	c2, _ := s.Case(ctx, c.ID)
	if !c2.Updated.Equal(c.Updated) {
		t.Errorf("re-import rewrote the case: updated %v -> %v", c.Updated, c2.Updated)
	}
	checkStats(t, s, wantStats)

	// A changed deadline policy is applied by importing again.
	deps.Plan = func(_ string, _ minyi.MessageType, received time.Time) time.Time { return received.AddDate(0, 0, 30) }
	third, err := Import(ctx, deps, "mailbox-history", strings.NewReader(historyCSV), "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	if third.Imported != 5 || third.OnTime != 4 {
		t.Errorf("import with a longer deadline %+v", third)
	}
	c3, _ := s.Case(ctx, c.ID)
	if !c3.Due.Equal(received.AddDate(0, 0, 30)) {
		t.Errorf("due not recomputed: %v", c3.Due)
	}
}

func checkStats(t *testing.T, s minyi.Store, want map[string]minyi.DepartmentStats) {
	t.Helper()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)
	stats, err := s.DepartmentStats(context.Background(), from, from.AddDate(1, 0, 0), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != len(want) {
		t.Fatalf("stats %+v", stats)
	}
	for _, st := range stats {
		w := want[st.Department]
		// Nothing was rated: satisfaction is not measured; the others are
		// (every department answered one, so 重办率 is a measured 0).
		if st.ResponseRate == nil || st.OnTimeRate == nil || st.ReturnRate == nil || st.SatisfactionRate != nil ||
			st.RedoRate == nil || *st.RedoRate != 0 {
			t.Errorf("%s: rates %v %v %v %v, want three measured and satisfaction nil", st.Department,
				st.ResponseRate, st.OnTimeRate, st.ReturnRate, st.SatisfactionRate)
		}
		st.ResponseRate, st.OnTimeRate, st.ReturnRate, st.SatisfactionRate, st.RedoRate = nil, nil, nil, nil, nil
		if st != w {
			t.Errorf("stats %+v\nwant  %+v", st, w)
		}
	}
}

func countEvents(t *testing.T, s minyi.Store) int {
	t.Helper()
	cases, _, err := s.Cases(context.Background(), minyi.CaseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		ev, err := s.CaseEvents(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		n += len(ev)
	}
	return n
}

func TestImportGB18030CSV(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(
		"标题,内容,来信时间\n道路积水,下雨后积水严重,2023/7/1 8:00\n" +
			strings.Repeat("停车难,小区停车位不足,2023/7/2 9:00\n", 2) + "𠀀字,扩展汉字,2023/7/3\n")
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	rep, err := Import(context.Background(), testDeps(s), "hotline", strings.NewReader(gb), "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	// No id column: the repeated row has the same content key.
	if rep.Imported != 3 || rep.Duplicates != 1 || rep.Failed != 0 {
		t.Fatalf("report %+v", rep)
	}
	docs, err := s.ScanDocuments(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, d := range docs {
		titles[d.Title] = true
		if !strings.HasPrefix(d.ExternalID, "row:") {
			t.Errorf("external id %q", d.ExternalID)
		}
	}
	for _, want := range []string{"道路积水", "停车难", "𠀀字"} {
		if !titles[want] {
			t.Errorf("title %q missing from %v", want, titles)
		}
	}
}

func TestImportRejectsBadInput(t *testing.T) {
	s := openStore(t)
	deps := testDeps(s)
	ctx := context.Background()
	for name, c := range map[string]struct {
		format, data, msg string
		deps              func(Deps) Deps
	}{
		"format":   {"json", "", "unknown import format", nil},
		"empty":    {"csv", "\n\n", "empty", nil},
		"columns":  {"csv", "标题,正文\n", "内容", nil},
		"not xlsx": {"xlsx", "标题,内容,来信时间\n", "XLSX", nil},
		"no plan":  {"csv", "", "deadline plan", func(d Deps) Deps { d.Plan = nil; return d }},
		"no store": {"csv", "", "store", func(d Deps) Deps { d.Store = nil; return d }},
		"no infer": {"csv", "", "inference", func(d Deps) Deps { d.InferType = nil; return d }},
	} {
		d := deps
		if c.deps != nil {
			d = c.deps(d)
		}
		_, err := Import(ctx, d, "x", strings.NewReader(c.data), c.format, DefaultMapping())
		if minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want EINVALID with %q", name, err, c.msg)
		}
	}
	if _, err := Import(ctx, deps, " ", strings.NewReader(""), "csv", DefaultMapping()); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("blank source: %v", err)
	}
}

func TestImportLeavesLiveCaseAlone(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	docID := minyi.DocumentID("mailbox", "id:L1")
	received := time.Date(2025, 6, 1, 9, 0, 0, 0, minyi.ChinaTime)
	live := minyi.Document{ID: docID, Source: "mailbox", Kind: minyi.KindMessage, ExternalID: "L1",
		Title: "在办留言", Body: "正在办理", Published: received, Fetched: received}
	live.ContentHash = live.Hash()
	if _, err := s.PutDocuments(ctx, []minyi.Document{live}); err != nil {
		t.Fatal(err)
	}
	liveCase := minyi.Case{ID: minyi.CaseIDFor(docID), DocumentID: docID, Source: "mailbox", Title: "在办留言",
		Status: minyi.CaseOpen, Department: "zhujian", Received: received, Due: received.AddDate(0, 0, 10), Updated: received}
	if err := s.PutCase(ctx, liveCase); err != nil {
		t.Fatal(err)
	}
	data := "编号,标题,内容,来信时间,答复单位,答复内容,答复时间\n" +
		"L1,在办留言,历史版本,2025/6/1 9:00,市交通局,已答复,2025/6/2\n" +
		"L2,历史留言,内容,2025/6/1 10:00,市交通局,已答复,2025/6/2\n"
	rep, err := Import(ctx, testDeps(s), "mailbox", strings.NewReader(data), "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.Failed != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 2 ||
		!strings.Contains(rep.Errors[0].Message, "live case") {
		t.Fatalf("report %+v", rep)
	}
	got, _ := s.Case(ctx, liveCase.ID)
	doc, _ := s.Document(ctx, docID)
	if got.Historical || got.Status != minyi.CaseOpen || got.Department != "zhujian" || doc.Body != "正在办理" {
		t.Errorf("live case or document rewritten: %+v %q", got, doc.Body)
	}
}

func TestImportCountsAllErrorsKeepsFirstHundred(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("标题,内容,来信时间\n")
	for range 150 {
		b.WriteString("标题,内容,不是日期\n")
	}
	b.WriteString("好行,内容,2024/1/1\n")
	rep, err := Import(context.Background(), testDeps(openStore(t)), "x", &b, "csv", DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 150 || len(rep.Errors) != MaxErrors || rep.Imported != 1 || rep.Errors[99].Line != 101 {
		t.Fatalf("failed %d, kept %d, imported %d, last kept %+v", rep.Failed, len(rep.Errors), rep.Imported, rep.Errors[len(rep.Errors)-1])
	}
}

func TestImportCSVEncodingsAndDelimiters(t *testing.T) {
	ctx := context.Background()
	// More than the 64 KiB the encoding is guessed from, all ASCII, then GB18030.
	var b bytes.Buffer
	b.WriteString("title,body,time\n")
	for i := 0; b.Len() < 70<<10; i++ {
		fmt.Fprintf(&b, "ascii %d,plain body %d,2024-01-02 03:04\n", i, i)
	}
	late, _ := simplifiedchinese.GB18030.NewEncoder().String("燃气涨价,燃气费上涨过快,2024-01-03 08:00\n")
	b.WriteString(late)
	m, _ := ParseMapping("title=title,body=body,received=time")
	s := openStore(t)
	rep, err := Import(ctx, testDeps(s), "gb-late", &b, "csv", m)
	if err != nil || rep.Failed != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	doc, err := s.Document(ctx, minyi.DocumentID("gb-late", "id:"+rowKey("燃气涨价", "燃气费上涨过快",
		time.Date(2024, 1, 3, 8, 0, 0, 0, minyi.ChinaTime))))
	if err != nil || doc.Body != "燃气费上涨过快" {
		t.Fatalf("late GB18030 row: %+v %v", doc, err)
	}

	// Excel's "Unicode text" is tab separated.
	tsv := "标题\t内容\t来信时间\n\"带,逗号\"\t内容\t2024/5/1\n"
	rep, err = Import(ctx, testDeps(s), "tsv", strings.NewReader(tsv), "CSV", DefaultMapping())
	if err != nil || rep.Imported != 1 {
		t.Fatalf("tab separated: %+v %v", rep, err)
	}
}

// TestImportReactions reads readers' 点赞 and 反对 as the government
// message set spells them (likes, dislikes), and rejects a count that is
// not one, keeping the other rows.
func TestImportReactions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	const csv = "id,title,time,body,dislikes,likes\n" +
		"R1,搅拌站噪音,2019/2/28 11:25:05,丽发新城搅拌站噪音扰民,3,1208\n" +
		"R2,路灯,2019/3/1 9:00:00,路灯不亮,,\n" +
		"R3,车位,2019/3/2 9:00:00,车位捆绑销售,-1,5\n" +
		"R4,公交,2019/3/3 9:00:00,公交改线,0,很多\n"
	m := DefaultMapping()
	m.Title, m.Body, m.Received = "title", "body", "time"
	rep, err := Import(ctx, testDeps(s), "gov", strings.NewReader(csv), "csv", m.Lenient())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Failed != 2 {
		t.Fatalf("imported %d, failed %d (%v); want 2 and 2", rep.Imported, rep.Failed, rep.Errors)
	}
	for i, w := range []struct {
		line   int
		column string
	}{{4, "dislikes"}, {5, "likes"}} {
		if e := rep.Errors[i]; e.Line != w.line || e.Column != w.column || e.Code != "bad_count" {
			t.Errorf("error %d = %+v; want bad_count at line %d in %s", i, e, w.line, w.column)
		}
	}
	for id, want := range map[string][2]int{"R1": {1208, 3}, "R2": {0, 0}} {
		doc, err := s.Document(ctx, minyi.DocumentID("gov", "id:"+id))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Likes != want[0] || doc.Dislikes != want[1] {
			t.Errorf("%s: likes/dislikes %d/%d, want %v", id, doc.Likes, doc.Dislikes, want)
		}
	}
}
