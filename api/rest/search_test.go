package rest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"minyi/api/apitest"
	"minyi/api/core"

	"minyi"
)

func searchResult(t *testing.T, ts *apitest.Env, params url.Values) minyi.SearchResult {
	t.Helper()
	return apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?"+params.Encode()), http.StatusOK)
}

func TestSearchReturnsHitsHighlightsAndFacets(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Seed(apitest.ForumPosts()...)

	res := searchResult(t, ts, url.Values{"q": {"拆迁补偿"}})
	if res.Total != 3 || len(res.Hits) != 3 || res.Page != 1 || res.PageSize != minyi.DefaultPageSize {
		t.Fatalf("got total %d, %d hits, page %d/%d; want 3 hits on page 1", res.Total, len(res.Hits), res.Page, res.PageSize)
	}
	for _, h := range res.Hits {
		if h.ID == "f3" {
			t.Errorf("f3 has 拆 and 补 apart but matched 拆迁补偿")
		}
		marked := false
		for _, frags := range h.Highlights {
			for _, f := range frags {
				marked = marked || strings.Contains(f, "<mark>拆迁补偿</mark>")
			}
		}
		if !marked {
			t.Errorf("hit %s has no <mark>拆迁补偿</mark>: %v", h.ID, h.Highlights)
		}
		if h.Title == "" || h.Source == "" || h.Published.IsZero() {
			t.Errorf("hit %+v lacks title, source or time", h)
		}
	}
	wantSources := []minyi.FacetCount{{Value: "city-forum", Count: 2}, {Value: "mayor-mailbox", Count: 1}}
	if !equalFacets(res.Facets.Sources, wantSources) {
		t.Errorf("source facets %+v, want %+v", res.Facets.Sources, wantSources)
	}
	wantDays := []minyi.FacetCount{{Value: "2026-11-02", Count: 1}, {Value: "2026-11-03", Count: 1}, {Value: "2026-11-05", Count: 1}}
	if !equalFacets(res.Facets.Days, wantDays) {
		t.Errorf("day facets %+v, want %+v", res.Facets.Days, wantDays)
	}
}

func TestSearchFilters(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Seed(apitest.ForumPosts()...)
	cases := []struct {
		params url.Values
		want   []string
	}{
		{url.Values{"source": {"mayor-mailbox"}}, []string{"m1"}},
		{url.Values{"kind": {"post"}}, []string{"f1", "f2"}},
		// to is a whole day, inclusive, in China time.
		{url.Values{"from": {"2026-11-03"}, "to": {"2026-11-03"}}, []string{"f2"}},
		{url.Values{"from": {"2026-11-03T00:00:00+08:00"}}, []string{"f2", "m1"}},
	}
	for _, c := range cases {
		c.params.Set("q", "拆迁补偿")
		res := searchResult(t, ts, c.params)
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
		}
		if len(got) != len(c.want) || int(res.Total) != len(c.want) {
			t.Errorf("%v: hits %v (total %d), want %v", c.params, got, res.Total, c.want)
			continue
		}
		for _, id := range c.want {
			if !got[id] {
				t.Errorf("%v: hits %v, want %v", c.params, got, c.want)
			}
		}
	}
}

func TestSearchPages(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Seed(apitest.ForumPosts()...)
	seen := map[string]bool{}
	for page := 1; page <= 4; page++ {
		res := searchResult(t, ts, url.Values{"q": {"拆迁补偿"}, "page_size": {"1"}, "page": {strconv.Itoa(page)}})
		wantHits := 1
		if page == 4 {
			wantHits = 0
		}
		if res.Total != 3 || res.Page != page || len(res.Hits) != wantHits {
			t.Fatalf("page %d: total %d, page %d, %d hits; want 3, %d, %d", page, res.Total, res.Page, len(res.Hits), page, wantHits)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("page %d repeats %s", page, h.ID)
			}
			seen[h.ID] = true
		}
	}
}

// Without search text an analyst browses: every document the filters let
// through, newest first.
func TestSearchWithoutTextBrowses(t *testing.T) {
	ts := apitest.NewServer(t)
	posts := apitest.ForumPosts()
	ts.Seed(posts...)
	res := apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?source=city-forum"), http.StatusOK)
	want := 0
	for _, p := range posts {
		if p.Source == "city-forum" {
			want++
		}
	}
	if int(res.Total) != want || len(res.Hits) != want {
		t.Fatalf("browsing city-forum: total %d, %d hits; want %d", res.Total, len(res.Hits), want)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Published.After(res.Hits[i-1].Published) {
			t.Fatalf("hits not newest first: %v after %v", res.Hits[i].Published, res.Hits[i-1].Published)
		}
	}
}

func TestSearchRejectsBadParameters(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Seed(apitest.ForumPosts()...)
	for name, query := range map[string]string{
		"from not a date":       "q=拆迁&from=yesterday",
		"to not a date":         "q=拆迁&to=2026-13-01",
		"from after to":         "q=拆迁&from=2026-11-05&to=2026-11-01",
		"page not a number":     "q=拆迁&page=two",
		"page negative":         "q=拆迁&page=-1",
		"page too deep":         "q=拆迁&page=1000&page_size=100",
		"page_size not number":  "q=拆迁&page_size=1e2",
		"page_size too large":   "q=拆迁&page_size=101",
		"page_size negative":    "q=拆迁&page_size=-5",
		"unknown kind":          "q=拆迁&kind=thread",
		"unbalanced quote":      "q=" + url.QueryEscape(`"拆迁补偿`),
		"unbalanced curly":      "q=" + url.QueryEscape(`“拆迁补偿`),
		"dangling exclusion":    "q=" + url.QueryEscape(`拆迁 -`),
		"nothing to search for": "q=" + url.QueryEscape(`，。！`),
	} {
		t.Run(name, func(t *testing.T) {
			apitest.WantError(t, ts.Get("/api/search?"+query), http.StatusBadRequest, "invalid")
		})
	}
}

func equalFacets(got, want []minyi.FacetCount) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// A department searches the forum only: no letter reaches it as a hit, in
// a facet or through a topic group, and asking for letters is a 403.
func TestDepartmentSearchesPostsOnly(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Server.Users = append(ts.Server.Users,
		core.TokenUser{Name: "housing", Token: "housing-token-0123456789", Role: core.RoleDepartment, Department: "housing"})
	ts.Handler = apitest.ContractHandler(t, ts.Server.Handler())
	ts.Seed(apitest.ForumPosts()...)
	search := func(token, query string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, "/api/search?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return ts.Do(req).Result()
	}
	for _, query := range []string{"q=拆迁补偿", "q=拆迁补偿&group_by_topic=true", "source=mayor-mailbox", ""} {
		resp := search("housing-token-0123456789", query)
		var res minyi.SearchResult
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("department search %q: %d", query, resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Kind != minyi.KindPost {
				t.Errorf("department search %q returned letter %s", query, h.ID)
			}
		}
		for _, f := range res.Facets.Sources {
			if f.Value == "mayor-mailbox" {
				t.Errorf("department search %q counts letters in its source facet: %+v", query, res.Facets.Sources)
			}
		}
	}
	if got := searchResult(t, ts, url.Values{"q": {"拆迁补偿"}}).Total; got != 3 {
		t.Errorf("an admin's search finds %d, want 3 (the letter too)", got)
	}
	if resp := search("housing-token-0123456789", "kind=message"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("department asking for letters: %d, want 403", resp.StatusCode)
	}
}
