package searchtest

import (
	"cmp"
	"context"
	"slices"
	"testing"

	"minyi"
)

// Ids of the analysed fixtures. A topic is named after its first document.
const (
	idPark1      = "park-1" // topic park-1: a complaint and two reposts
	idPark2      = "park-2"
	idPark3      = "park-3"
	idNoise1     = "noise-1" // topic noise-1
	idNoise2     = "noise-2"
	idSchool     = "school" // analysed, in no topic
	idClinic     = "clinic"
	idUnanalysed = "unanalysed"
)

// AnalysedDocuments returns documents with analysis results: three
// sentiments, three categories, two topics with reposts, documents in no
// topic and one not analysed yet, over three China-time days.
func AnalysedDocuments() []minyi.Document {
	an := func(s minyi.Sentiment, category, topic string) *minyi.Analysis {
		return &minyi.Analysis{Sentiment: s, Category: category, Topic: topic, SentimentScore: 0.5, Simhash: 1}
	}
	neg, neu, pos := minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive
	const park = "小区停车位严重不足，消防通道被占用，物业不作为。"
	docs := []minyi.Document{
		{ID: idPark1, Title: "小区停车难谁来管", Body: park, Published: at("2024-06-01", "09:00"), Analysis: an(neg, "城乡建设", idPark1)},
		{ID: idPark2, Title: "转：小区停车难谁来管", Body: park, Published: at("2024-06-01", "10:00"), Analysis: an(neg, "城乡建设", idPark1)},
		{ID: idPark3, Title: "小区停车难", Body: park + "已经反映了。", Published: at("2024-06-02", "08:00"), Analysis: an(neu, "城乡建设", idPark1)},
		{ID: idNoise1, Title: "工地夜间施工噪声扰民", Body: "每天夜里施工到两点。", Published: at("2024-06-01", "12:00"), Analysis: an(neg, "环境保护", idNoise1)},
		{ID: idNoise2, Title: "转：工地夜间施工噪声扰民", Body: "每天夜里施工到两点。", Published: at("2024-06-02", "12:00"), Analysis: an(neg, "环境保护", idNoise1)},
		{ID: idSchool, Title: "感谢学校新修的停车场", Body: "接送孩子方便多了。", Published: at("2024-06-02", "09:00"), Analysis: an(pos, "教育", "")},
		{ID: idClinic, Title: "社区医院何时开夜间门诊", Body: "上班族看病不方便。", Published: at("2024-06-02", "15:00"), Analysis: an(neu, "城乡建设", "")},
		{ID: idUnanalysed, Title: "道路积水", Body: "下雨后路口积水严重。", Published: at("2024-06-03", "07:00")},
	}
	for i := range docs {
		docs[i].Source, docs[i].Kind = Forum, minyi.KindPost
		docs[i].Fetched = docs[i].Published
		docs[i].ContentHash = docs[i].Hash()
	}
	return docs
}

func runAnalysisTests(t *testing.T, open func(t *testing.T) minyi.Index) {
	ctx := context.Background()
	fixture := func(t *testing.T) minyi.Index {
		t.Helper()
		idx := open(t)
		if err := idx.Index(ctx, AnalysedDocuments()); err != nil {
			t.Fatalf("index analysed fixtures: %v", err)
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
	// expectOrder checks the hits in order and the total.
	expectOrder := func(t *testing.T, res *minyi.SearchResult, total int, want ...string) {
		t.Helper()
		if got := hitIDs(res); !slices.Equal(got, want) || res.Total != uint64(total) {
			t.Errorf("hits %v total %d, want %v total %d", got, res.Total, want, total)
		}
	}
	newestFirst := []string{idUnanalysed, idClinic, idNoise2, idSchool, idPark3, idNoise1, idPark2, idPark1}

	t.Run("BrowseWithoutText", func(t *testing.T) {
		idx := fixture(t)
		for _, text := range []string{"", "   ", "\u3000\t"} {
			expectOrder(t, search(t, idx, minyi.SearchQuery{Text: text}), len(newestFirst), newestFirst...)
		}
		expectOrder(t, search(t, idx, minyi.SearchQuery{Page: 2, PageSize: 3}), len(newestFirst), newestFirst[3:6]...)
		res := search(t, idx, minyi.SearchQuery{Source: Mailbox})
		expectOrder(t, res, 0)
		// Text still needs to be valid when it is not blank.
		for _, text := range []string{"-停车", "！！", `"停车`} {
			if _, err := idx.Search(ctx, minyi.SearchQuery{Text: text}); minyi.ErrorCode(err) != minyi.EINVALID {
				t.Errorf("Search(%q): %v, want %s", text, err, minyi.EINVALID)
			}
		}
	})

	t.Run("AnalysisFacets", func(t *testing.T) {
		idx := fixture(t)
		res := search(t, idx, minyi.SearchQuery{PageSize: 1})
		checkFacets(t, "sentiments", res.Facets.Sentiments, []minyi.FacetCount{
			{Value: "负面", Count: 4}, {Value: "中性", Count: 2}, {Value: "正面", Count: 1}})
		checkFacets(t, "categories", res.Facets.Categories, []minyi.FacetCount{
			{Value: "城乡建设", Count: 4}, {Value: "环境保护", Count: 2}, {Value: "教育", Count: 1}})
		// Over the matches of a text search and its filters.
		res = search(t, idx, minyi.SearchQuery{Text: "停车", PageSize: 1})
		checkFacets(t, "停车 sentiments", res.Facets.Sentiments, []minyi.FacetCount{
			{Value: "负面", Count: 2}, {Value: "中性", Count: 1}, {Value: "正面", Count: 1}})
		res = search(t, idx, minyi.SearchQuery{Sentiment: minyi.SentimentNegative})
		checkFacets(t, "负面 categories", res.Facets.Categories, []minyi.FacetCount{
			{Value: "城乡建设", Count: 2}, {Value: "环境保护", Count: 2}})
	})

	t.Run("AnalysisFilters", func(t *testing.T) {
		idx := fixture(t)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Sentiment: minyi.SentimentNegative}), 4, idNoise2, idNoise1, idPark2, idPark1)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Category: "环境保护"}), 2, idNoise2, idNoise1)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Topic: idPark1}), 3, idPark3, idPark2, idPark1)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Topic: idPark1, Sentiment: minyi.SentimentNeutral}), 1, idPark3)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Category: "no-such-category"}), 0)
		res := search(t, idx, minyi.SearchQuery{Text: "停车", Sentiment: minyi.SentimentNegative})
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, []string{idPark1, idPark2}) || res.Total != 2 {
			t.Errorf("停车 负面: hits %v total %d, want park-1 park-2", got, res.Total)
		}
		// Hits carry the analysis; an unanalysed document carries none.
		res = search(t, idx, minyi.SearchQuery{PageSize: 5})
		for _, h := range res.Hits {
			switch h.ID {
			case idPark3:
				if h.Sentiment != minyi.SentimentNeutral || h.Category != "城乡建设" || h.Topic != idPark1 || h.TopicSize != 0 {
					t.Errorf("park-3 hit %+v", h)
				}
			case idUnanalysed:
				if h.Sentiment != "" || h.Category != "" || h.Topic != "" {
					t.Errorf("unanalysed hit %+v", h)
				}
			}
		}
	})

	t.Run("EventFilter", func(t *testing.T) {
		idx := open(t)
		docs := AnalysedDocuments()
		inEvent := map[string]string{idPark1: idPark1, idPark2: idPark1, idPark3: idPark1, idNoise1: idNoise1, idNoise2: idNoise1}
		for i := range docs {
			if e := inEvent[docs[i].ID]; e != "" {
				docs[i].Analysis.Event = e
			}
		}
		if err := idx.Index(ctx, docs); err != nil {
			t.Fatal(err)
		}
		expectOrder(t, search(t, idx, minyi.SearchQuery{Event: idPark1}), 3, idPark3, idPark2, idPark1)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Event: idPark1, Sentiment: minyi.SentimentNeutral}), 1, idPark3)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Event: idNoise1, Text: "施工"}), 2, idNoise2, idNoise1)
		for _, h := range search(t, idx, minyi.SearchQuery{PageSize: 10}).Hits {
			if h.Event != inEvent[h.ID] {
				t.Errorf("hit %s has event %q, want %q", h.ID, h.Event, inEvent[h.ID])
			}
		}
		// The park event absorbs the noise event: its documents, indexed
		// again, are found under the park event alone.
		var moved []minyi.Document
		for _, d := range docs {
			if inEvent[d.ID] == idNoise1 {
				d.Analysis.Event = idPark1
				moved = append(moved, d)
			}
		}
		if err := idx.Index(ctx, moved); err != nil {
			t.Fatal(err)
		}
		expectOrder(t, search(t, idx, minyi.SearchQuery{Event: idNoise1}), 0)
		expectOrder(t, search(t, idx, minyi.SearchQuery{Event: idPark1}), 5, idNoise2, idPark3, idNoise1, idPark2, idPark1)
	})

	t.Run("GroupByTopic", func(t *testing.T) {
		idx := fixture(t)
		type group struct {
			id   string
			size int
		}
		groups := func(res *minyi.SearchResult) []group {
			var out []group
			for _, h := range res.Hits {
				out = append(out, group{h.ID, h.TopicSize})
			}
			return out
		}
		// Browsing, newest first: a topic is shown by its newest document.
		all := []group{{idUnanalysed, 1}, {idClinic, 1}, {idNoise2, 2}, {idSchool, 1}, {idPark3, 3}}
		for page := 1; page <= 4; page++ {
			res := search(t, idx, minyi.SearchQuery{GroupByTopic: true, Page: page, PageSize: 2})
			want := all[min(len(all), (page-1)*2):min(len(all), page*2)]
			if got := groups(res); !slices.Equal(got, want) || res.Total != uint64(len(newestFirst)) {
				t.Errorf("page %d: groups %v total %d, want %v total %d", page, got, res.Total, want, len(newestFirst))
			}
		}
		res := search(t, idx, minyi.SearchQuery{GroupByTopic: true})
		if got := groups(res); !slices.Equal(got, all) {
			t.Errorf("one page: groups %v, want %v", got, all)
		}
		if res.Hits[2].Topic != idNoise1 || res.Hits[2].Sentiment != minyi.SentimentNegative {
			t.Errorf("grouped hit lacks its analysis: %+v", res.Hits[2])
		}
		// TopicSize counts the matches in the topic, not the whole topic.
		res = search(t, idx, minyi.SearchQuery{GroupByTopic: true, Sentiment: minyi.SentimentNegative})
		if got, want := groups(res), []group{{idNoise2, 2}, {idPark2, 2}}; !slices.Equal(got, want) || res.Total != 4 {
			t.Errorf("负面 groups %v total %d, want %v total 4", got, res.Total, want)
		}
		// With text, a topic is shown by its best match, whichever it is.
		res = search(t, idx, minyi.SearchQuery{Text: "停车", GroupByTopic: true})
		sizes := map[string]int{}
		for _, h := range res.Hits {
			key := h.Topic
			if key == "" {
				key = h.ID
			}
			sizes[key] = h.TopicSize
		}
		if len(res.Hits) != 2 || sizes[idPark1] != 3 || sizes[idSchool] != 1 || res.Total != 4 {
			t.Errorf("停车 grouped: hits %+v total %d, want topic park-1 (3) and school (1), total 4", res.Hits, res.Total)
		}
		// Facets still count documents.
		checkFacets(t, "grouped sentiments", res.Facets.Sentiments, []minyi.FacetCount{
			{Value: "负面", Count: 2}, {Value: "中性", Count: 1}, {Value: "正面", Count: 1}})
	})

	// Reports name the largest topics of a period. Equal sizes may come in
	// any order a backend keeps from page to page.
	t.Run("TopicsBySize", func(t *testing.T) {
		idx := fixture(t)
		bySize := func(q minyi.SearchQuery) (ids []string, sizes []int) {
			q.GroupByTopic, q.TopicsBySize = true, true
			for _, h := range search(t, idx, q).Hits {
				ids, sizes = append(ids, h.ID), append(sizes, h.TopicSize)
			}
			return ids, sizes
		}
		all, sizes := bySize(minyi.SearchQuery{})
		if !slices.Equal(sizes, []int{3, 2, 1, 1, 1}) || len(all) != 5 || all[0] != idPark3 || all[1] != idNoise2 ||
			!sameSet(all[2:], []string{idUnanalysed, idClinic, idSchool}) {
			t.Errorf("topics by size %v %v, want park-3 (3), noise-2 (2), then unanalysed, clinic, school (1 each)", all, sizes)
		}
		var paged []string
		for page := 1; page <= 3; page++ {
			ids, _ := bySize(minyi.SearchQuery{Page: page, PageSize: 2})
			paged = append(paged, ids...)
		}
		if !slices.Equal(paged, all) {
			t.Errorf("pages of 2 %v, want the one page %v", paged, all)
		}
		res := search(t, idx, minyi.SearchQuery{GroupByTopic: true, TopicsBySize: true, PageSize: 1})
		if len(res.Hits) != 1 || res.Hits[0].TopicSize != 3 || res.Total != uint64(len(newestFirst)) {
			t.Errorf("largest topic %+v total %d, want park-3 with 3 matches, total %d", res.Hits, res.Total, len(newestFirst))
		}
		neg, sizes := bySize(minyi.SearchQuery{Sentiment: minyi.SentimentNegative})
		if !sameSet(neg, []string{idNoise2, idPark2}) || !slices.Equal(sizes, []int{2, 2}) {
			t.Errorf("负面 topics by size %v %v, want noise-2 and park-2 with 2 each", neg, sizes)
		}
		if _, err := idx.Search(ctx, minyi.SearchQuery{TopicsBySize: true}); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("TopicsBySize without GroupByTopic: %v, want %s", err, minyi.EINVALID)
		}
	})
}

// checkFacets compares counts; backends may order equal counts differently.
func checkFacets(t *testing.T, what string, got, want []minyi.FacetCount) {
	t.Helper()
	order := func(a, b minyi.FacetCount) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value)) }
	got = slices.Clone(got)
	slices.SortStableFunc(got, order)
	if !slices.IsSortedFunc(want, order) || !slices.Equal(got, want) {
		t.Errorf("%s facets %v, want %v", what, got, want)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
