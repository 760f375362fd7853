package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/category"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, minyi.ChinaTime)

const complaint = "我们小区旁边的工地每天晚上十一点以后还在施工，噪音非常大，严重扰民。" +
	"多次向街道反映，相关部门互相推诿，至今没有任何处理结果，希望尽快解决夜间施工噪音问题。"

func doc(id, title, body string, at time.Time) minyi.Document {
	return minyi.Document{ID: id, Source: "forum", Kind: minyi.KindPost, Title: title, Body: body, Published: at}
}

func newAnalyzer(t *testing.T, store History, opts Options) *Analyzer {
	t.Helper()
	a, err := New(context.Background(), store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRepostsShareTheOriginalsTopic(t *testing.T) {
	a := newAnalyzer(t, nil, Options{})
	// The repost comes first in the batch but was published later: the
	// original must still give the topic its id.
	batch := []minyi.Document{
		doc("repost", "转帖：工地夜间施工扰民", complaint+" 转自本地论坛", t0.Add(2*time.Hour)),
		doc("orig", "工地夜间施工扰民", complaint, t0),
		doc("other", "公交线路调整建议", "建议增加早高峰班次，方便上班族出行，目前等车时间太长。", t0.Add(time.Hour)),
	}
	res := a.Analyze(batch)
	if len(res) != 3 || res[0].ID != "repost" || res[1].ID != "orig" {
		t.Fatalf("results not in input order: %+v", res)
	}
	if res[1].Analysis.Topic != "orig" || res[0].Analysis.Topic != "orig" {
		t.Errorf("topics: original %q, repost %q; want both \"orig\"", res[1].Analysis.Topic, res[0].Analysis.Topic)
	}
	if res[2].Analysis.Topic != "other" {
		t.Errorf("unrelated document joined topic %q", res[2].Analysis.Topic)
	}
	// A repost in a later batch finds the topic too.
	later := a.Analyze([]minyi.Document{doc("repost2", "【转】工地夜间施工扰民", complaint, t0.Add(24*time.Hour))})
	if got := later[0].Analysis.Topic; got != "orig" {
		t.Errorf("later repost topic %q, want orig", got)
	}
	if res[1].Analysis.Sentiment != minyi.SentimentNegative || res[1].Analysis.SentimentScore >= 0 {
		t.Errorf("complaint analysed as %q %.2f", res[1].Analysis.Sentiment, res[1].Analysis.SentimentScore)
	}
	if res[1].Analysis.Simhash == 0 || res[1].Analysis.Category != "" {
		t.Errorf("analysis %+v: want a simhash and no category without a model", res[1].Analysis)
	}
	if batch[0].Title != "转帖：工地夜间施工扰民" {
		t.Errorf("original text changed: %q", batch[0].Title)
	}
}

func TestTraditionalAndFullWidthRepostIsADuplicate(t *testing.T) {
	a := newAnalyzer(t, nil, Options{})
	res := a.Analyze([]minyi.Document{
		doc("orig", "工地夜间施工扰民", complaint, t0),
		doc("trad", "工地夜間施工擾民", "我們小區旁邊的工地每天晚上十一點以後還在施工，噪音非常大，嚴重擾民。"+
			"多次向街道反映，相關部門互相推諉，至今沒有任何處理結果，希望儘快解決夜間施工噪音問題。", t0.Add(time.Hour)),
	})
	if res[1].Analysis.Topic != "orig" {
		t.Errorf("traditional repost topic %q, want orig", res[1].Analysis.Topic)
	}
}

func TestEmptyTextIsItsOwnTopic(t *testing.T) {
	a := newAnalyzer(t, nil, Options{})
	res := a.Analyze([]minyi.Document{doc("a", "！！！", "", t0), doc("b", "？？", "", t0)})
	if res[0].Analysis.Topic != "a" || res[1].Analysis.Topic != "b" {
		t.Errorf("texts without words merged: %+v", res)
	}
}

type fingerprints []minyi.Fingerprint

func (f fingerprints) PutAnalyses(context.Context, []minyi.DocumentAnalysis) error { return nil }
func (f fingerprints) Fingerprints(_ context.Context, since time.Time) ([]minyi.Fingerprint, error) {
	var out []minyi.Fingerprint
	for _, fp := range f {
		if !fp.Published.Before(since) {
			out = append(out, fp)
		}
	}
	return out, nil
}
func (f fingerprints) ScanPublished(context.Context, time.Time, minyi.PublishedKey, int) ([]minyi.Document, error) {
	return nil, nil
}
func (f fingerprints) TopicTrends(context.Context, time.Time, time.Time, int) ([]minyi.TopicTrend, error) {
	return nil, nil
}

func TestRebuildKeepsStoredTopics(t *testing.T) {
	first := newAnalyzer(t, nil, Options{})
	res := first.Analyze([]minyi.Document{doc("orig", "工地夜间施工扰民", complaint, t0)})
	fp := res[0].Analysis.Simhash
	// "repost" joined topic "ancient", whose first document is past the
	// rebuild window; the rebuilt index must still say "ancient".
	store := fingerprints{
		{ID: "ancient", Simhash: fp, Topic: "ancient", Published: t0.Add(-200 * 24 * time.Hour)},
		{ID: "repost", Simhash: fp ^ 1, Topic: "ancient", Published: t0},
	}
	a := newAnalyzer(t, store, Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	got := a.Analyze([]minyi.Document{doc("new", "【转】工地夜间施工扰民", complaint, t0.Add(time.Hour))})
	if got[0].Analysis.Topic != "ancient" {
		t.Errorf("topic after rebuild %q, want ancient", got[0].Analysis.Topic)
	}
}

func TestConcurrentAnalyze(t *testing.T) {
	a := newAnalyzer(t, nil, Options{})
	orig := a.Analyze([]minyi.Document{doc("orig", "工地夜间施工扰民", complaint, t0)})[0]
	var wg sync.WaitGroup
	results := make([]minyi.DocumentAnalysis, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("repost-%02d", i)
			results[i] = a.Analyze([]minyi.Document{doc(id, "转帖：工地夜间施工扰民", complaint, t0.Add(time.Duration(i+1)*time.Minute))})[0]
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.Analysis.Topic != "orig" || r.Analysis.Sentiment != orig.Analysis.Sentiment {
			t.Errorf("%s: %+v, want topic orig and sentiment %s", r.ID, r.Analysis, orig.Analysis.Sentiment)
		}
	}
	if a.memo.m == nil || len(a.memo.m) != 0 {
		t.Errorf("memo holds %d texts after every document was analysed", len(a.memo.m))
	}
}

func TestCategoryModel(t *testing.T) {
	var ex []category.Example
	for i := range 6 {
		ex = append(ex,
			category.Example{Title: fmt.Sprintf("夜间施工噪音扰民%d", i), Body: "工地噪音 污染 环境 排污 河道发黑", Category: "环境保护"},
			category.Example{Title: fmt.Sprintf("公交线路调整%d", i), Body: "公交 班次 地铁 道路 拥堵 交通", Category: "交通运输"})
	}
	for i := range ex {
		ex[i].Title, ex[i].Body = Normalize(ex[i].Title), Normalize(ex[i].Body)
	}
	m, err := category.Train(ex, nil, Words)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "categories.model")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	a := newAnalyzer(t, nil, Options{CategoryModel: path})
	res := a.Analyze([]minyi.Document{
		doc("a", "河道发黑有异味", "附近工厂排污，河道污染严重", t0),
		doc("b", "公交班次太少", "早高峰公交拥堵，建议增加班次", t0),
	})
	if res[0].Analysis.Category != "环境保护" || res[1].Analysis.Category != "交通运输" {
		t.Errorf("categories %q, %q", res[0].Analysis.Category, res[1].Analysis.Category)
	}
	if res[0].Analysis.CategoryConfidence <= 0 {
		t.Errorf("no confidence: %+v", res[0].Analysis)
	}
}

func TestBadModelFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.model")
	os.WriteFile(path, []byte("not a model"), 0o644)
	for _, opts := range []Options{{SentimentModel: path}, {CategoryModel: path}, {CategoryModel: path + ".missing"}} {
		if _, err := New(context.Background(), nil, opts); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%+v: err %v, want EINVALID", opts, err)
		}
	}
}
