package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
)

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
	page, size, err := pageParams(httpx.Params(c))
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
	p := httpx.Params(c)
	f := minyi.CaseFilter{Now: s.Now(),
		Status:     minyi.CaseStatus(p.OneOf("status", "", string(minyi.CaseRouting), string(minyi.CaseOpen), string(minyi.CaseAnswered), string(minyi.CaseClosed))),
		Overdue:    p.Bool("overdue"),
		Historical: p.Bool("historical"),
		From:       p.Time("from", false),
		To:         p.Time("to", true),
	}
	var err error
	if f.Department, err = departmentScope(principal(c), p.String("department")); err != nil {
		return f, err
	}
	if err := p.Err(); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, minyi.Errorf(minyi.EINVALID, "to is before from")
	}
	return f, nil
}

// pageParams reads page (1-based) and page_size with the search defaults.
func pageParams(p *httpx.Query) (page, size int, err error) {
	page, size = p.Int("page"), p.Int("page_size")
	if err := p.Err(); err != nil {
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
