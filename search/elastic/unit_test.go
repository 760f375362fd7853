package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
)

func TestDeployMappingMatchesEmbedded(t *testing.T) {
	deployed, err := os.ReadFile("../../deploy/elasticsearch/minyi-index.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(deployed, indexDefinition) {
		t.Error("deploy/elasticsearch/minyi-index.json differs from search/elastic/mapping.json; copy one over the other")
	}
	var v map[string]any
	if err := json.Unmarshal(indexDefinition, &v); err != nil {
		t.Fatalf("mapping.json: %v", err)
	}
}

func TestTokenText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"拆遷補償款", "拆 迁 补 偿 款"},
		{"小区，WiFi信号差！", "小 区 wifi 信 号 差"},
		{"！！", ""},
	}
	for _, tt := range tests {
		if got := tokenText(tt.in); got != tt.want {
			t.Errorf("tokenText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinFragment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"关 于 <mark>拆</mark> <mark>迁</mark> <mark>补</mark> <mark>偿</mark> 款", "关于<mark>拆迁补偿</mark>款"},
		{"&lt; script &gt; 学 校", "&lt;script&gt;学校"},
		{"<mark>wifi</mark> 信 号 5g hello world", "<mark>wifi</mark>信号5g hello world"},
	}
	for _, tt := range tests {
		if got := joinFragment(tt.in); got != tt.want {
			t.Errorf("joinFragment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// fakeES answers like Elasticsearch 8 for the requests one test makes and
// records their bodies.
type fakeES struct {
	mu       sync.Mutex
	requests map[string]string // "METHOD path" → body
	search   string            // response to _search
}

func (f *fakeES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests[r.Method+" "+r.URL.Path] = string(body)
	f.mu.Unlock()
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodHead:
		w.WriteHeader(http.StatusNotFound)
	case r.Method == http.MethodPut:
		io.WriteString(w, `{"acknowledged":true,"shards_acknowledged":true,"index":"minyi"}`)
	case strings.HasSuffix(r.URL.Path, "/_bulk"):
		io.WriteString(w, `{"took":3,"errors":false,"items":[{"index":{"_index":"minyi","_id":"a","status":201,"result":"created"}}]}`)
	case strings.HasSuffix(r.URL.Path, "/_search"):
		io.WriteString(w, f.search)
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}

func TestAgainstFakeServer(t *testing.T) {
	fake := &fakeES{requests: map[string]string{}, search: `{
	  "took": 2, "timed_out": false, "_shards": {"total":1,"successful":1,"skipped":0,"failed":0},
	  "hits": {"total": {"value": 3, "relation": "eq"}, "max_score": 1.5, "hits": [
	    {"_index": "minyi", "_id": "a", "_score": 1.5,
	     "_source": {"id":"a","source":"city-forum","kind":"post","title":"学校门口噪声扰民","url":"https://bbs.example.cn/t/1","published":"2024-05-02T13:05:00Z"},
	     "highlight": {"body_tokens": ["&lt; script &gt; 学 校 的 <mark>噪</mark> <mark>声</mark> 很 大"]}}
	  ]},
	  "aggregations": {
	    "sterms#sources": {"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"city-forum","doc_count":2},{"key":"mayor-mailbox","doc_count":1}]},
	    "date_histogram#days": {"buckets":[{"key_as_string":"2024-05-01","key":1714492800000,"doc_count":2},{"key_as_string":"2024-05-02","key":1714579200000,"doc_count":1}]}
	  }}`}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx := context.Background()

	x, err := Open(ctx, srv.URL, "minyi")
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.requests["PUT /minyi"]; got != string(indexDefinition) {
		t.Errorf("index created with %q, want mapping.json", got)
	}

	doc := minyi.Document{ID: "a", Source: "city-forum", Kind: minyi.KindPost, Title: "學校門口噪聲擾民",
		Body: "<script>x</script>", Published: time.Date(2024, 5, 2, 21, 5, 0, 0, minyi.ChinaTime)}
	if err := x.Index(ctx, []minyi.Document{doc}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(fake.requests["POST /minyi/_bulk"]), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"_id":"a"`) {
		t.Fatalf("bulk body %q", lines)
	}
	var sent source
	if err := json.Unmarshal([]byte(lines[1]), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.TitleTokens != "学 校 门 口 噪 声 扰 民" || sent.Day != "2024-05-02" || sent.Title != doc.Title {
		t.Errorf("bulk document %+v", sent)
	}

	res, err := x.Search(ctx, minyi.SearchQuery{Text: `噪聲 -"学 校" `, Source: "city-forum",
		From: time.Date(2024, 5, 1, 0, 0, 0, 0, minyi.ChinaTime)})
	if err != nil {
		t.Fatal(err)
	}
	req := fake.requests["POST /minyi/_search"]
	for _, want := range []string{`"body_tokens":{"query":"噪 声"}`, `"must_not"`, `"query":"学 校"`,
		`"time_zone":"+08:00"`, `"gte":"2024-04-30T16:00:00Z"`, `"encoder":"html"`, `"source":{"value":"city-forum"}`} {
		if !strings.Contains(req, want) {
			t.Errorf("search request lacks %s: %s", want, req)
		}
	}
	if res.Total != 3 || len(res.Hits) != 1 {
		t.Fatalf("result %+v", res)
	}
	h := res.Hits[0]
	if h.ID != "a" || h.Kind != minyi.KindPost || !h.Published.Equal(doc.Published) || h.Score != 1.5 {
		t.Errorf("hit %+v", h)
	}
	if got := h.Highlights["body"]; len(got) != 1 || got[0] != "&lt;script&gt;学校的<mark>噪声</mark>很大" {
		t.Errorf("highlights %q", got)
	}
	wantSources := []minyi.FacetCount{{Value: "city-forum", Count: 2}, {Value: "mayor-mailbox", Count: 1}}
	wantDays := []minyi.FacetCount{{Value: "2024-05-01", Count: 2}, {Value: "2024-05-02", Count: 1}}
	if !equalFacets(res.Facets.Sources, wantSources) || !equalFacets(res.Facets.Days, wantDays) {
		t.Errorf("facets %+v", res.Facets)
	}

	for _, text := range []string{`"拆迁`, "-拆迁", "！！"} {
		if _, err := x.Search(ctx, minyi.SearchQuery{Text: text}); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Search(%q): %v, want %s", text, err, minyi.EINVALID)
		}
	}
}

func equalFacets(a, b []minyi.FacetCount) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGroupedBrowseAgainstFakeServer(t *testing.T) {
	fake := &fakeES{requests: map[string]string{}, search: `{
	  "took": 1, "timed_out": false, "_shards": {"total":1,"successful":1,"skipped":0,"failed":0},
	  "hits": {"total": {"value": 5, "relation": "eq"}, "max_score": null, "hits": [
	    {"_index": "minyi", "_id": "p2", "_score": null,
	     "_source": {"id":"p2","source":"city-forum","kind":"post","title":"停车难","published":"2024-06-01T02:00:00Z",
	                 "sentiment":"负面","category":"城乡建设","topic":"p1"},
	     "fields": {"topic_group": ["p1"]},
	     "inner_hits": {"topic": {"hits": {"total": {"value": 3, "relation": "eq"}, "max_score": null, "hits": []}}}}
	  ]},
	  "aggregations": {
	    "sterms#sentiments": {"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"负面","doc_count":4},{"key":"中性","doc_count":1}]},
	    "sterms#categories": {"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"城乡建设","doc_count":5}]}
	  }}`}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx := context.Background()
	x, err := Open(ctx, srv.URL, "minyi")
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, minyi.SearchQuery{Text: "  ", GroupByTopic: true, Sentiment: minyi.SentimentNegative, Category: "城乡建设", Topic: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	req := fake.requests["POST /minyi/_search"]
	for _, want := range []string{`"match_all":{}`, `"collapse":{"field":"topic_group","inner_hits":[{"name":"topic","size":0}]}`,
		`"sentiment":{"value":"负面"}`, `"category":{"value":"城乡建设"}`, `"topic":{"value":"p1"}`,
		`"sentiments":{"terms":{"field":"sentiment"`, `"categories":{"terms":{"field":"category"`} {
		if !strings.Contains(req, want) {
			t.Errorf("search request lacks %s: %s", want, req)
		}
	}
	for _, unwanted := range []string{`"highlight"`, `"_score"`} {
		if strings.Contains(req, unwanted) {
			t.Errorf("browsing request has %s: %s", unwanted, req)
		}
	}
	if res.Total != 5 || len(res.Hits) != 1 {
		t.Fatalf("result %+v", res)
	}
	h := res.Hits[0]
	if h.TopicSize != 3 || h.Topic != "p1" || h.Sentiment != minyi.SentimentNegative || h.Category != "城乡建设" {
		t.Errorf("hit %+v", h)
	}
	if !equalFacets(res.Facets.Sentiments, []minyi.FacetCount{{Value: "负面", Count: 4}, {Value: "中性", Count: 1}}) ||
		!equalFacets(res.Facets.Categories, []minyi.FacetCount{{Value: "城乡建设", Count: 5}}) {
		t.Errorf("facets %+v", res.Facets)
	}
	var sent source
	doc := minyi.Document{ID: "solo", Source: "s", Kind: minyi.KindPost, Title: "t", Published: time.Now()}
	if sent = toSource(&doc); sent.TopicGroup != "solo" || sent.Topic != "" {
		t.Errorf("a document in no topic groups as %q", sent.TopicGroup)
	}
	doc.Analysis = &minyi.Analysis{Topic: "p1", Category: "城乡建设"}
	if sent = toSource(&doc); sent.TopicGroup != "p1" || sent.Category != "城乡建设" {
		t.Errorf("a document in topic p1: %+v", sent)
	}
}
