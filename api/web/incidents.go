package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
)

// incidentPageReaders read the 舆情事件 pages; a department works on its
// incidents from its inbox, as on any case.
var incidentPageReaders = []minyi.Role{core.RoleAnalyst, core.RoleSupervisor, core.RoleAdmin}

// incidentRoutes registers the 舆情事件 pages: the list, one incident, and
// the raise (from an event or a document page) and close forms.
func (s *server) incidentRoutes(e *echo.Echo) {
	readers := s.page(incidentPageReaders...)
	raisers := s.page(core.IncidentRaisers...)
	e.GET("/incidents", s.incidentsPage, readers)
	e.POST("/incidents", s.raiseIncident, raisers)
	e.GET("/incidents/:id", s.incidentPage, readers)
	e.POST("/incidents/:id/close", s.closeIncident, raisers)
	e.POST("/events/:id/report", s.makeEventReport, s.page(core.ReportEditors...))
}

// makeEventReport makes the special report (专报) of an event and opens it.
func (s *server) makeEventReport(c echo.Context) error {
	rec, err := s.MakeEventReport(c, c.Param("id"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/reports/"+url.PathEscape(rec.ID)+"?flash=made")
}

// raiseForm is the raise-a-舆情事件 form under an event or a document.
type raiseForm struct {
	CSRF              string
	Event, DocumentID string
	Departments       []minyi.Department
	Levels            []minyi.IncidentLevel
	Deadline          string // the default: three days on
}

// defaultResponseDays is the deadline the raise form suggests.
const defaultResponseDays = 3

// raiseFormFor is the form for c's principal, nil when they may not raise.
func (s *server) raiseFormFor(c echo.Context, event, documentID string) *raiseForm {
	if !core.MayRaiseIncidents(core.Principal(c)) {
		return nil
	}
	return &raiseForm{CSRF: core.CSRFToken(c), Event: event, DocumentID: documentID,
		Departments: s.DepartmentList(), Levels: minyi.IncidentLevels,
		Deadline: s.Now().In(minyi.ChinaTime).AddDate(0, 0, defaultResponseDays).Format(time.DateOnly)}
}

// incidentRow is one incident as the "incident-row" template shows it.
type incidentRow struct {
	Incident    minyi.Incident
	Departments []minyi.Department
	Now         time.Time
}

// incidentsPageData is what templates/incidents.html shows.
type incidentsPageData struct {
	Rows        []minyi.Incident
	Pager       pager
	Open        string // "true", "false" or "" as filtered
	Departments []minyi.Department
	Now         time.Time
}

func (s *server) incidentsPage(c echo.Context) error {
	p := httpx.Params(c)
	f, err := core.IncidentFilterParams(c, p)
	if err != nil {
		return err
	}
	size := minyi.DefaultPageSize
	page, _ := strconv.Atoi(c.QueryParam("page"))
	f.Limit, f.Offset = size, min((max(page, 1)-1)*size, 1_000_000)
	ctx := c.Request().Context()
	rows, total, err := s.Store.Incidents(ctx, f)
	if err != nil {
		return err
	}
	d := incidentsPageData{Rows: rows, Open: c.QueryParam("open"), Departments: s.DepartmentList(), Now: s.Now()}
	_, _, d.Pager = paginate(c, total)
	return s.render(c, http.StatusOK, "incidents", labels.T("incident.title"), d)
}

// raiseIncident keeps a 舆情事件 from the raise form and opens its page; a
// refused form goes back to where it came from with the reason.
func (s *server) raiseIncident(c echo.Context) error {
	req := core.IncidentRequest{Event: c.FormValue("event"), DocumentID: c.FormValue("document_id"),
		Level: minyi.IncidentLevel(c.FormValue("level")), Note: c.FormValue("note"),
		Department: c.FormValue("department"), Deadline: c.FormValue("deadline")}
	in, err := s.RaiseIncident(c, req)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/incidents/"+url.PathEscape(in.ID)+"?flash=raised")
}

// incidentPageData is what templates/incident.html shows.
type incidentPageData struct {
	Incident    minyi.Incident
	Events      []minyi.CaseEvent
	Departments []minyi.Department
	MayClose    bool
	Now         time.Time
}

var incidentFlashes = map[string]string{"raised": "incident.raised", "closed": "incident.closed_flash"}

func (s *server) incidentPage(c echo.Context) error {
	if key, ok := incidentFlashes[c.QueryParam("flash")]; ok {
		c.Set(flashKey, labels.T(key))
	}
	in, events, err := s.IncidentTimeline(c)
	if err != nil {
		return err
	}
	d := incidentPageData{Incident: in, Events: events, Departments: s.DepartmentList(), Now: s.Now(),
		MayClose: in.Status == minyi.CaseAnswered && core.MayRaiseIncidents(core.Principal(c))}
	return s.render(c, http.StatusOK, "incident", in.Title, d)
}

func (s *server) closeIncident(c echo.Context) error {
	if _, err := s.CloseIncident(c, c.FormValue("note")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/incidents/"+url.PathEscape(c.Param("id"))+"?flash=closed")
}
