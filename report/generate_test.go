package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

func TestDailyFigures(t *testing.T) {
	_, r := seededDaily(t)
	fig := r.Figures
	if fig.Total != 15 || fig.Previous != 8 || fig.Posts != 12 || fig.Messages != 3 {
		t.Errorf("total %d previous %d posts %d messages %d, want 15, 8, 12, 3", fig.Total, fig.Previous, fig.Posts, fig.Messages)
	}
	if fig.Negative != 7 || fig.Positive != 2 || fig.Neutral != 5 || fig.PreviousNegative != 2 {
		t.Errorf("sentiments +%d =%d -%d (previous -%d), want 2, 5, 7 (2)", fig.Positive, fig.Neutral, fig.Negative, fig.PreviousNegative)
	}
	if pct(fig.Change) != "87.5%" || pct(fig.NegativeShare) != "50.0%" || pct(fig.PreviousNegativeShare) != "25.0%" {
		t.Errorf("change %s, negative share %s (previous %s), want 87.5%%, 50.0%% (25.0%%)",
			pct(fig.Change), pct(fig.NegativeShare), pct(fig.PreviousNegativeShare))
	}
	if fig.Uncategorized != 2 || len(fig.Categories) == 0 || fig.Categories[0] != (minyi.FacetCount{Value: "城乡建设", Count: 8}) {
		t.Errorf("categories %v, uncategorized %d; want 城乡建设 8 first, 2 uncategorized", fig.Categories, fig.Uncategorized)
	}
	// A day is counted by the hour: 24 buckets adding up to the total.
	if len(fig.Series) != 24 || fig.Series[9].Label != "09时" {
		t.Fatalf("series of %d buckets, first labels %v", len(fig.Series), fig.Series[:min(3, len(fig.Series))])
	}
	sum, neg := 0, 0
	for _, b := range fig.Series {
		sum, neg = sum+b.Total, neg+b.Negative
	}
	if sum != 15 || neg != 7 || fig.Series[9].Total != 1 || fig.Series[20].Negative != 1 {
		t.Errorf("series adds up to %d (%d negative), hour 9 has %d, hour 20 %d negative", sum, neg, fig.Series[9].Total, fig.Series[20].Negative)
	}
}

func TestDailyEventsAndNegativePosts(t *testing.T) {
	_, r := seededDaily(t)
	if len(r.Events) < 2 {
		t.Fatalf("events %+v", r.Events)
	}
	e := r.Events[0]
	if e.ID != "chaiqian-0" || e.Size != 6 || e.Negative != 4 || len(e.Posts) != postsPerEvent {
		t.Errorf("first event %+v, want topic chaiqian-0 with 6 documents, 4 negative, 3 posts", e)
	}
	if !e.First.Equal(at(day, 9, 5)) || !e.Last.Equal(at(day, 14, 5)) {
		t.Errorf("first event from %s to %s, want 09:05 to 14:05", e.First, e.Last)
	}
	if e.Posts[0].ID != "chaiqian-5" || !strings.HasPrefix(e.Posts[0].URL, "https://bbs.example.gov.cn/") {
		t.Errorf("newest post %+v", e.Posts[0])
	}
	if r.Events[1].ID != "zaoyin-0" || r.Events[1].Size != 3 || r.Events[1].Negative != 3 {
		t.Errorf("second event %+v", r.Events[1])
	}
	// The negative documents beyond the two events: none, as every
	// negative document of the day is in one of them.
	if len(r.Negative) != 0 {
		t.Errorf("negative posts %+v, want none beyond the events", r.Negative)
	}
	if !strings.Contains(r.Summary, "热度较高的话题有“江北区拆迁补偿标准不透明”（6条）、“工地夜间施工噪音扰民”（3条）") {
		t.Errorf("summary does not name the topics: %s", r.Summary)
	}
}

func TestDailyCases(t *testing.T) {
	_, r := seededDaily(t)
	c := r.Cases
	if c == nil {
		t.Fatal("a daily report without cases")
	}
	if c.Received != 5 || c.Unrouted != 1 || c.Answered != 3 || c.Overdue != 1 || c.Due != 3 || c.AnsweredOnTime != 1 {
		t.Errorf("cases %+v", *c)
	}
	if len(c.Departments) != 2 || c.Departments[0].Name != "市住建局" || c.Departments[1].Name != "市生态环境局" {
		t.Fatalf("departments %+v", c.Departments)
	}
	h, e := c.Departments[0], c.Departments[1]
	if pct(h.ResponseRate) != "66.7%" || pct(h.OnTimeRate) != "33.3%" || pct(e.ResponseRate) != "50.0%" || pct(e.OnTimeRate) != notMeasured {
		t.Errorf("rates 住建 %s %s, 生态 %s %s", pct(h.ResponseRate), pct(h.OnTimeRate), pct(e.ResponseRate), pct(e.OnTimeRate))
	}
	if len(c.OverdueCases) != 1 || c.OverdueCases[0].Title != "小区围墙倒塌无人处理" || c.OverdueCases[0].Department != "市住建局" ||
		c.OverdueCases[0].Rung != minyi.RungUrge {
		t.Errorf("overdue cases %+v", c.OverdueCases)
	}
	containsAll(t, "summary", r.Summary, "本期受理网上信访案件6件（待交办1件）", "已答复3件，响应率60.0%", "按时答复率33.3%", "超期未答复1件，其中市住建局1件")
}

func TestSummaryOfTheFigures(t *testing.T) {
	_, r := seededDaily(t)
	containsAll(t, "summary", r.Summary,
		"2026年11月22日，共监测到网络舆情信息15条，较前一日（8条）上升87.5%。",
		"其中论坛帖子12条、留言信件3条。",
		"负面信息占50.0%（前一日25.0%）",
		"主要涉及城乡建设（8条）",
	)
}

// A special report is about one search: its figures count the matches,
// it has no case section, and it quotes posts but never a message.
func TestSpecialReport(t *testing.T) {
	f := newFixture(t)
	f.seedDay(t)
	r, err := Generate(context.Background(), f.deps, Spec{Kind: Special, Query: "拆迁补偿", From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Figures.Total != 6 || r.Figures.Negative != 4 || r.Cases != nil || slices.Contains(r.Charts, ChartDepartments) {
		t.Errorf("special report: total %d negative %d cases %v charts %v", r.Figures.Total, r.Figures.Negative, r.Cases, r.Charts)
	}
	if !strings.HasPrefix(r.Summary, "2026年11月22日，共监测到与“拆迁补偿”相关的网络信息6条") || r.Title != "舆情专报" {
		t.Errorf("title %q summary %q", r.Title, r.Summary)
	}
	if p := r.Events[0].Posts[0]; !strings.Contains(p.Excerpt, "拆迁补偿") || strings.Contains(p.Excerpt, "<mark>") {
		t.Errorf("excerpt %q, want the match as plain text", p.Excerpt)
	}
	r, err = Generate(context.Background(), f.deps, Spec{Kind: Special, Query: "电梯", From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Figures.Total != 1 || r.Figures.Messages != 1 || len(r.Events) != 0 {
		t.Errorf("电梯: %d documents (%d messages), events %+v; want the one letter, no event", r.Figures.Total, r.Figures.Messages, r.Events)
	}
	// Petitioners sign their letters: a message's matching text is not quoted.
	hit := minyi.SearchHit{ID: "letter-2", Kind: minyi.KindMessage, Title: "反映小区电梯故障",
		Highlights: map[string][]string{"body": {"<mark>电梯</mark>故障。联系人" + planted.Name}}}
	if p := postOf(hit); p.Excerpt != "" {
		t.Errorf("a message quoted: %q", p.Excerpt)
	}
	hit.Kind = minyi.KindPost
	if p := postOf(hit); p.Excerpt != "电梯故障。联系人"+planted.Name {
		t.Errorf("a post's excerpt %q", p.Excerpt)
	}
}

func TestSpecChecks(t *testing.T) {
	f := newFixture(t)
	for name, spec := range map[string]Spec{
		"unknown kind":       {Kind: "hourly", From: day, To: nextDay},
		"no period":          {Kind: Daily},
		"backwards":          {Kind: Daily, From: nextDay, To: day},
		"too long":           {Kind: Monthly, From: day.AddDate(-2, 0, 0), To: day},
		"special, no query":  {Kind: Special, From: day, To: nextDay, Query: "  "},
		"daily with a query": {Kind: Daily, From: day, To: nextDay, Query: "拆迁"},
		"bad query":          {Kind: Special, From: day, To: nextDay, Query: `"拆迁`},
	} {
		if _, err := Generate(context.Background(), f.deps, spec); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: %v, want %s", name, err, minyi.EINVALID)
		}
	}
}

// A draft is stored as JSON and edited: it must come back the same.
func TestReportRoundTripsThroughJSON(t *testing.T) {
	_, r := seededDaily(t)
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if string(again) != string(raw) {
		t.Errorf("JSON round trip changed the report:\n%s\n%s", raw, again)
	}
	if !reflect.DeepEqual(back.Figures.Series[3].Start.Unix(), r.Figures.Series[3].Start.Unix()) {
		t.Errorf("series start %v, want %v", back.Figures.Series[3].Start, r.Figures.Series[3].Start)
	}
}

func TestPeriods(t *testing.T) {
	now := time.Date(2026, 11, 25, 7, 0, 0, 0, minyi.ChinaTime) // a Wednesday
	for _, c := range []struct {
		k        Kind
		from, to string
	}{
		{Daily, "2026-11-24", "2026-11-25"},
		{Weekly, "2026-11-16", "2026-11-23"},
		{Monthly, "2026-10-01", "2026-11-01"},
	} {
		from, to := LastPeriod(c.k, now)
		if from.Format(time.DateOnly) != c.from || to.Format(time.DateOnly) != c.to || !PeriodFrom(c.k, from).Equal(to) {
			t.Errorf("%s: %s to %s, want %s to %s", c.k, from, to, c.from, c.to)
		}
	}
	// UTC midnight is 08:00 in China: the day is still China's.
	from, _ := LastPeriod(Daily, time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC))
	if from.Format(time.DateOnly) != "2026-11-24" {
		t.Errorf("daily period at 04:00 China time starts %s", from)
	}
	if got := PeriodText(day.AddDate(0, 0, -6), nextDay); got != "2026年11月16日至11月22日" {
		t.Errorf("week: %s", got)
	}
	if got := PeriodText(time.Date(2026, 11, 1, 0, 0, 0, 0, minyi.ChinaTime), time.Date(2026, 12, 1, 0, 0, 0, 0, minyi.ChinaTime)); got != "2026年11月" {
		t.Errorf("month: %s", got)
	}
}

// A period with nothing in it still makes a report that says so.
func TestEmptyPeriod(t *testing.T) {
	f := newFixture(t)
	r, err := Generate(context.Background(), f.deps, Spec{Kind: Daily, From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary != "2026年11月22日，未监测到网络舆情信息。本期未受理网上信访案件。" {
		t.Errorf("summary %q", r.Summary)
	}
	parts := docxParts(t, writeDOCX(t, r))
	containsAll(t, "document text", docxText(t, parts["word/document.xml"]), "本期无热点事件。", "暂无数据")
	var pdf bytes.Buffer
	if err := WritePDF(&pdf, r); err != nil {
		t.Fatal(err)
	}
	// A draft whose series the analyst emptied still renders.
	r.Figures.Series = nil
	if err := WritePDF(&pdf, r); err != nil {
		t.Fatal(err)
	}
}

// A monthly report names the league table's red and black lists, ranked
// as the league table page ranks them.
func TestMonthlyLeagueLists(t *testing.T) {
	f, daily := seededDaily(t)
	if daily.Cases.Red != nil {
		t.Errorf("a daily report with a red list %v", daily.Cases.Red)
	}
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, minyi.ChinaTime)
	r, err := Generate(context.Background(), f.deps, Spec{Kind: Monthly, From: month, To: PeriodFrom(Monthly, month), Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	// 生态: nothing due yet, ranked by its 50.0% response rate; 住建: 33.3% on time.
	if !slices.Equal(r.Cases.Red, []string{"市生态环境局"}) || !slices.Equal(r.Cases.Black, []string{"市住建局"}) {
		t.Errorf("red %v black %v", r.Cases.Red, r.Cases.Black)
	}
	text := docxText(t, docxParts(t, writeDOCX(t, r))["word/document.xml"])
	containsAll(t, "monthly document", text, "舆情月报", "（2026年11月）", "红榜：市生态环境局。　黑榜：市住建局。", "上月无相关信息")
}

// A special report about one event counts its documents only, lists it as
// its one event, and reports on the cases opened for its documents.
func TestSpecialReportOfAnEvent(t *testing.T) {
	f := newFixture(t)
	f.seedDay(t)
	ctx := context.Background()
	late := minyi.Case{ID: "case-chaiqian-1", DocumentID: "chaiqian-1", Source: "city-forum", Title: "拆迁补偿案件",
		Department: "housing", Status: minyi.CaseOpen, Received: at(day, 10, 5), Due: at(day, 20, 0), Rung: minyi.RungOverdue}
	if err := f.store.PutCase(ctx, late); err != nil {
		t.Fatal(err)
	}
	r, err := Generate(ctx, f.deps, Spec{Kind: Special, Event: "chaiqian-0", From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	if r.Event != "chaiqian-0" || r.Figures.Total != 6 || r.Figures.Negative != 4 || r.Figures.Messages != 0 {
		t.Errorf("figures of the event: %+v", r.Figures)
	}
	if len(r.Events) != 1 || r.Events[0].ID != "chaiqian-0" || r.Events[0].Size != 6 || r.Events[0].Title != "江北区拆迁补偿标准不透明" {
		t.Errorf("events %+v", r.Events)
	}
	c := r.Cases
	if c == nil || c.Received != 1 || c.Overdue != 1 || len(c.OverdueCases) != 1 || c.OverdueCases[0].ID != late.ID ||
		len(c.Departments) != 1 || c.Departments[0].Name != "市住建局" {
		t.Fatalf("cases of the event %+v", c)
	}
	for _, bad := range []Spec{
		{Kind: Special, Event: "chaiqian-0", Query: "拆迁", From: day, To: nextDay},
		{Kind: Daily, Event: "chaiqian-0", From: day, To: nextDay},
	} {
		if _, err := Generate(ctx, f.deps, bad); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
	if _, err := Generate(ctx, f.deps, Spec{Kind: Special, Event: "none", From: day, To: nextDay}); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("unknown event: %v", err)
	}
	var docx bytes.Buffer
	if err := WriteDOCX(&docx, r); err != nil {
		t.Fatal(err)
	}
	// The PDF as a reader meets it: its text holds the event and its
	// cases, and its pages render with ink on each.
	dir := outputDir(t)
	path := filepath.Join(dir, "special-event.pdf")
	writePDFFile(t, r, path)
	text := spaces.ReplaceAllString(runTool(t, "pdftotext", "-enc", "UTF-8", path, "-"), "")
	containsAll(t, "special report PDF", text, "舆情专报", "江北区拆迁补偿标准不透明", "市住建局", "拆迁补偿案件")
	prefix := filepath.Join(dir, "special-event-page")
	runTool(t, "pdftoppm", "-r", "80", "-png", path, prefix)
	pages, _ := filepath.Glob(prefix + "-*.png")
	if len(pages) == 0 {
		t.Fatal("no page of the special report rendered")
	}
	for _, p := range pages {
		if ink := inkShare(t, p); ink < 0.005 {
			t.Errorf("%s is nearly blank (%.2f%% ink)", filepath.Base(p), ink*100)
		}
	}
}
