package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/workflows"
)

// caseRoutes registers the case endpoints. Reading is open to every role
// (department users confined to their own department); each action names
// the roles that may take it, and the case workflow validates it again.
func (s *Server) caseRoutes(e *echo.Echo) {
	anyone := s.authorize()
	g := e.Group("/api/cases")
	g.GET("", s.listCases, anyone)
	g.GET("/export", s.exportCases, s.authorize(RoleDepartment, RoleSupervisor, RoleAdmin))
	g.GET("/:id", s.getCase, anyone)

	dept := s.authorize(RoleDepartment)
	g.POST("/:id/reply", s.caseAction(workflows.UpdateReply, decodeReply), dept)
	g.POST("/:id/return", s.caseAction(workflows.UpdateReturn, decodeReturn), dept)
	g.POST("/:id/extension", s.caseAction(workflows.UpdateRequestExtension, decodeExtension), dept)
	g.POST("/:id/extension/decision", s.caseAction(workflows.UpdateDecideExtension, s.decodeDecision), s.authorize(RoleSupervisor))
	g.POST("/:id/rating", s.caseAction(workflows.UpdateRate, decodeRating), s.authorize(RoleSupervisor, RoleAdmin))
	g.POST("/:id/reassign", s.caseAction(workflows.UpdateReassign, s.decodeReassign), s.authorize(RoleSupervisor))
}

// CaseList is a page of cases.
type CaseList struct {
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"page_size"`
	Cases    []minyi.Case `json:"cases"`
}

// listCases serves GET /api/cases?department=&status=&overdue=&from=&to=&page=&page_size=.
func (s *Server) listCases(c echo.Context) error {
	f, err := s.caseFilter(c)
	if err != nil {
		return err
	}
	page, size, err := pageParams(c)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = (page-1)*size, size
	cases, total, err := s.Store.Cases(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if cases == nil {
		cases = []minyi.Case{}
	}
	return c.JSON(http.StatusOK, CaseList{Total: total, Page: page, PageSize: size, Cases: cases})
}

// caseFilter reads the filter shared by the list and the export; a
// department user's filter is forced to its own department.
func (s *Server) caseFilter(c echo.Context) (minyi.CaseFilter, error) {
	f := minyi.CaseFilter{Now: s.Now(), Status: minyi.CaseStatus(c.QueryParam("status"))}
	var err error
	if f.Department, err = departmentScope(principal(c), strings.TrimSpace(c.QueryParam("department"))); err != nil {
		return f, err
	}
	switch f.Status {
	case "", minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseClosed:
	default:
		return f, minyi.Errorf(minyi.EINVALID, "status must be routing, open, answered or closed, got %q", f.Status)
	}
	if f.Overdue, err = boolParam(c, "overdue"); err != nil {
		return f, err
	}
	if f.Historical, err = boolParam(c, "historical"); err != nil {
		return f, err
	}
	if f.From, err = timeParam(c, "from", false); err != nil {
		return f, err
	}
	if f.To, err = timeParam(c, "to", true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, minyi.Errorf(minyi.EINVALID, "to is before from")
	}
	return f, nil
}

// pageParams reads page (1-based) and page_size with the search defaults.
func pageParams(c echo.Context) (page, size int, err error) {
	if page, err = intParam(c, "page"); err != nil {
		return 0, 0, err
	}
	if size, err = intParam(c, "page_size"); err != nil {
		return 0, 0, err
	}
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = minyi.DefaultPageSize
	}
	switch {
	case page < 1:
		return 0, 0, minyi.Errorf(minyi.EINVALID, "page must be 1 or more")
	case size < 1 || size > minyi.MaxPageSize:
		return 0, 0, minyi.Errorf(minyi.EINVALID, "page_size must be between 1 and %d", minyi.MaxPageSize)
	case page > 1_000_000:
		return 0, 0, minyi.Errorf(minyi.EINVALID, "page is too large")
	}
	return page, size, nil
}

func boolParam(c echo.Context, name string) (*bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "%s must be true or false, got %q", name, v)
	}
	return &b, nil
}

// CaseDetail is one case with its message and full timeline. Contact is
// present only for the handling department, supervisors and admins.
type CaseDetail struct {
	Case     minyi.Case        `json:"case"`
	Document *minyi.Document   `json:"document"`
	Events   []minyi.CaseEvent `json:"events"`
	Contact  *minyi.Contact    `json:"contact,omitempty"`
}

// caseFor loads the case named in the path, as the store projects it, if
// the principal may see and act on it.
func (s *Server) caseFor(c echo.Context) (*minyi.User, *minyi.Case, error) {
	u := principal(c)
	cs, err := s.Store.Case(c.Request().Context(), c.Param("id"))
	if err != nil {
		return u, nil, err
	}
	return u, cs, mayActOn(u, cs)
}

// getCase serves GET /api/cases/:id.
func (s *Server) getCase(c echo.Context) error {
	ctx := c.Request().Context()
	u, cs, err := s.caseFor(c)
	if err != nil {
		return err
	}
	detail := CaseDetail{Case: *cs}
	doc, err := s.Store.Document(ctx, cs.DocumentID)
	switch {
	case err == nil:
		detail.Document = doc
		if maySeeContact(u, cs) {
			detail.Contact = doc.Contact
		}
	case minyi.ErrorCode(err) != minyi.ENOTFOUND:
		return err
	}
	if detail.Events, err = s.Store.CaseEvents(ctx, cs.ID); err != nil {
		return err
	}
	if detail.Events == nil {
		detail.Events = []minyi.CaseEvent{}
	}
	return c.JSON(http.StatusOK, detail)
}

// caseAction serves one action: the principal must be allowed to touch the
// case as the store projects it, the body must be sensible, and then the
// case workflow decides. The updater is never called for a refused request.
func (s *Server) caseAction(update string, decode func(echo.Context, *minyi.User) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		updated, err := s.runCaseAction(c, update, decode)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, updated)
	}
}

// runCaseAction is one action from the API or a page form: the checks of
// caseAction, then the case workflow's answer.
func (s *Server) runCaseAction(c echo.Context, update string, decode func(echo.Context, *minyi.User) (any, error)) (minyi.Case, error) {
	ctx := c.Request().Context()
	u, cs, err := s.caseFor(c)
	if err != nil {
		return minyi.Case{}, err
	}
	if cs.Historical {
		return minyi.Case{}, minyi.Errorf(minyi.ECONFLICT, "case %s was imported from history and takes no actions", cs.ID)
	}
	arg, err := decode(c, u)
	if err != nil {
		return minyi.Case{}, err
	}
	if s.Cases == nil {
		return minyi.Case{}, minyi.Errorf(minyi.EINTERNAL, "case actions are not configured on this server")
	}
	updated, err := s.Cases.UpdateCase(ctx, cs.ID, update, arg)
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		// The store has the case, so its workflow is still starting: the
		// ingest records a batch's cases before it starts their workflows.
		return minyi.Case{}, minyi.Errorf(minyi.EUNAVAILABLE, "case %s was opened moments ago and cannot take actions yet; try again in a few seconds", cs.ID)
	}
	if err != nil {
		return minyi.Case{}, err
	}
	s.Logger.Info("case action", "case", cs.ID, "action", update, "user", u.Name, "role", u.Role)
	return updated, nil
}
