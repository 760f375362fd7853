package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// analystRoutes registers the analyst pages: search, documents, trends and
// alerts. Supervisors may read search, documents and trends too.
func (s *server) analystRoutes(e *echo.Echo) {
	readers := s.page(core.RoleAnalyst, core.RoleSupervisor)
	e.GET("/search", s.searchPage, readers)
	e.GET("/search/export", s.searchExport, readers)
	e.GET("/documents/:id", s.documentPage, readers)
	e.GET("/trends", s.trendsPage, readers)
	e.GET("/events/:id", s.eventPage, readers)
	e.GET("/alerts", s.alertsPage, s.page(core.RoleAnalyst))
	e.POST("/alerts/subscriptions", s.addSubscription, s.page(core.RoleAnalyst))
	e.POST("/alerts/subscriptions/delete", s.removeSubscription, s.page(core.RoleAnalyst))
}

// searchPageData is what templates/search.html shows.
type searchPageData struct {
	Form      url.Values // the query string as given, to refill the form
	Query     minyi.SearchQuery
	Error     string // a search syntax or filter error, shown above the form
	Searched  bool
	Result    *minyi.SearchResult
	Hits      []searchPageHit
	Pages     int
	PrevURL   string
	NextURL   string
	ExportURL string
	Facets    []facetGroup
	Active    []activeFilter
	Sources   []string
}

type searchPageHit struct {
	minyi.SearchHit
	TitleHTML template.HTML   // highlighted title, or empty to show Title
	Snippets  []template.HTML // fragments of the body around the matches
}

// facetGroup is one facet as clickable filters.
type facetGroup struct {
	Label  string
	Values []facetLink
}

type facetLink struct {
	Value  string
	Count  int
	URL    string
	Active bool
}

// activeFilter is a filter in effect, with a link that removes it.
type activeFilter struct {
	Label, Value, RemoveURL string
}

// searchFilterParams are the filters the page carries from one search to the next.
var searchFilterParams = []string{"q", "source", "kind", "from", "to", "sentiment", "category", "topic", "event", "group_by_topic"}

func (s *server) searchPage(c echo.Context) error {
	params := c.QueryParams()
	d := searchPageData{Form: params, Sources: s.sourceNames(c)}
	if len(params) == 0 {
		return s.render(c, http.StatusOK, "search", labels.T("search.title"), d)
	}
	q, err := core.SearchParams(c)
	if err == nil {
		d.Query = q
		d.Result, err = s.Index.Search(c.Request().Context(), q)
	}
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EINVALID {
			return err
		}
		// A query the analyst got wrong is a message on the page, with the
		// form still filled in, never an error page.
		d.Error = minyi.ErrorMessage(err)
		d.Result = nil
		return s.render(c, http.StatusBadRequest, "search", labels.T("search.title"), d)
	}
	d.Searched = true
	res := d.Result
	for _, h := range res.Hits {
		ph := searchPageHit{SearchHit: h}
		if t := h.Highlights["title"]; len(t) > 0 {
			ph.TitleHTML = snippet(t[0], 200)
		}
		for _, f := range append(slices.Clone(h.Highlights["body"]), h.Highlights["comments"]...) {
			if len(ph.Snippets) == 3 {
				break
			}
			ph.Snippets = append(ph.Snippets, snippet(f, snippetRunes))
		}
		d.Hits = append(d.Hits, ph)
	}
	d.Pages = int((res.Total + uint64(q.PageSize) - 1) / uint64(q.PageSize))
	if maxPages := minyi.MaxSearchWindow / q.PageSize; d.Pages > maxPages {
		d.Pages = maxPages
	}
	if q.Page > 1 {
		d.PrevURL = searchURL(params, "page", strconv.Itoa(q.Page-1))
	}
	if q.Page < d.Pages {
		d.NextURL = searchURL(params, "page", strconv.Itoa(q.Page+1))
	}
	d.ExportURL = "/search/export?" + withParam(params, "page", "").Encode()
	d.Facets = searchFacets(params, res.Facets)
	d.Active = activeFilters(params)
	return s.render(c, http.StatusOK, "search", labels.T("search.title"), d)
}

// sourceNames lists the sources with documents for the source filter.
func (s *server) sourceNames(c echo.Context) []string {
	names, err := s.Store.DocumentSources(c.Request().Context())
	if err != nil {
		return nil
	}
	return names
}

func searchFacets(params url.Values, f minyi.SearchFacets) []facetGroup {
	group := func(key, param string, counts []minyi.FacetCount) facetGroup {
		g := facetGroup{Label: labels.T(key)}
		for _, fc := range counts {
			active := params.Get(param) == fc.Value
			link := searchURL(params, param, fc.Value)
			if active {
				link = searchURL(params, param, "")
			}
			g.Values = append(g.Values, facetLink{Value: fc.Value, Count: fc.Count, URL: link, Active: active})
		}
		return g
	}
	var out []facetGroup
	for _, g := range []facetGroup{
		group("search.source", "source", f.Sources),
		group("search.sentiment", "sentiment", f.Sentiments),
		group("search.category", "category", f.Categories),
	} {
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func activeFilters(params url.Values) []activeFilter {
	var out []activeFilter
	for _, p := range []string{"source", "kind", "sentiment", "category", "topic", "event", "from", "to"} {
		if v := params.Get(p); v != "" {
			out = append(out, activeFilter{Label: labels.T("search." + p), Value: v, RemoveURL: searchURL(params, p, "")})
		}
	}
	return out
}

// withParam copies the search's filters with one parameter set (or removed
// when v is empty); any change but paging starts again at page 1.
func withParam(params url.Values, key, v string) url.Values {
	out := url.Values{}
	for _, p := range searchFilterParams {
		if x := params.Get(p); x != "" {
			out.Set(p, x)
		}
	}
	if key == "page" && params.Get("page_size") != "" {
		out.Set("page_size", params.Get("page_size"))
	}
	if v == "" {
		out.Del(key)
	} else {
		out.Set(key, v)
	}
	return out
}

func searchURL(params url.Values, key, v string) string {
	return "/search?" + withParam(params, key, v).Encode()
}

// snippetRunes is how much of a body a hit shows around its first match.
const snippetRunes = 160

// fragmentTokens splits a highlighted fragment into what may pass
// through: the mark tags, character entities (&name; of 2-8 letters,
// &#1234567;, &#x10FFFF;), and single characters. A scan, not a regular
// expression: a search page splits sixty fragments, and the expression
// cost as much as the search itself.
func fragmentTokens(frag string) []string {
	toks := make([]string, 0, len(frag)/2)
	for i := 0; i < len(frag); {
		n := fragmentTokenLen(frag[i:])
		toks = append(toks, frag[i:i+n])
		i += n
	}
	return toks
}

func fragmentTokenLen(s string) int {
	switch {
	case strings.HasPrefix(s, "<mark>"):
		return len("<mark>")
	case strings.HasPrefix(s, "</mark>"):
		return len("</mark>")
	case s[0] == '&':
		if n := entityLen(s); n > 0 {
			return n
		}
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

// entityLen is the length of the character entity s starts with, or 0.
func entityLen(s string) int {
	digits := func(from, most int, is func(byte) bool) int {
		i := from
		for i < len(s) && i-from < most && is(s[i]) {
			i++
		}
		if i == from || i >= len(s) || s[i] != ';' {
			return 0
		}
		return i + 1
	}
	letter := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	decimal := func(c byte) bool { return '0' <= c && c <= '9' }
	hex := func(c byte) bool { return decimal(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	switch {
	case len(s) > 1 && letter(s[1]):
		if n := digits(1, 8, letter); n >= len("&ab;") {
			return n
		}
		return 0
	case strings.HasPrefix(s, "&#x"):
		if n := digits(3, 6, hex); n > 0 {
			return n
		}
	}
	if strings.HasPrefix(s, "&#") {
		return digits(2, 7, decimal)
	}
	return 0
}

// snippet makes a highlighted fragment from the index safe and short. The
// index returns the text HTML-escaped with matches in <mark>; snippet
// escapes anything else that looks like markup (so a fragment can never
// carry a tag but mark), keeps at most max characters centred on the first
// match, closes a mark it cuts through, and shows a cut with "…".
func snippet(frag string, max int) template.HTML {
	toks := fragmentTokens(frag)
	first, visible := -1, 0
	for i, t := range toks {
		if t == "<mark>" {
			if first < 0 {
				first = i
			}
			continue
		}
		if t != "</mark>" {
			visible++
		}
	}
	start, end := 0, len(toks)
	if visible > max {
		// Begin a quarter of the window before the first match.
		if first > 0 {
			n := 0
			for start = first; start > 0 && n < max/4; start-- {
				if toks[start-1] != "<mark>" && toks[start-1] != "</mark>" {
					n++
				}
			}
		}
		n := 0
		for end = start; end < len(toks) && n < max; end++ {
			if toks[end] != "<mark>" && toks[end] != "</mark>" {
				n++
			}
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	open := false
	for _, t := range toks[start:end] {
		switch {
		case t == "<mark>":
			if !open {
				b.WriteString(t)
			}
			open = true
		case t == "</mark>":
			if open {
				b.WriteString(t)
			}
			open = false
		case len(t) > 1 && t[0] == '&':
			b.WriteString(t) // an entity the index wrote
		default:
			b.WriteString(template.HTMLEscapeString(t))
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	if end < len(toks) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}

// documentPageData is what templates/document.html shows. The contact data
// of a petitioner is never part of it.
type documentPageData struct {
	Doc     *minyi.Document
	Topic   []minyi.SearchHit // other documents of its topic
	TopicN  uint64            // all documents of its topic
	Comment int
	Raise   *raiseForm // nil: the reader may not raise a 舆情事件
}

func (s *server) documentPage(c echo.Context) error {
	ctx := c.Request().Context()
	doc, err := s.Store.Document(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	doc.Contact = nil // analysts and supervisors read the text, not who wrote in
	d := documentPageData{Doc: doc, Raise: s.raiseFormFor(c, "", doc.ID)}
	if doc.Analysis != nil && doc.Analysis.Topic != "" {
		q := minyi.SearchQuery{Topic: doc.Analysis.Topic, PageSize: 21}
		if err := q.Normalize(); err != nil {
			return err
		}
		res, err := s.Index.Search(ctx, q)
		if err != nil {
			return err
		}
		d.TopicN = res.Total
		for _, h := range res.Hits {
			if h.ID != doc.ID && len(d.Topic) < 20 {
				d.Topic = append(d.Topic, h)
			}
		}
	}
	return s.render(c, http.StatusOK, "document", doc.Title, d)
}

// maxExportRows caps an export of search results: past this an analyst
// narrows the search rather than downloading the index.
const maxExportRows = minyi.MaxSearchWindow

var searchExportColumns = []string{"编号", "标题", "来源", "类型", "发布时间", "情感", "分类", "话题", "话题规模", "链接"}

// searchExport serves GET /search/export: the current search result as XLSX,
// every page of it up to maxExportRows.
func (s *server) searchExport(c echo.Context) error {
	q, err := core.SearchParams(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("search-%s.xlsx", s.Now().In(minyi.ChinaTime).Format("20060102-1504"))
	return s.WriteXLSX(c, name, "搜索结果", searchExportColumns, func(emit func([]any) error) error {
		q.PageSize = minyi.MaxPageSize
		for q.Page = 1; q.Page*q.PageSize <= maxExportRows; q.Page++ {
			res, err := s.Index.Search(c.Request().Context(), q)
			if err != nil {
				return err
			}
			for _, h := range res.Hits {
				size := any(nil)
				if h.TopicSize > 0 {
					size = h.TopicSize
				}
				if err := emit([]any{h.ID, h.Title, h.Source, kindLabel(h.Kind), h.Published, string(h.Sentiment),
					h.Category, h.Topic, size, h.URL}); err != nil {
					return err
				}
			}
			if len(res.Hits) < q.PageSize || uint64(q.Page*q.PageSize) >= res.Total {
				return nil
			}
		}
		return nil
	})
}

func kindLabel(k minyi.Kind) string {
	switch k {
	case minyi.KindPost:
		return labels.T("kind.post")
	case minyi.KindMessage:
		return labels.T("kind.message")
	}
	return string(k)
}

// runeLen is for templates that shorten long text.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
