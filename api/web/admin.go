package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/analysis/category"
	"minyi/api/core"
	"minyi/api/labels"
	"minyi/deadline"
)

// adminRoutes registers every /admin page; Routes calls it.
func (s *server) adminRoutes(e *echo.Echo) {
	if s.Admin == nil {
		s.Admin = &core.Admin{}
	}
	s.imports = newImportJobs()
	g := e.Group("/admin", s.page(core.RoleAdmin))
	g.GET("/departments", s.adminDepartments)
	g.POST("/departments", s.adminSaveDepartment)
	g.POST("/departments/remove", s.adminRemoveDepartment)
	g.GET("/rules", s.adminRules)
	g.POST("/rules", s.adminSaveRule)
	g.POST("/rules/remove", s.adminRemoveRule)
	g.POST("/rules/fallback", s.adminSetFallback)
	g.GET("/deadlines", s.adminDeadlines)
	g.GET("/sources", s.adminSources)
	g.POST("/sources/crawl", s.adminCrawl)
	g.GET("/import", s.adminImport)
	g.POST("/import", s.adminUpload)
	g.GET("/import/:id", s.adminImportJob)
	g.POST("/import/:id/run", s.adminImportRun)
	g.GET("/import/:id/status", s.adminImportStatus)
	g.GET("/import/:id/errors.csv", s.adminImportErrors)
	g.POST("/import/:id/train", s.adminImportTrain)
	g.POST("/import/:id/model", s.adminImportModel)
}

type deadlineRow struct {
	Type minyi.MessageType
	Days int
}

type sourceDeadlines struct {
	Source string
	Days   []deadlineRow
}

type deadlinesPage struct {
	Policy  deadline.Policy
	Days    []deadlineRow
	Sources []sourceDeadlines
	Rating  string
}

func (s *server) adminDeadlines(c echo.Context) error {
	pol := s.Admin.Deadlines
	p := deadlinesPage{Policy: pol, Rating: ratingWindow(pol.RatingWindow)}
	for _, t := range minyi.MessageTypes {
		if d, ok := pol.Days[t]; ok {
			p.Days = append(p.Days, deadlineRow{t, d})
		}
	}
	names := make([]string, 0, len(pol.Sources))
	for name := range pol.Sources {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		sd := sourceDeadlines{Source: name}
		for _, t := range minyi.MessageTypes {
			if d, ok := pol.Sources[name][t]; ok {
				sd.Days = append(sd.Days, deadlineRow{t, d})
			}
		}
		p.Sources = append(p.Sources, sd)
	}
	return s.render(c, http.StatusOK, "admin_deadlines", labels.T("nav.deadlines"), p)
}

// shortDuration shows a delay to the second, as 8 秒 or 2 分 5 秒, and
// an hour or more in hours and minutes.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return labels.Tf("sources.fresh_seconds", int(d/time.Second))
	case d < time.Hour:
		return labels.Tf("sources.fresh_minutes", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return labels.Tf("sources.fresh_hours", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// ratingWindow shows a duration in days and hours, as 15 天 or 36 小时.
func ratingWindow(d time.Duration) string {
	switch {
	case d <= 0:
		return labels.T("common.none")
	case d%(24*time.Hour) == 0:
		return labels.Tf("admin.days", int(d/(24*time.Hour)))
	}
	return labels.Tf("admin.hours", int(d/time.Hour))
}

// sourceRow is a source with its crawl figures.
type sourceRow struct {
	Name       string
	Kind       minyi.SourceKind
	URL        string
	Interval   time.Duration
	Configured bool // in the config: it has a schedule that can be triggered
	Status     minyi.SourceStatus
	Poll       string // how often its list pages are polled; "" when they are not
	Fresh      minyi.Freshness
	// FreshP50 and FreshP90 are Fresh's percentiles as the page shows them.
	FreshP50, FreshP90 string
}

type sourcesPage struct {
	Sources  []sourceRow
	CanCrawl bool
	// Labels names the models the stored documents were last labelled
	// with, and Relabel is the latest re-analysis (nil: none ran).
	Labels  string
	Relabel *minyi.Relabeling
	// CategoryModel is the model an admin put in force from the import
	// page; nil: the config file's, or none.
	CategoryModel *category.InForce
}

// Percent is how much of the re-analysis is done, 0–100.
func (p sourcesPage) Percent() int {
	r := p.Relabel
	if r == nil || r.Total <= 0 {
		return 0
	}
	return min(100, r.Done*100/r.Total)
}

func (s *server) adminSources(c echo.Context) error {
	a := s.Admin
	status, err := s.Store.CrawlStatus(c.Request().Context())
	if err != nil {
		return err
	}
	byName := map[string]minyi.SourceStatus{}
	for _, st := range status {
		byName[st.Source] = st
	}
	p := sourcesPage{CanCrawl: a.Crawls != nil}
	seen := map[string]bool{}
	for _, src := range a.Sources {
		r := sourceRow{Name: src.Name, Kind: src.Kind, Interval: src.Interval, Configured: true, Status: byName[src.Name]}
		if len(src.StartURLs) > 0 {
			r.URL = src.StartURLs[0]
		}
		if src.PollInterval > 0 {
			r.Poll = shortDuration(src.PollInterval)
		}
		if a.Freshness != nil {
			r.Fresh = a.Freshness.Freshness(src.Name)
			r.FreshP50, r.FreshP90 = shortDuration(r.Fresh.P50), shortDuration(r.Fresh.P90)
		}
		p.Sources = append(p.Sources, r)
		seen[src.Name] = true
	}
	// Sources with documents but no schedule: imports and retired sources.
	for _, st := range status {
		if !seen[st.Source] {
			p.Sources = append(p.Sources, sourceRow{Name: st.Source, Status: st})
		}
	}
	s.readLabels(c.Request().Context(), &p)
	if name := c.QueryParam("triggered"); name != "" {
		c.Set(flashKey, labels.Tf("admin.crawl_started", name))
	}
	return s.render(c, http.StatusOK, "admin_sources", labels.T("nav.sources"), p)
}

// readLabels fills in what the models labelling documents are and how far
// a re-analysis has come; the page still shows its sources when Temporal
// cannot say.
func (s *server) readLabels(ctx context.Context, p *sourcesPage) {
	if st := s.Settings(); st != nil {
		if v, _, err := minyi.LabelledWith(ctx, st); err == nil {
			p.Labels = v
		}
		if m, _, err := category.ReadInForce(ctx, st); err == nil {
			p.CategoryModel = m
		}
	}
	if s.Admin.Relabels == nil {
		return
	}
	r, err := s.Admin.Relabels.Relabeling(ctx)
	if err != nil {
		s.Logger.Warn("reading the re-analysis for the sources page", "error", err)
		return
	}
	p.Relabel = r
}

func (s *server) adminCrawl(c echo.Context) error {
	a := s.Admin
	name := c.FormValue("source")
	if a.Crawls == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.crawl_unavailable"))
	}
	if !slices.ContainsFunc(a.Sources, func(src minyi.Source) bool { return src.Name == name }) {
		return minyi.Errorf(minyi.ENOTFOUND, "%s: %s", labels.T("admin.no_such_source"), name)
	}
	if err := a.Crawls.TriggerCrawl(c.Request().Context(), name); err != nil {
		return err
	}
	s.Logger.Info("crawl triggered from the admin page", "source", name, "by", core.Principal(c).Login)
	return c.Redirect(http.StatusSeeOther, "/admin/sources?triggered="+url.QueryEscape(name))
}
