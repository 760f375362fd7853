package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// publicLetter is a letter as the public reads it: masked, without its
// writer.
type publicLetter struct {
	Number     string
	Title      string
	Body       string
	Type       string
	Department string
	Received   time.Time
	Answered   time.Time
	Status     minyi.CaseStatus
	Reply      *stage
}

type lettersPage struct {
	Letters     []publicLetter
	Query       string
	Department  string
	Type        string
	Departments []minyi.Department
	Types       []minyi.MessageType
	Page, Pages int
	Total       int
	More        bool // Total is the count's cap: there are more
	Prev, Next  string
}

const lettersPerPage = 20

// maxPage bounds the page number before it is multiplied into an offset.
const maxPage = 5000

func (p *Portal) letters(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	dept, typ := c.QueryParam("department"), c.QueryParam("type")
	if len([]rune(q)) > 50 {
		q = string([]rune(q)[:50])
	}
	if typ != "" && !slices.Contains(letterTypes, minyi.MessageType(typ)) {
		typ = ""
	}
	if len(dept) > 64 {
		dept = ""
	}
	pageNo, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || pageNo < 1 {
		pageNo = 1
	}
	pageNo = min(pageNo, maxPage, minyi.MaxPublicTotal/lettersPerPage)
	ls, total, err := p.Store.PublicLetters(c.Request().Context(), minyi.PublicLetterFilter{Department: dept,
		Type: minyi.MessageType(typ), Query: q, Offset: (pageNo - 1) * lettersPerPage, Limit: lettersPerPage})
	if err != nil {
		return err
	}
	lp := lettersPage{Query: q, Department: dept, Type: typ, Departments: p.Departments(), Types: letterTypes,
		Page: pageNo, Total: total, More: total >= minyi.MaxPublicTotal, Pages: max(1, (total+lettersPerPage-1)/lettersPerPage)}
	for _, l := range ls {
		pl := p.public(l)
		if r := []rune(pl.Body); len(r) > 120 {
			pl.Body = string(r[:120]) + "…"
		}
		lp.Letters = append(lp.Letters, pl)
	}
	link := func(n int) string {
		v := url.Values{}
		for k, s := range map[string]string{"q": q, "department": dept, "type": typ} {
			if s != "" {
				v.Set(k, s)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/letters?" + v.Encode()
	}
	if pageNo > 1 {
		lp.Prev = link(pageNo - 1)
	}
	if pageNo < lp.Pages {
		lp.Next = link(pageNo + 1)
	}
	return p.render(c, http.StatusOK, "letters", page{Title: labels.T("portal.letters.title"), Nav: "letters", Data: lp})
}

// public is a letter masked for the public, without the place its writer
// gave (which may be their home): the district the case was routed by
// stands for it.
func (p *Portal) public(l minyi.PublicLetter) publicLetter {
	return publicLetter{Number: l.Number, Title: mask(l.Case.Title, l.Contact), Body: mask(withoutPlace(l.Body), l.Contact),
		Type: string(l.Case.MessageType), Department: p.departmentName(l.Case.Department),
		Received: l.Case.Received, Answered: l.Case.Answered, Status: l.Case.Status}
}

// publicText is what the board's search reads of a letter: its title and
// text as public shows them.
func publicText(title, body string, contact *minyi.Contact) string {
	return mask(title, contact) + "\n" + mask(withoutPlace(body), contact)
}

// publishedLetter finds a published letter by number; any other is not
// found, whether it exists or not.
func (p *Portal) publishedLetter(ctx context.Context, number string, open bool) (minyi.PublicLetter, []minyi.CaseEvent, error) {
	ls, _, err := p.Store.PublicLetters(ctx, minyi.PublicLetterFilter{Number: number, Open: open, Limit: 1})
	if err != nil {
		return minyi.PublicLetter{}, nil, err
	}
	if len(ls) == 0 {
		return minyi.PublicLetter{}, nil, refuse(minyi.ENOTFOUND, "portal.letters.not_found")
	}
	events, err := p.Store.CaseEvents(ctx, ls[0].Case.ID)
	return ls[0], events, err
}

func (p *Portal) letter(c echo.Context) error {
	number := strings.ToUpper(c.Param("number"))
	if len(number) > 40 {
		return refuse(minyi.ENOTFOUND, "portal.letters.not_found")
	}
	l, events, err := p.publishedLetter(c.Request().Context(), number, false)
	if err != nil {
		return err
	}
	pl := p.public(l)
	if reply := lastReply(events); reply != nil {
		reply.Label = p.departmentName(reply.Label)
		reply.Detail = mask(reply.Detail, l.Contact)
		pl.Reply = reply
	}
	return p.render(c, http.StatusOK, "letter", page{Title: pl.Title, Nav: "letters", Data: pl})
}

// lastReply is a case's latest reply, its department id as the label.
func lastReply(events []minyi.CaseEvent) *stage {
	var r *stage
	for _, e := range events {
		if e.Type == minyi.EventReplied {
			r = &stage{Label: e.Department, At: e.At, Detail: strings.TrimPrefix(e.Detail, "[未解决 unresolved] "), Done: true}
		}
	}
	return r
}

// statsPage is the month's public 通报: reply rates by department.
type statsPage struct {
	Month string
	Rows  []statsRow
}

type statsRow struct {
	Department string
	minyi.DepartmentStats
}

func (p *Portal) stats(c echo.Context) error {
	if !p.PublicStats {
		return refuse(minyi.ENOTFOUND, "portal.error.not_found")
	}
	now := p.Now().In(minyi.ChinaTime)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, minyi.ChinaTime)
	all, err := p.Store.DepartmentStats(c.Request().Context(), from, from.AddDate(0, 1, 0), now)
	if err != nil {
		return err
	}
	sp := statsPage{Month: fmt.Sprintf("%d年%d月", from.Year(), from.Month())}
	for _, s := range all {
		if s.Department == "" {
			continue
		}
		sp.Rows = append(sp.Rows, statsRow{Department: p.departmentName(s.Department), DepartmentStats: s.WithRates()})
	}
	slices.SortStableFunc(sp.Rows, func(a, b statsRow) int {
		x, y := minyi.RateValue(a.ResponseRate), minyi.RateValue(b.ResponseRate)
		switch {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return strings.Compare(a.Department, b.Department)
	})
	return p.render(c, http.StatusOK, "stats", page{Title: labels.T("portal.stats.title"), Nav: "stats", Data: sp})
}

// withoutPlace cuts the place line the portal appended to a letter's text.
func withoutPlace(body string) string {
	if i := strings.LastIndex(body, placeLine()); i >= 0 {
		return body[:i]
	}
	return body
}

// placeLine starts the line of a letter's text that names its place.
func placeLine() string { return "\n\n" + labels.T("portal.write.field_place") + "：" }

func formatPct(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) + "%" }
