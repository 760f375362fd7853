package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
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
func (s *server) listCases(c echo.Context) error {
	f, err := s.CaseFilter(c)
	if err != nil {
		return err
	}
	page, size, err := core.PageParams(httpx.Params(c))
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

// CaseDetail is one case with its message and full timeline. Contact is
// present only for the handling department, supervisors and admins. Merged
// are the letters merged into the case (并单), the page's list.
type CaseDetail struct {
	Case     minyi.Case          `json:"case"`
	Document *minyi.Document     `json:"document"`
	Events   []minyi.CaseEvent   `json:"events"`
	Contact  *minyi.Contact      `json:"contact,omitempty"`
	Merged   []core.MergedLetter `json:"merged"`
}

// getCase serves GET /api/cases/:id.
func (s *server) getCase(c echo.Context) error {
	ctx := c.Request().Context()
	u, cs, err := s.CaseFor(c)
	if err != nil {
		return err
	}
	detail := CaseDetail{Case: *cs}
	doc, err := s.Store.Document(ctx, cs.DocumentID)
	switch {
	case err == nil:
		detail.Document = doc
		if core.MaySeeContact(u, cs) {
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
	if detail.Merged, err = s.MergedLetters(ctx, u, cs); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, detail)
}

// caseAction serves one action: the principal must be allowed to touch the
// case as the store projects it, the body must be sensible, and then the
// case workflow decides. The updater is never called for a refused request.
func (s *server) caseAction(update string, decode func(echo.Context, *minyi.User) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		updated, err := s.RunCaseAction(c, update, decode)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, updated)
	}
}
