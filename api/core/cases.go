package core

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"

	"github.com/labstack/echo/v4"
)

// CaseFilter reads the filter shared by the list and the export; a
// department user's filter is forced to its own department.
func (s *Server) CaseFilter(c echo.Context) (minyi.CaseFilter, error) {
	p := httpx.Params(c)
	f := minyi.CaseFilter{Now: s.Now(),
		Status:     minyi.CaseStatus(p.OneOf("status", "", string(minyi.CaseRouting), string(minyi.CaseOpen), string(minyi.CaseAnswered), string(minyi.CaseClosed))),
		Overdue:    p.Bool("overdue"),
		Historical: p.Bool("historical"),
		From:       p.Time("from", false),
		To:         p.Time("to", true),
	}
	var err error
	if f.Department, err = DepartmentScope(Principal(c), p.String("department")); err != nil {
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

// PageParams reads page (1-based) and page_size with the search defaults.
func PageParams(p *httpx.Query) (page, size int, err error) {
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

// CaseFor loads the case named in the path, as the store projects it, if
// the principal may see and act on it.
func (s *Server) CaseFor(c echo.Context) (*minyi.User, *minyi.Case, error) {
	u := Principal(c)
	cs, err := s.Store.Case(c.Request().Context(), c.Param("id"))
	if err != nil {
		return u, nil, err
	}
	return u, cs, mayActOn(u, cs)
}

// RunCaseAction is one action from the API or a page form: the checks of
// caseAction, then the case workflow's answer.
func (s *Server) RunCaseAction(c echo.Context, update string, decode func(echo.Context, *minyi.User) (any, error)) (minyi.Case, error) {
	ctx := c.Request().Context()
	u, cs, err := s.CaseFor(c)
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

// ExtensionRow is a pending extension request.
type ExtensionRow struct {
	CaseItem
	Request minyi.CaseEvent
}

// PendingExtensions finds the open cases whose last extension request has
// no decision yet, oldest request first.
func (s *Server) PendingExtensions(c echo.Context) ([]ExtensionRow, error) {
	now := s.Now()
	cases, err := s.AllCases(c, minyi.CaseFilter{Status: minyi.CaseOpen, Now: now})
	if err != nil {
		return nil, err
	}
	var rows []ExtensionRow
	for _, r := range s.CaseRows(cases, now) {
		events, err := s.Store.CaseEvents(c.Request().Context(), r.ID)
		if err != nil {
			return nil, err
		}
		if p := PendingExtension(events); p != nil {
			rows = append(rows, ExtensionRow{CaseItem: r, Request: *p})
		}
	}
	slices.SortStableFunc(rows, func(a, b ExtensionRow) int {
		return cmp.Or(a.Request.At.Compare(b.Request.At), strings.Compare(a.ID, b.ID))
	})
	return rows, nil
}

// EscalationsSince reads ?since=2026-01-01 (China time), a year back by default.
func (s *Server) EscalationsSince(c echo.Context) (time.Time, string, error) {
	p := httpx.Params(c)
	t := p.Date("since")
	if err := p.Err(); err != nil {
		return t, p.String("since"), err
	}
	if t.IsZero() {
		t = s.Now().In(minyi.ChinaTime).AddDate(-1, 0, 0)
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime)
	}
	return t, t.Format(time.DateOnly), nil
}

// replyFormPath takes a reply with its attachments, up to
// MaxReplyUploadBytes in all.
const (
	ReplyFormPath       = "/cases/:id/reply"
	MaxReplyUploadBytes = 20 << 20
)

// pageCap bounds how many cases a page reads to sort or group in memory.
const pageCap = 5000

// CaseItem is a case as a list shows it.
type CaseItem struct {
	minyi.Case
	DepartmentName string
	IsOverdue      bool
	DaysLeft       *int // working days to the due date; nil without a calendar
}

func (s *Server) CaseRows(cases []minyi.Case, now time.Time) []CaseItem {
	names := s.DepartmentNames()
	rows := make([]CaseItem, 0, len(cases))
	for _, cs := range cases {
		r := CaseItem{Case: cs, DepartmentName: OrRaw(names[cs.Department], cs.Department), IsOverdue: cs.Overdue(now)}
		if s.Calendar != nil && !cs.Due.IsZero() {
			n := s.Calendar.WorkdaysBetween(now, cs.Due)
			r.DaysLeft = &n
		}
		rows = append(rows, r)
	}
	return rows
}

// AllCases reads every case of a filter, up to pageCap.
func (s *Server) AllCases(c echo.Context, f minyi.CaseFilter) ([]minyi.Case, error) {
	var out []minyi.Case
	seen := map[string]bool{}
	for offset := 0; offset < pageCap; offset += ExportPageSize {
		f.Offset, f.Limit = offset, ExportPageSize
		page, total, err := s.Store.Cases(c.Request().Context(), f)
		if err != nil {
			return nil, err
		}
		for _, cs := range page {
			if !seen[cs.ID] {
				seen[cs.ID] = true
				out = append(out, cs)
			}
		}
		if len(page) < ExportPageSize || offset+ExportPageSize >= total {
			break
		}
	}
	return out, nil
}

// ExtensionDetail shows the workflow's "5 days: reason" as 延期 5 天：reason.
func ExtensionDetail(detail string) string {
	if n, reason, ok := strings.Cut(detail, " days: "); ok {
		if days, err := strconv.Atoi(n); err == nil {
			return labels.Tf("ext.days", days) + reason
		}
	}
	return detail
}

// PendingExtension is the last extension request no decision followed.
func PendingExtension(events []minyi.CaseEvent) *minyi.CaseEvent {
	var p *minyi.CaseEvent
	for i := range events {
		switch events[i].Type {
		case minyi.EventExtensionRequested:
			p = &events[i]
		case minyi.EventExtensionApproved, minyi.EventExtensionRejected, minyi.EventReturned, minyi.EventReassigned:
			p = nil
		}
	}
	return p
}

// ExportPageSize is how many cases an export reads from the store at a time.
const ExportPageSize = 500

var CaseExportColumns = []string{"编号", "标题", "来源", "类型", "分类", "区域", "承办单位", "状态",
	"受理时间", "办理时限", "延期", "答复时间", "是否按时", "升级", "回退次数", "满意度", "重办", "历史导入",
	"重复件", "并入主件"}

func CaseRow(cs *minyi.Case, names map[string]string, now time.Time) []any {
	onTime := ""
	switch {
	case !cs.Answered.IsZero():
		onTime = yesNo(cs.OnTime)
	case cs.Overdue(now):
		onTime = "超期未答"
	}
	dept := cs.Department
	if n := names[dept]; n != "" {
		dept = n
	}
	return []any{cs.ID, cs.Title, cs.Source, string(cs.MessageType), cs.Category, cs.Region, dept,
		cs.Status.Label(), cs.Received, cs.Due, yesNo(cs.Extended),
		cs.Answered, onTime, cs.Rung.Label(), cs.Returns,
		cs.Rating.Label(), yesNo(cs.Redo), yesNo(cs.Historical),
		strings.Join(cs.RepeatOf, "、"), cs.MergedInto}
}
