package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// The watch desk (值班台): what arrived since the analyst last marked it
// read, the new alerts, the rising events and the open 舆情事件. The page
// reloads itself (a meta refresh: no script, so the CSP stands), and only
// the analyst's "mark read" moves what counts as new.
func (s *server) watchRoutes(e *echo.Echo) {
	watchers := s.page(core.RoleAnalyst, core.RoleAdmin)
	e.GET("/watch", s.watchPage, watchers)
	e.POST("/watch/seen", s.markWatchSeen, watchers)
}

// How much the watch desk shows.
const (
	watchDocs      = 10
	watchEvents    = 8
	watchAlerts    = 20
	watchIncidents = 50
	// watchFirstLook is how far back a first visit looks.
	watchFirstLook = 24 * time.Hour
	// watchRefreshSeconds is how often the page reloads itself.
	watchRefreshSeconds = 60
)

// watchPageData is what templates/watch.html shows.
type watchPageData struct {
	Since       time.Time
	NewDocs     uint64
	NewNegative int
	Docs        []minyi.SearchHit
	Alerts      []core.RaisedAlert // raised since Since
	Events      []eventView        // the last 24 hours' hottest
	Incidents   []minyi.Incident   // open: most serious, nearest deadline first
	OpenTotal   int
	Overdue     int
	Departments []minyi.Department
	Now         time.Time
	Refresh     int
}

func (s *server) watchPage(c echo.Context) error {
	ctx := c.Request().Context()
	now := s.Now()
	seen, err := s.Store.WatchSeen(ctx, core.Principal(c).Login)
	if err != nil {
		return err
	}
	if seen.IsZero() {
		seen = now.Add(-watchFirstLook)
	}
	d := watchPageData{Since: seen, Departments: s.DepartmentList(), Now: now, Refresh: watchRefreshSeconds}
	q := minyi.SearchQuery{From: seen, PageSize: watchDocs}
	if err := q.Normalize(); err != nil {
		return err
	}
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return err
	}
	d.NewDocs, d.Docs = res.Total, res.Hits
	for _, f := range res.Facets.Sentiments {
		if minyi.Sentiment(f.Value) == minyi.SentimentNegative {
			d.NewNegative = f.Count
		}
	}
	if s.Alerts != nil {
		raised, err := s.Alerts.Raised(ctx, watchAlerts)
		if err != nil {
			return err
		}
		for _, a := range raised {
			if a.End.After(seen) {
				d.Alerts = append(d.Alerts, a)
			}
		}
	}
	hot, err := s.Store.HotEvents(ctx, now.Add(-24*time.Hour), now, watchEvents)
	if err != nil {
		return err
	}
	for _, e := range hot {
		d.Events = append(d.Events, newEventView(e))
	}
	open := true
	if d.Incidents, d.OpenTotal, err = s.Store.Incidents(ctx, minyi.IncidentFilter{Open: &open, Limit: watchIncidents}); err != nil {
		return err
	}
	for _, in := range d.Incidents {
		if in.Answered.IsZero() && now.After(in.Deadline) {
			d.Overdue++
		}
	}
	return s.render(c, http.StatusOK, "watch", labels.T("watch.title"), d)
}

// markWatchSeen makes everything so far read.
func (s *server) markWatchSeen(c echo.Context) error {
	if err := s.Store.MarkWatchSeen(c.Request().Context(), core.Principal(c).Login, s.Now()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/watch")
}
