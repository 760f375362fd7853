package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// hotEventsShown is how many hot events the trends page lists.
const hotEventsShown = 12

// eventView is a hot event as the trends page shows it: the figures, a
// trend line drawn as an inline SVG (no script, so it shows while the
// charts load), the sentiment mix as shares and the cases by status.
type eventView struct {
	minyi.HotEvent
	Spark    string // polyline points in a 100×24 box
	SparkMax int
	// Shares of the period's documents in percent, 正面/中性/负面.
	Positive, Neutral, Negative int
	Cases                       []statusCount
	Growth                      string // ×2.5, or "" when nothing came before
}

type statusCount struct {
	Status minyi.CaseStatus
	Label  string
	Count  int
}

func newEventView(e minyi.HotEvent) eventView {
	v := eventView{HotEvent: e}
	for _, d := range e.Days {
		v.SparkMax = max(v.SparkMax, d.Count)
	}
	var pts []string
	for i, d := range e.Days {
		x := 0.0
		if len(e.Days) > 1 {
			x = 100 * float64(i) / float64(len(e.Days)-1)
		}
		y := 23.0
		if v.SparkMax > 0 {
			y = 23 - 22*float64(d.Count)/float64(v.SparkMax)
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	v.Spark = strings.Join(pts, " ")
	if e.InPeriod > 0 {
		for _, sc := range e.Sentiments {
			pct := 100 * sc.Count / e.InPeriod
			switch minyi.Sentiment(sc.Value) {
			case minyi.SentimentPositive:
				v.Positive = pct
			case minyi.SentimentNeutral:
				v.Neutral = pct
			case minyi.SentimentNegative:
				v.Negative = pct
			}
		}
	}
	if e.Previous > 0 {
		v.Growth = fmt.Sprintf("×%.1f", float64(e.InPeriod)/float64(e.Previous))
	}
	v.Cases = casesByStatus(e.Cases)
	return v
}

func casesByStatus(cases []minyi.EventCase) []statusCount {
	var out []statusCount
	for _, st := range []minyi.CaseStatus{minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseClosed} {
		n := 0
		for _, c := range cases {
			if c.Status == st {
				n++
			}
		}
		if n > 0 {
			out = append(out, statusCount{Status: st, Label: st.Label(), Count: n})
		}
	}
	return out
}

// eventPageData is what templates/event.html shows.
type eventPageData struct {
	Event core.EventDetail
	Cases []statusCount
	// CaseRows are the newest of the event's cases, at most
	// eventCasesShown; Cases counts them all.
	CaseRows  []minyi.EventCase
	Docs      []minyi.SearchHit
	Total     uint64
	Chart     map[string]any
	SearchURL string
	// OpenCases: the reader may open the case pages (supervisors, admins).
	OpenCases bool
	Raise     *raiseForm // nil: the reader may not raise a 舆情事件
	// MayReport: the reader may make the event's special report.
	MayReport bool
}

// maxChartDays bounds the bars of an event's chart.
const maxChartDays = 400

// eventCasesShown bounds the case rows of an event's page: an event
// written about thousands of times would otherwise be a page of thousands
// of rows. The counts by status are of every case.
const eventCasesShown = 200

// eventDocsShown is how many of an event's newest documents its page
// lists; the search page has them all, with facets and paging.
const eventDocsShown = 20

func (s *server) eventPage(c echo.Context) error {
	ctx := c.Request().Context()
	ev, err := s.EventData(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	q := minyi.SearchQuery{Event: ev.ID, PageSize: eventDocsShown}
	if err := q.Normalize(); err != nil {
		return err
	}
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return err
	}
	u := core.Principal(c)
	d := eventPageData{Event: ev, Cases: casesByStatus(ev.Cases), CaseRows: ev.Cases[:min(len(ev.Cases), eventCasesShown)],
		Docs: res.Hits, Total: res.Total,
		Chart:     eventChart(res.Facets.Days),
		SearchURL: "/search?" + url.Values{"event": {ev.ID}}.Encode(),
		OpenCases: u.Role == core.RoleSupervisor || u.Role == core.RoleAdmin,
		Raise:     s.raiseFormFor(c, ev.ID, ""),
		MayReport: core.MayEditReports(u)}
	return s.render(c, http.StatusOK, "event", ev.Title, d)
}

// eventChart is the event's documents per day, every day from its first
// to its last (at most maxChartDays), so quiet weeks show as such.
func eventChart(days []minyi.FacetCount) map[string]any {
	var names []string
	var counts []int
	var next time.Time // the day after the last one charted
	for _, d := range days {
		day, err := time.Parse(time.DateOnly, d.Value)
		if err != nil {
			continue
		}
		for ; !next.IsZero() && next.Before(day) && len(names) < maxChartDays; next = next.AddDate(0, 0, 1) {
			names = append(names, next.Format(time.DateOnly))
			counts = append(counts, 0)
		}
		if len(names) >= maxChartDays {
			break
		}
		names = append(names, d.Value)
		counts = append(counts, d.Count)
		next = day.AddDate(0, 0, 1)
	}
	return map[string]any{
		"tooltip":  map[string]any{"trigger": "axis"},
		"grid":     map[string]any{"left": 36, "right": 16, "top": 16, "bottom": 48},
		"xAxis":    map[string]any{"type": "category", "data": names},
		"yAxis":    map[string]any{"type": "value", "minInterval": 1},
		"dataZoom": []map[string]any{{"type": "slider", "height": 18, "bottom": 8}},
		"series":   []map[string]any{{"name": labels.T("event.per_day"), "type": "bar", "data": counts, "color": "#e65100"}},
	}
}
