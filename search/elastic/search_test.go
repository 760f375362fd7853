package elastic

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// searchResponse is a _search answer from one healthy shard.
func searchResponse(total int, hits, aggs string) answer {
	return answer{200, `{"took":4,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},` +
		`"hits":{"total":{"value":` + itoa(total) + `,"relation":"eq"},"max_score":null,"hits":[` + hits + `]},` +
		`"aggregations":{` + aggs + `}}`}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

const emptyFacets = `"sterms#sources":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},` +
	`"sterms#sentiments":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},` +
	`"sterms#categories":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},` +
	`"date_histogram#days":{"buckets":[]}`

func TestSearchHighlightsTheOriginalText(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	f.on("POST /minyi/_search", searchResponse(3, `
	    {"_index":"`+index+`","_id":"a","_score":1.5,
	     "_source":{"id":"a","source":"city-forum","kind":"post","title":"學校門口噪聲擾民","url":"https://bbs.example.cn/t/1",
	                "published":"2024-05-02T13:05:00Z","topic_group":"a",
	                "body":"<script>alert('x')</script>學校的噪聲很大，晚上噪 聲不斷。","comments":"楼上说得对"},
	     "sort":[1.5,1714655100000,"a"]}`,
		`"sterms#sources":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"city-forum","doc_count":2},{"key":"mayor-mailbox","doc_count":1}]},`+
			`"sterms#sentiments":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},`+
			`"sterms#categories":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[]},`+
			`"date_histogram#days":{"buckets":[{"key_as_string":"2024-05-01","key":1714492800000,"doc_count":2},{"key_as_string":"2024-05-02","key":1714579200000,"doc_count":1}]}`))
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), minyi.SearchQuery{Text: `噪聲 -"学 校" `, Source: "city-forum",
		From: time.Date(2024, 5, 1, 0, 0, 0, 0, minyi.ChinaTime)})
	if err != nil {
		t.Fatal(err)
	}
	req := f.sent("POST /minyi/_search")[0]
	for _, want := range []string{`"body_tokens":{"query":"噪 声"}`, `"must_not"`, `"query":"学 校"`,
		`"time_zone":"+08:00"`, `"gte":"2024-04-30T16:00:00Z"`, `"source":{"value":"city-forum"}`} {
		if !strings.Contains(req.body, want) {
			t.Errorf("search request lacks %s: %s", want, req.body)
		}
	}
	if strings.Contains(req.body, `"highlight"`) {
		t.Errorf("asked Elasticsearch to highlight the token copy: %s", req.body)
	}
	if q, _ := url.ParseQuery(req.query); !slices.Contains(strings.Split(q.Get("_source_includes"), ","), "body") {
		t.Errorf("search does not fetch the body to highlight: %s", req.query)
	}
	if res.Total != 3 || len(res.Hits) != 1 {
		t.Fatalf("result %+v", res)
	}
	h := res.Hits[0]
	published := time.Date(2024, 5, 2, 21, 5, 0, 0, minyi.ChinaTime)
	if h.ID != "a" || h.Kind != minyi.KindPost || !h.Published.Equal(published) || h.Score != 1.5 {
		t.Errorf("hit %+v", h)
	}
	// Traditional characters stay as written, the script is escaped, and
	// 噪 聲 across a space still matches, as the phrase query does.
	if got := h.Highlights["title"]; len(got) != 1 || got[0] != "學校門口<mark>噪聲</mark>擾民" {
		t.Errorf("title highlights %q", got)
	}
	wantBody := "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;學校的<mark>噪聲</mark>很大，晚上<mark>噪</mark> <mark>聲</mark>不斷。"
	if got := h.Highlights["body"]; len(got) != 1 || got[0] != wantBody {
		t.Errorf("body highlights %q, want %q", got, wantBody)
	}
	if _, ok := h.Highlights["comments"]; ok {
		t.Errorf("comments without a match are highlighted: %q", h.Highlights["comments"])
	}
	wantSources := []minyi.FacetCount{{Value: "city-forum", Count: 2}, {Value: "mayor-mailbox", Count: 1}}
	wantDays := []minyi.FacetCount{{Value: "2024-05-01", Count: 2}, {Value: "2024-05-02", Count: 1}}
	if !slices.Equal(res.Facets.Sources, wantSources) || !slices.Equal(res.Facets.Days, wantDays) {
		t.Errorf("facets %+v", res.Facets)
	}
	for _, text := range []string{`"拆迁`, "-拆迁", "！！"} {
		if _, err := x.Search(context.Background(), minyi.SearchQuery{Text: text}); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Search(%q): %v, want %s", text, err, minyi.EINVALID)
		}
	}
	if n := len(f.sent("POST /minyi/_search")); n != 1 {
		t.Errorf("user errors reached the cluster: %d searches", n)
	}
}

func TestPartialResultsAreErrors(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	hit := `{"_index":"` + index + `","_id":"a","_score":null,"_source":{"id":"a","source":"s","kind":"post","title":"t","published":"2024-05-02T13:05:00Z","topic_group":"a"},"sort":[1714655100000,"a"]}`
	f.on("POST /minyi/_search", answer{200, `{"took":12,"timed_out":false,` +
		`"_shards":{"total":2,"successful":1,"skipped":0,"failed":1,"failures":[{"shard":1,"index":"` + index + `","node":"dJq2n9bGS3mKp2Ew0cJ5zA",` +
		`"reason":{"type":"node_not_connected_exception","reason":"[es-node-2][10.0.3.12:9300] Node not connected"}}]},` +
		`"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[` + hit + `]},"aggregations":{` + emptyFacets + `}}`},
		answer{200, `{"took":1000,"timed_out":true,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},` +
			`"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[` + hit + `]},"aggregations":{` + emptyFacets + `}}`})
	for _, want := range []string{"1 of 2 shards failed (node_not_connected_exception", "timed out"} {
		res, err := x.Search(context.Background(), minyi.SearchQuery{})
		if err == nil || !strings.Contains(err.Error(), want) || res != nil {
			t.Errorf("partial response: %v, %v; want an error saying %q", res, err, want)
		}
	}
	f.on("POST /minyi/_count", answer{200, `{"count":1,"_shards":{"total":2,"successful":1,"skipped":0,"failed":1,` +
		`"failures":[{"shard":0,"index":"` + index + `","node":null,"reason":{"type":"no_shard_available_action_exception","reason":null}}]}}`})
	if n, err := x.Count(context.Background()); err == nil {
		t.Errorf("Count from half the shards = %d, no error", n)
	}
}

func TestTransportRetriesTooManyRequests(t *testing.T) {
	f, cfg := openedFake(t)
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.on("POST /minyi/_count",
		answer{429, errorBody("es_rejected_execution_exception", "rejected execution of TimedRunnable on TaskExecutionTimeTrackingEsThreadPoolExecutor[name = es-node-1/search, queue capacity = 1000]", 429)},
		answer{200, `{"count":7,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}`})
	if n, err := x.Count(context.Background()); err != nil || n != 7 {
		t.Errorf("Count = %d, %v", n, err)
	}
	if n := len(f.sent("POST /minyi/_count")); n != 2 {
		t.Errorf("%d requests, want the 429 and its retry", n)
	}
}

func TestGroupByTopicSizesWithOneAggregation(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	hit := func(id, topic, group string) string {
		return `{"_index":"` + index + `","_id":"` + id + `","_score":null,"_source":{"id":"` + id + `","source":"city-forum","kind":"post",` +
			`"title":"停车难","published":"2024-06-01T02:00:00Z","sentiment":"负面","category":"城乡建设","topic":"` + topic + `","topic_group":"` + group + `"},` +
			`"fields":{"topic_group":["` + group + `"]},"sort":[1717207200000,"` + id + `"]}`
	}
	f.on("POST /minyi/_search",
		searchResponse(5, hit("p2", "p1", "p1")+","+hit("solo", "", "solo"),
			`"sterms#sources":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"city-forum","doc_count":5}]},`+
				`"sterms#sentiments":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"负面","doc_count":4},{"key":"中性","doc_count":1}]},`+
				`"sterms#categories":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"城乡建设","doc_count":5}]},`+
				`"date_histogram#days":{"buckets":[{"key_as_string":"2024-06-01","key":1717171200000,"doc_count":5}]}`),
		answer{200, `{"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},` +
			`"hits":{"total":{"value":4,"relation":"eq"},"max_score":null,"hits":[]},` +
			`"aggregations":{"sterms#sizes":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"p1","doc_count":3},{"key":"solo","doc_count":1}]}}}`})
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), minyi.SearchQuery{Text: "  ", GroupByTopic: true,
		Sentiment: minyi.SentimentNegative, Category: "城乡建设", Topic: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[0].TopicSize != 3 || res.Hits[1].TopicSize != 1 || res.Total != 5 {
		t.Errorf("groups %+v total %d", res.Hits, res.Total)
	}
	if h := res.Hits[0]; h.Topic != "p1" || h.Sentiment != minyi.SentimentNegative || h.Category != "城乡建设" {
		t.Errorf("hit %+v", h)
	}
	if !slices.Equal(res.Facets.Sentiments, []minyi.FacetCount{{Value: "负面", Count: 4}, {Value: "中性", Count: 1}}) ||
		!slices.Equal(res.Facets.Categories, []minyi.FacetCount{{Value: "城乡建设", Count: 5}}) {
		t.Errorf("facets %+v", res.Facets)
	}
	reqs := f.sent("POST /minyi/_search")
	if len(reqs) != 2 {
		t.Fatalf("%d searches for a page of 2 topics, want 2", len(reqs))
	}
	for _, want := range []string{`"match_all":{}`, `"collapse":{"field":"topic_group"}`,
		`"sentiment":{"value":"负面"}`, `"category":{"value":"城乡建设"}`, `"topic":{"value":"p1"}`,
		`"sentiments":{"terms":{"field":"sentiment"`, `"categories":{"terms":{"field":"category"`} {
		if !strings.Contains(reqs[0].body, want) {
			t.Errorf("page request lacks %s: %s", want, reqs[0].body)
		}
	}
	for _, unwanted := range []string{"inner_hits", `"highlight"`, `"_score"`} {
		if strings.Contains(reqs[0].body, unwanted) {
			t.Errorf("browsing request has %s: %s", unwanted, reqs[0].body)
		}
	}
	for _, want := range []string{`"terms":{"topic_group":["p1","solo"]}`, `"sentiment":{"value":"负面"}`,
		`"sizes":{"terms":{"field":"topic_group","include":["p1","solo"],"size":2}}`, `"size":0`} {
		if !strings.Contains(reqs[1].body, want) {
			t.Errorf("sizes request lacks %s: %s", want, reqs[1].body)
		}
	}
	if reqs[0].query == "" || preferenceOf(reqs[0]) != preferenceOf(reqs[1]) {
		t.Errorf("the two requests of one page go to different copies: %q, %q", reqs[0].query, reqs[1].query)
	}

	doc := minyi.Document{ID: "solo", Source: "s", Kind: minyi.KindPost, Title: "t", Published: time.Now()}
	if sent := toSource(&doc); sent.TopicGroup != "solo" || sent.Topic != "" {
		t.Errorf("a document in no topic groups as %q", sent.TopicGroup)
	}
	doc.Analysis = &minyi.Analysis{Topic: "p1", Category: "城乡建设"}
	if sent := toSource(&doc); sent.TopicGroup != "p1" || sent.Category != "城乡建设" {
		t.Errorf("a document in topic p1: %+v", sent)
	}
}

func preferenceOf(r request) string {
	q, _ := url.ParseQuery(r.query)
	return q.Get("preference")
}

func TestPreferenceIsStableAcrossPages(t *testing.T) {
	base := minyi.SearchQuery{Text: "停车", Source: "city-forum", Page: 1, PageSize: 20}
	page2 := base
	page2.Page = 2
	other := base
	other.Text = "噪声"
	if preference(base) != preference(page2) || preference(base) == preference(other) || strings.HasPrefix(preference(base), "_") {
		t.Errorf("preferences %q %q %q", preference(base), preference(page2), preference(other))
	}
}

// Topics by size: the page's groups come from a terms aggregation ordered
// by count, their best matches from a collapsed search over just those
// groups (which may answer in another order), their sizes exact.
func TestTopicsBySizeFromAnAggregation(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	hit := func(id, topic, group string) string {
		return `{"_index":"` + index + `","_id":"` + id + `","_score":null,"_source":{"id":"` + id + `","source":"city-forum","kind":"post",` +
			`"title":"停车难","published":"2024-06-01T02:00:00Z","topic":"` + topic + `","topic_group":"` + group + `"},` +
			`"fields":{"topic_group":["` + group + `"]},"sort":[1717207200000,"` + id + `"]}`
	}
	shards := `"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}`
	f.on("POST /minyi/_search",
		searchResponse(4, "",
			`"sterms#by_size":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"p1","doc_count":3},{"key":"solo","doc_count":1}]}`),
		answer{200, `{` + shards + `,"hits":{"max_score":null,"hits":[` + hit("solo", "", "solo") + `,` + hit("p3", "p1", "p1") + `]}}`},
		answer{200, `{` + shards + `,"hits":{"total":{"value":4,"relation":"eq"},"max_score":null,"hits":[]},` +
			`"aggregations":{"sterms#sizes":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"p1","doc_count":3},{"key":"solo","doc_count":1}]}}}`})
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(context.Background(), minyi.SearchQuery{GroupByTopic: true, TopicsBySize: true, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[0].ID != "p3" || res.Hits[0].TopicSize != 3 || res.Hits[1].ID != "solo" || res.Hits[1].TopicSize != 1 || res.Total != 4 {
		t.Errorf("topics %+v total %d, want p3 (3) then solo (1), total 4", res.Hits, res.Total)
	}
	reqs := f.sent("POST /minyi/_search")
	if len(reqs) != 3 {
		t.Fatalf("%d searches, want 3", len(reqs))
	}
	for i, wants := range [][]string{
		{`"by_size":{"terms":{"field":"topic_group","order":[{"_count":"desc"},{"_key":"asc"}],"size":2}}`, `"size":0`},
		{`"collapse":{"field":"topic_group"}`, `"terms":{"topic_group":["p1","solo"]}`, `"size":2`},
		{`"sizes":{"terms":{"field":"topic_group","include":["p1","solo"],"size":2}}`},
	} {
		for _, want := range wants {
			if !strings.Contains(reqs[i].body, want) {
				t.Errorf("request %d lacks %s: %s", i, want, reqs[i].body)
			}
		}
	}
	if strings.Contains(reqs[0].body, "collapse") {
		t.Errorf("the aggregation request collapses: %s", reqs[0].body)
	}
}
