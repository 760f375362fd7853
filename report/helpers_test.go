package report

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// The fixture's day: the daily report of 22 November 2026, made the next
// morning.
var (
	day     = time.Date(2026, 11, 22, 0, 0, 0, 0, minyi.ChinaTime)
	nextDay = day.AddDate(0, 0, 1)
	madeAt  = nextDay.Add(8 * time.Hour)
)

// Contact data planted on every message and case document: no output may
// contain any of it.
var planted = minyi.Contact{Name: "欧阳铁柱", Phone: "13987654321", Email: "tiezhu.ouyang@example.com"}

var departments = []minyi.Department{{ID: "housing", Name: "市住建局"}, {ID: "ecology", Name: "市生态环境局"}}

// fixture is a real SQLite store and a real in-memory bleve index holding
// the documents and cases below.
type fixture struct {
	store minyi.Store
	index minyi.Index
	deps  Deps
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	index, err := bleve.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	return &fixture{store: store, index: index, deps: Deps{Index: index, Cases: store, Events: store, Departments: departments}}
}

// put stores and indexes docs, as a finished ingest would.
func (f *fixture) put(t testing.TB, docs ...minyi.Document) {
	t.Helper()
	ctx := context.Background()
	for i := range docs {
		docs[i].Fetched = docs[i].Published
		docs[i].ContentHash = docs[i].Hash()
	}
	if _, err := f.store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	// A topic of the fixture is an event too, named by its first document.
	var analyses []minyi.DocumentAnalysis
	for _, d := range docs {
		if d.Analysis == nil {
			continue
		}
		da := minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis}
		if d.Analysis.Event == d.ID {
			da.Label = &minyi.EventLabel{Title: d.Title}
		}
		analyses = append(analyses, da)
	}
	if err := f.store.PutAnalyses(ctx, analyses); err != nil {
		t.Fatal(err)
	}
	if err := f.index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
}

func at(d time.Time, hour, minute int) time.Time {
	return d.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func doc(id string, kind minyi.Kind, title string, published time.Time, s minyi.Sentiment, category, topic string) minyi.Document {
	d := minyi.Document{ID: id, Source: "city-forum", Kind: kind, Title: title, Body: title + "。详情见正文。",
		URL: "https://bbs.example.gov.cn/thread-" + id + ".html", Published: published}
	if kind == minyi.KindMessage {
		d.Source, d.URL = "mayor-mailbox", "https://www.example.gov.cn/mailbox/"+id
		d.Contact = &planted
		// Petitioners often sign their letters: the body is theirs to write,
		// and a report quotes no message's body.
		d.Body += "联系人" + planted.Name + "，电话" + planted.Phone + "。"
	}
	if s != "" {
		d.Analysis = &minyi.Analysis{Sentiment: s, Category: category, Topic: topic, Event: topic}
	}
	return d
}

// seedDay fills the fixture with the day's figures the tests check:
//
//	day:      15 documents: 12 posts and 3 messages; 7 negative, 3+2+2 others
//	          analysed (14 analysed: 50.0% negative), 1 not analysed;
//	          topic 拆迁补偿 (6, 4 negative), topic 噪音扰民 (3, all negative)
//	previous: 8 documents, 2 of them negative
//	cases:    市住建局 3 received, 2 answered (66.7%), 3 due, 1 on time
//	          (33.3%), 1 overdue; 市生态环境局 2 received, 1 answered
//	          (50.0%), none due (—); 1 case not routed
func (f *fixture) seedDay(t testing.TB) {
	t.Helper()
	neg, neu, pos := minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive
	var docs []minyi.Document
	for i, s := range []minyi.Sentiment{neg, neg, neg, neg, neu, neu} {
		title := "江北区拆迁补偿标准不透明"
		if i > 0 {
			title = "转：" + title
		}
		docs = append(docs, doc(fmt.Sprintf("chaiqian-%d", i), minyi.KindPost, title, at(day, 9+i, 5), s, "城乡建设", "chaiqian-0"))
	}
	for i := range 3 {
		docs = append(docs, doc(fmt.Sprintf("zaoyin-%d", i), minyi.KindPost, "工地夜间施工噪音扰民", at(day, 20+i, 30), neg, "环境保护", "zaoyin-0"))
	}
	docs = append(docs,
		doc("praise-1", minyi.KindPost, "点赞新修的滨江步道", at(day, 7, 0), pos, "城乡建设", ""),
		doc("praise-2", minyi.KindPost, "社区医院服务周到", at(day, 15, 40), pos, "卫生健康", ""),
		doc("fresh", minyi.KindPost, "刚刚发生的积水", at(day, 23, 50), "", "", ""),
		doc("letter-1", minyi.KindMessage, "咨询公积金提取手续", at(day, 10, 0), neu, "", ""),
		doc("letter-2", minyi.KindMessage, "反映小区电梯故障", at(day, 11, 0), neu, "城乡建设", ""),
		doc("letter-3", minyi.KindMessage, "建议增设公交线路", at(day, 16, 0), neu, "交通运输", ""),
	)
	prev := day.AddDate(0, 0, -1)
	for i := range 8 {
		s := neu
		if i < 2 {
			s = neg
		}
		docs = append(docs, doc(fmt.Sprintf("prev-%d", i), minyi.KindPost, "前一日帖子", at(prev, 8+i, 0), s, "城乡建设", ""))
	}
	// Outside both periods: must count nowhere.
	docs = append(docs, doc("later", minyi.KindPost, "次日帖子", at(nextDay, 1, 0), neg, "城乡建设", ""))
	f.put(t, docs...)

	c := func(id, dept string, status minyi.CaseStatus, received, due time.Time) minyi.Case {
		return minyi.Case{ID: "case-" + id, DocumentID: id, Source: "mayor-mailbox", Title: "案件" + id,
			MessageType: minyi.TypeComplaint, Department: dept, Status: status, Received: received, Due: due}
	}
	answered := func(k minyi.Case, onTime bool) minyi.Case {
		k.Answered, k.OnTime = k.Received.Add(2*time.Hour), onTime
		return k
	}
	overdue := c("h3", "housing", minyi.CaseOpen, at(day, 9, 0), at(day, 18, 0))
	overdue.Title, overdue.Rung = "小区围墙倒塌无人处理", minyi.RungUrge
	cases := []minyi.Case{
		answered(c("h1", "housing", minyi.CaseClosed, at(day, 8, 0), at(day, 17, 0)), true),
		answered(c("h2", "housing", minyi.CaseAnswered, at(day, 8, 30), at(day, 16, 0)), false),
		overdue,
		c("e1", "ecology", minyi.CaseOpen, at(day, 10, 0), at(day, 24*8, 0)),
		answered(c("e2", "ecology", minyi.CaseAnswered, at(day, 11, 0), at(day, 24*7, 0)), true),
		c("u1", "", minyi.CaseRouting, at(day, 12, 0), at(day, 24*5, 0)),
		c("old", "housing", minyi.CaseOpen, at(prev, 12, 0), at(prev, 13, 0)), // the day before: not this report's
	}
	if err := f.store.PutCases(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
}

// seededDaily is the fixture's day and its daily report.
func seededDaily(t testing.TB) (*fixture, *Report) {
	t.Helper()
	f := newFixture(t)
	f.seedDay(t)
	return f, f.daily(t)
}

func (f *fixture) daily(t testing.TB) *Report {
	t.Helper()
	r, err := Generate(context.Background(), f.deps, Spec{Kind: Daily, From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// containsAll fails the test for each of wants that text lacks; what names
// the text in the message.
func containsAll(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}
