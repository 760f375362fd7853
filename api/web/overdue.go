package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
)

// The overdue board (督查): first the count of overdue cases by department
// and rung with each department's oldest due date, every number a link;
// then the cases of the group picked, a page at a time. The store counts
// and pages, so the page costs the same with 100 or 100,000 cases overdue.

type boardPage struct {
	Rungs  []minyi.Rung
	Rows   []boardRow
	Totals []boardCell // per rung, over all departments
	Total  int
	Export string
	Group  *boardGroup // the group picked, if any
}

// boardRow is one department of the board.
type boardRow struct {
	ID, Name  string
	Cells     []boardCell // one per Rungs
	Total     int
	OldestDue time.Time
	URL       string // every rung of the department
	Picked    bool
}

type boardCell struct {
	Rung   minyi.Rung
	Count  int
	URL    string
	Picked bool
}

// boardGroup is a page of the cases of one department at one rung (or all).
type boardGroup struct {
	Heading string
	Rows    []core.CaseItem
	Pager   pager
	Export  string
}

func boardURL(department string, rung minyi.Rung) string {
	q := url.Values{"department": {department}}
	if rung != minyi.RungNone {
		q.Set("rung", string(rung))
	}
	return "/overdue?" + q.Encode()
}

func (s *server) overduePage(c echo.Context) error {
	withFlash(c)
	ctx := c.Request().Context()
	now := s.Now()
	// ?department= (empty for the cases still being routed) picks a
	// department, ?rung= one of its cells.
	_, picked := c.QueryParams()["department"]
	dept, rung := c.QueryParam("department"), minyi.Rung(c.QueryParam("rung"))
	if rung != minyi.RungNone && !slices.Contains(minyi.BoardRungs, rung) {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("board.rung_invalid"))
	}
	page, size, err := core.PageParams(httpx.Params(c))
	if err != nil {
		return err
	}
	groups, err := s.Store.OverdueBoard(ctx, now)
	if err != nil {
		return err
	}
	v := boardPage{Rungs: minyi.BoardRungs, Export: "/api/cases/export?format=xlsx&overdue=true"}
	names := s.DepartmentNames()
	name := func(id string) string {
		if id == "" {
			return labels.T("case.unassigned")
		}
		return core.OrRaw(names[id], id)
	}
	v.Totals = make([]boardCell, len(minyi.BoardRungs))
	for i, r := range minyi.BoardRungs {
		v.Totals[i].Rung = r
	}
	for _, g := range groups { // by department, then up the ladder
		if len(v.Rows) == 0 || v.Rows[len(v.Rows)-1].ID != g.Department {
			row := boardRow{ID: g.Department, Name: name(g.Department), URL: boardURL(g.Department, minyi.RungNone),
				Cells: make([]boardCell, len(minyi.BoardRungs)), OldestDue: g.OldestDue,
				Picked: picked && dept == g.Department && rung == minyi.RungNone}
			for i, r := range minyi.BoardRungs {
				row.Cells[i] = boardCell{Rung: r, URL: boardURL(g.Department, r), Picked: picked && dept == g.Department && rung == r}
			}
			v.Rows = append(v.Rows, row)
		}
		row := &v.Rows[len(v.Rows)-1]
		i := slices.Index(minyi.BoardRungs, g.Rung)
		row.Cells[i].Count += g.Count
		row.Total += g.Count
		v.Totals[i].Count += g.Count
		v.Total += g.Count
		if g.OldestDue.Before(row.OldestDue) {
			row.OldestDue = g.OldestDue
		}
	}
	// The department with the most overdue cases first.
	slices.SortStableFunc(v.Rows, func(a, b boardRow) int { return cmp.Or(b.Total-a.Total, strings.Compare(a.ID, b.ID)) })

	if picked {
		f := minyi.OverdueFilter{Department: dept, Rung: rung, Now: now, Limit: size, Offset: (page - 1) * size}
		cases, total, err := s.Store.OverdueCases(ctx, f)
		if err != nil {
			return err
		}
		g := &boardGroup{Heading: labels.Tf("board.group_all", name(dept))}
		if rung != minyi.RungNone {
			g.Heading = labels.Tf("board.group", name(dept), rung.Label())
		}
		g.Pager = pageOf(c, page, size, total)
		if g.Pager.Page != page && total > 0 { // past the last page: show the last
			f.Offset = (g.Pager.Page - 1) * size
			if cases, total, err = s.Store.OverdueCases(ctx, f); err != nil {
				return err
			}
			g.Pager = pageOf(c, g.Pager.Page, size, total)
		}
		g.Rows = s.CaseRows(cases, now)
		g.Export = "/api/cases/export?" + url.Values{"format": {"xlsx"}, "overdue": {"true"}, "department": {dept}}.Encode()
		v.Group = g
	}
	return s.render(c, http.StatusOK, "overdue", labels.T("nav.overdue"), v)
}

// pageOf is the pager of page (of size rows) among total rows, with the
// request's other query parameters kept in its links.
func pageOf(c echo.Context, page, size, total int) pager {
	p := pager{Total: total, Pages: max(1, (total+size-1)/size)}
	p.Page = min(max(page, 1), p.Pages)
	link := func(to int) string {
		q := c.Request().URL.Query() // a copy: the request's own stay as asked
		q.Del("flash")
		q.Set("page", strconv.Itoa(to))
		return c.Request().URL.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	return p
}
