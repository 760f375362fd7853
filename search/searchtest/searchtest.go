// Package searchtest is the conformance suite every minyi.Index passes:
// each backend's test file is one call to RunIndexTests.
package searchtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// RunIndexTests runs the suite. open returns an empty index; it is called
// once per subtest, and the caller's cleanup closes and drops it.
func RunIndexTests(t *testing.T, open func(t *testing.T) minyi.Index) {
	ctx := context.Background()
	fixture := func(t *testing.T) minyi.Index {
		t.Helper()
		idx := open(t)
		if err := idx.Index(ctx, Documents()); err != nil {
			t.Fatalf("index fixtures: %v", err)
		}
		return idx
	}
	search := func(t *testing.T, idx minyi.Index, q minyi.SearchQuery) *minyi.SearchResult {
		t.Helper()
		res, err := idx.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return res
	}
	expectIDs := func(t *testing.T, idx minyi.Index, q minyi.SearchQuery, want ...string) {
		t.Helper()
		res := search(t, idx, q)
		got := hitIDs(res)
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q.Text, got, want)
		}
		if res.Total != uint64(len(want)) {
			t.Errorf("Search(%q): total %d, want %d", q.Text, res.Total, len(want))
		}
	}

	t.Run("PhraseIsContiguous", func(t *testing.T) {
		idx := fixture(t)
		expectIDs(t, idx, minyi.SearchQuery{Text: "拆迁补偿"}, idCompensation)
		expectIDs(t, idx, minyi.SearchQuery{Text: `"拆迁补偿款"`}, idCompensation)
		// A sub-word of a longer word still matches.
		expectIDs(t, idx, minyi.SearchQuery{Text: "补偿"}, idCompensation, idScattered)
		// Two clauses need not be adjacent.
		expectIDs(t, idx, minyi.SearchQuery{Text: "拆迁 补偿"}, idCompensation, idScattered)
		expectIDs(t, idx, minyi.SearchQuery{Text: "夜间门诊"}, idMedical)
		expectIDs(t, idx, minyi.SearchQuery{Text: "门诊夜间"})
	})

	t.Run("TraditionalFoldsBothWays", func(t *testing.T) {
		idx := fixture(t)
		expectIDs(t, idx, minyi.SearchQuery{Text: "拆遷補償"}, idCompensation)
		expectIDs(t, idx, minyi.SearchQuery{Text: "社区停车"}, idParking)
		expectIDs(t, idx, minyi.SearchQuery{Text: "消防通道"}, idParking)
		expectIDs(t, idx, minyi.SearchQuery{Text: "噪聲擾民"}, idScript)
	})

	t.Run("MatchesInComments", func(t *testing.T) {
		idx := fixture(t)
		expectIDs(t, idx, minyi.SearchQuery{Text: "环境卫生"}, idEnvironment)
	})

	t.Run("Exclusion", func(t *testing.T) {
		idx := fixture(t)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车"}, idParking, idMedical, idLateNight)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车 -社区"}, idLateNight)
		expectIDs(t, idx, minyi.SearchQuery{Text: `停车 -"停车费"`}, idParking, idMedical)
	})

	t.Run("HighlightsMarkAndEscape", func(t *testing.T) {
		idx := fixture(t)
		res := search(t, idx, minyi.SearchQuery{Text: "噪声"})
		if len(res.Hits) != 1 {
			t.Fatalf("噪声: %d hits, want 1", len(res.Hits))
		}
		h := res.Hits[0]
		body := strings.Join(h.Highlights["body"], " … ")
		if !strings.Contains(body, "<mark>噪声</mark>") {
			t.Errorf("body highlight %q lacks <mark>噪声</mark>", body)
		}
		if strings.Contains(body, "<script") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("body highlight %q does not escape the script", body)
		}
		if title := strings.Join(h.Highlights["title"], ""); !strings.Contains(title, "<mark>噪声</mark>") {
			t.Errorf("title highlight %q lacks <mark>噪声</mark>", title)
		}
		if h.Title != "学校门口夜间施工噪声扰民" || h.Source != Mailbox || h.Kind != minyi.KindMessage ||
			h.URL == "" || !h.Published.Equal(at("2024-05-02", "21:05")) {
			t.Errorf("hit fields = %+v", h)
		}
		// A traditional document is highlighted in its own characters.
		res = search(t, idx, minyi.SearchQuery{Text: "停车问题"})
		if len(res.Hits) != 1 || !strings.Contains(strings.Join(res.Hits[0].Highlights["title"], ""), "<mark>停車問題</mark>") {
			t.Errorf("停车问题: highlights %+v, want <mark>停車問題</mark> in the title", res.Hits)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		idx := fixture(t)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", Source: Forum}, idLateNight)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", Kind: minyi.KindMessage}, idParking, idMedical)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", Source: "no-such-source"})
		// [From, To): the start is inclusive, the end exclusive.
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", From: at("2024-05-02", "08:30"), To: at("2024-05-03", "00:30")}, idParking)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", From: at("2024-05-03", "00:00")}, idMedical, idLateNight)
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车", To: at("2024-05-03", "00:00")}, idParking)
	})

	t.Run("PagingAndTotal", func(t *testing.T) {
		idx := fixture(t)
		// 的 occurs in every fixture.
		n := len(Documents())
		var seen []string
		for page := 1; page <= 5; page++ {
			res := search(t, idx, minyi.SearchQuery{Text: "的", Page: page, PageSize: 2})
			if res.Total != uint64(n) || res.Page != page || res.PageSize != 2 {
				t.Fatalf("page %d: total %d page %d size %d, want %d %d 2", page, res.Total, res.Page, res.PageSize, n, page)
			}
			want := min(2, max(0, n-(page-1)*2))
			if len(res.Hits) != want {
				t.Fatalf("page %d: %d hits, want %d", page, len(res.Hits), want)
			}
			seen = append(seen, hitIDs(res)...)
		}
		slices.Sort(seen)
		if len(slices.Compact(seen)) != n {
			t.Errorf("pages repeat or miss documents: %v", seen)
		}
		res := search(t, idx, minyi.SearchQuery{Text: "的"})
		if res.Page != 1 || res.PageSize != minyi.DefaultPageSize {
			t.Errorf("defaults: page %d size %d", res.Page, res.PageSize)
		}
	})

	t.Run("Facets", func(t *testing.T) {
		idx := fixture(t)
		res := search(t, idx, minyi.SearchQuery{Text: "的"})
		wantSources := []minyi.FacetCount{{Value: Forum, Count: 4}, {Value: Mailbox, Count: 3}}
		if !slices.Equal(res.Facets.Sources, wantSources) {
			t.Errorf("source facets %v, want %v", res.Facets.Sources, wantSources)
		}
		// The 00:30 post belongs to 05-03 in China time, although it is 05-02 in UTC.
		wantDays := []minyi.FacetCount{{Value: "2024-05-01", Count: 2}, {Value: "2024-05-02", Count: 2}, {Value: "2024-05-03", Count: 3}}
		if !slices.Equal(res.Facets.Days, wantDays) {
			t.Errorf("day facets %v, want %v", res.Facets.Days, wantDays)
		}
		// Facets count all matches, not only the page.
		res = search(t, idx, minyi.SearchQuery{Text: "停车", PageSize: 1})
		wantSources = []minyi.FacetCount{{Value: Mailbox, Count: 2}, {Value: Forum, Count: 1}}
		if !slices.Equal(res.Facets.Sources, wantSources) {
			t.Errorf("停车 source facets %v, want %v", res.Facets.Sources, wantSources)
		}
	})

	t.Run("ReindexReplaces", func(t *testing.T) {
		idx := fixture(t)
		doc := Documents()[0]
		doc.Title = "拆迁安置房质量问题"
		doc.Body = "安置房墙体开裂。"
		doc.Comments = nil
		if err := idx.Index(ctx, []minyi.Document{doc}); err != nil {
			t.Fatal(err)
		}
		if n, err := idx.Count(ctx); err != nil || n != uint64(len(Documents())) {
			t.Errorf("Count after re-index = %d, %v; want %d", n, err, len(Documents()))
		}
		expectIDs(t, idx, minyi.SearchQuery{Text: "拆迁补偿"})
		expectIDs(t, idx, minyi.SearchQuery{Text: "安置房"}, idCompensation)
	})

	t.Run("DeleteAndCount", func(t *testing.T) {
		idx := open(t)
		if n, err := idx.Count(ctx); err != nil || n != 0 {
			t.Fatalf("empty index: Count = %d, %v", n, err)
		}
		if err := idx.Index(ctx, Documents()); err != nil {
			t.Fatal(err)
		}
		if n, err := idx.Count(ctx); err != nil || n != uint64(len(Documents())) {
			t.Fatalf("Count = %d, %v; want %d", n, err, len(Documents()))
		}
		if err := idx.Delete(ctx, []string{idParking, "no-such-id"}); err != nil {
			t.Fatal(err)
		}
		if n, err := idx.Count(ctx); err != nil || n != uint64(len(Documents())-1) {
			t.Errorf("Count after delete = %d, %v; want %d", n, err, len(Documents())-1)
		}
		expectIDs(t, idx, minyi.SearchQuery{Text: "停车"}, idMedical, idLateNight)
	})

	t.Run("UserErrorsAreInvalid", func(t *testing.T) {
		idx := fixture(t)
		for _, q := range []minyi.SearchQuery{
			{Text: `"拆迁补偿`},
			{Text: "学校 “噪声"},
			{Text: strings.Repeat("停", minyi.MaxQueryRunes+1)},
			{Text: "-拆迁"},
			{Text: "拆迁 -"},
			{Text: "！！！ ……"},
			{Text: "拆迁\xff"},
			{Text: "停车", Page: -1},
			{Text: "停车", PageSize: minyi.MaxPageSize + 1},
			{Text: "停车", Page: minyi.MaxSearchWindow, PageSize: 2},
			{Text: "停车", From: at("2024-05-03", "00:00"), To: at("2024-05-01", "00:00")},
		} {
			_, err := idx.Search(ctx, q)
			if minyi.ErrorCode(err) != minyi.EINVALID {
				t.Errorf("Search(%.40q page %d size %d): error %v, want code %s", q.Text, q.Page, q.PageSize, err, minyi.EINVALID)
			}
		}
		// Odd but valid input is no error.
		for _, text := range []string{"<script>", "a*b?c", "OR AND NOT", "停车 ！", "-- 停车", "+停车", "停车~2", "title:停车"} {
			if _, err := idx.Search(ctx, minyi.SearchQuery{Text: text}); err != nil {
				t.Errorf("Search(%q): %v", text, err)
			}
		}
	})

	t.Run("InvalidDocument", func(t *testing.T) {
		idx := open(t)
		doc := Documents()[0]
		doc.ID = ""
		if err := idx.Index(ctx, []minyi.Document{doc}); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("document without id: error %v, want code %s", err, minyi.EINVALID)
		}
	})

	runAnalysisTests(t, open)

	t.Run("LatinAndDigits", func(t *testing.T) {
		idx := open(t)
		doc := Documents()[0]
		doc.ID = "latin"
		doc.Title = "小区WiFi信号差，5G基站何时建？"
		doc.Body = "ＷｉＦｉ经常断线。"
		doc.Published = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		if err := idx.Index(ctx, []minyi.Document{doc}); err != nil {
			t.Fatal(err)
		}
		expectIDs(t, idx, minyi.SearchQuery{Text: "wifi信号"}, "latin")
		expectIDs(t, idx, minyi.SearchQuery{Text: "5g"}, "latin")
		expectIDs(t, idx, minyi.SearchQuery{Text: "ｗｉｆｉ 断线"}, "latin")
		expectIDs(t, idx, minyi.SearchQuery{Text: "wi"})
	})
}

func hitIDs(res *minyi.SearchResult) []string {
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}
