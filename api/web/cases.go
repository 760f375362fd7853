package web

import (
	"cmp"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/workflows"
)

// The department's pages (承办单位): the inbox, the case page with its
// forms, and the answered cases. The supervisor's are in supervisor.go.

// casePages registers the department and supervisor pages.
func (s *server) casePages(e *echo.Echo) {
	dept := s.page(core.RoleDepartment)
	caseRoles := s.page(core.RoleDepartment, core.RoleSupervisor, core.RoleAdmin)
	e.GET("/inbox", s.inboxPage, dept)
	e.GET("/answered", s.answeredPage, dept)
	e.GET("/cases/:id", s.casePage, caseRoles)
	e.GET("/cases/:id/files/:name", s.caseFile, caseRoles)
	e.GET("/cases/:id/photos/:name", s.casePhoto, caseRoles)
	e.POST(core.ReplyFormPath, s.replyForm, middleware.BodyLimit(core.BodyLimit(core.MaxReplyUploadBytes)), dept)
	e.POST("/cases/:id/return", s.caseForm(workflows.UpdateReturn, "returned", func(c echo.Context, u *minyi.User) (any, error) {
		return core.ReturnArgs(u, c.FormValue("reason"))
	}), dept)
	e.POST("/cases/:id/extension", s.caseForm(workflows.UpdateRequestExtension, "extension_requested", func(c echo.Context, u *minyi.User) (any, error) {
		days, err := strconv.Atoi(strings.TrimSpace(c.FormValue("days")))
		if err != nil {
			return nil, minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("case.days_invalid", core.MaxExtensionDays))
		}
		return core.ExtensionArgs(u, c.FormValue("reason"), days)
	}), dept)
	s.supervisorPages(e)
}

// withFlash shows the confirmation a form post redirected with (?flash=key);
// only keys of the label table are shown, so a link cannot put words on a page.
func withFlash(c echo.Context) {
	if k := c.QueryParam("flash"); k != "" {
		if l, ok := labels.Lookup("flash." + k); ok {
			c.Set(flashKey, l)
		}
	}
}

// pager is the paging of a list page.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // links, empty at either end
}

// paginate cuts one page of n rows and links the neighbours with the
// page's other query parameters kept.
func paginate(c echo.Context, n int) (lo, hi int, p pager) {
	size := minyi.DefaultPageSize
	page, _ := strconv.Atoi(c.QueryParam("page"))
	p = pageOf(c, page, size, n) // bounds the page before it is multiplied
	lo = min((p.Page-1)*size, n)
	return lo, min(lo+size, n), p
}

type listPage struct {
	Rows   []core.CaseItem
	Pager  pager
	Query  string
	Export string
}

// inboxPage: the department's open cases, overdue first, then by due date.
func (s *server) inboxPage(c echo.Context) error {
	withFlash(c)
	u := core.Principal(c)
	now := s.Now()
	f := minyi.CaseFilter{Department: u.Department, Status: minyi.CaseOpen, Now: now, ByDue: true}
	if c.QueryParam("format") != "" {
		cases, err := s.AllCases(c, f)
		if err != nil {
			return err
		}
		return s.exportRows(c, "inbox", s.CaseRows(cases, now))
	}
	// The store pages by due date: an open case is overdue exactly when its
	// due date has passed, so the overdue ones come first.
	page, size, err := core.PageParams(httpx.Params(c))
	if err != nil {
		return err
	}
	f.Limit, f.Offset = size, (page-1)*size
	cases, total, err := s.Store.Cases(c.Request().Context(), f)
	if err != nil {
		return err
	}
	p := pageOf(c, page, size, total)
	if p.Page != page && total > 0 { // past the last page: show the last
		f.Offset = (p.Page - 1) * size
		if cases, total, err = s.Store.Cases(c.Request().Context(), f); err != nil {
			return err
		}
		p = pageOf(c, p.Page, size, total)
	}
	return s.render(c, http.StatusOK, "caselist", labels.T("nav.inbox"), listPage{Rows: s.CaseRows(cases, now), Pager: p,
		Export: exportLink(c)})
}

// answeredPage: the department's answered and closed cases, newest
// first, searchable by words of the title.
func (s *server) answeredPage(c echo.Context) error {
	u := core.Principal(c)
	now := s.Now()
	var cases []minyi.Case
	for _, st := range []minyi.CaseStatus{minyi.CaseAnswered, minyi.CaseClosed} {
		got, err := s.AllCases(c, minyi.CaseFilter{Department: u.Department, Status: st, Now: now})
		if err != nil {
			return err
		}
		cases = append(cases, got...)
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	if q != "" {
		words := strings.Fields(strings.ToLower(q))
		cases = slices.DeleteFunc(cases, func(cs minyi.Case) bool {
			title := strings.ToLower(cs.Title)
			return !allIn(title, words)
		})
	}
	slices.SortStableFunc(cases, func(a, b minyi.Case) int {
		return cmp.Or(b.Answered.Compare(a.Answered), strings.Compare(a.ID, b.ID))
	})
	rows := s.CaseRows(cases, now)
	if c.QueryParam("format") != "" {
		return s.exportRows(c, "answered", rows)
	}
	lo, hi, p := paginate(c, len(rows))
	return s.render(c, http.StatusOK, "caselist", labels.T("nav.answered"), listPage{Rows: rows[lo:hi], Pager: p, Query: q,
		Export: exportLink(c)})
}

// exportLink is the page itself with ?format=xlsx: the export has every
// row of the list (all its pages), with the columns of the case export.
func exportLink(c echo.Context) string {
	q := c.QueryParams()
	q.Del("flash")
	q.Del("page")
	q.Set("format", "xlsx")
	return c.Request().URL.Path + "?" + q.Encode()
}

// exportRows writes a list page's rows as the case export does.
func (s *server) exportRows(c echo.Context, what string, rows []core.CaseItem) error {
	format, err := core.ExportFormat(c)
	if err != nil {
		return err
	}
	now, names := s.Now(), s.DepartmentNames()
	name := fmt.Sprintf("%s-%s.%s", what, now.In(minyi.ChinaTime).Format("20060102-1504"), format)
	return s.WriteTable(c, format, name, "案件", core.CaseExportColumns, func(emit func([]any) error) error {
		for i := range rows {
			if err := emit(core.CaseRow(&rows[i].Case, names, now)); err != nil {
				return err
			}
		}
		return nil
	})
}

func allIn(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// caseView is the case page.
type caseView struct {
	Case        core.CaseItem
	Document    *minyi.Document
	Contact     *minyi.Contact
	Events      []eventItem
	Attachments []keptFile
	Photos      []keptFile       // sent with the letter: shown as Contact is
	Pending     *minyi.CaseEvent // an extension request waiting for a decision
	// What the user may do here.
	CanReply, CanDecide, CanReassign, CanRate, CanMerge bool
	// Merged are the letters merged into this case (并单), each with its
	// petitioner's contact where the user may see it.
	Merged           []core.MergedLetter
	Departments      []minyi.Department
	Ratings          []minyi.Rating
	MaxExtensionDays int
	MaxUploadBytes   int64
}

func (s *server) casePage(c echo.Context) error {
	withFlash(c)
	ctx := c.Request().Context()
	u, cs, err := s.CaseFor(c)
	if err != nil {
		return err
	}
	v := caseView{Case: s.CaseRows([]minyi.Case{*cs}, s.Now())[0], Ratings: minyi.Ratings,
		MaxExtensionDays: core.MaxExtensionDays, MaxUploadBytes: core.MaxReplyUploadBytes}
	doc, err := s.Store.Document(ctx, cs.DocumentID)
	switch {
	case err == nil:
		v.Document = doc
		if core.MaySeeContact(u, cs) {
			v.Contact = doc.Contact
		}
	case minyi.ErrorCode(err) != minyi.ENOTFOUND:
		return err
	}
	events, err := s.Store.CaseEvents(ctx, cs.ID)
	if err != nil {
		return err
	}
	v.Events = s.eventItems(events)
	v.Pending = core.PendingExtension(events)
	for _, name := range s.attachments(cs.ID) {
		v.Attachments = append(v.Attachments, keptFile{Name: fileName(name), Link: fileLink(cs.ID, name)})
	}
	if v.Merged, err = s.MergedLetters(ctx, u, cs); err != nil {
		return err
	}
	if core.MaySeeContact(u, cs) {
		for _, name := range s.letterPhotos(cs.ID) {
			v.Photos = append(v.Photos, keptFile{Name: name, Link: photoLink(cs.ID, name)})
		}
	}
	live := !cs.Historical && s.Cases != nil
	unanswered := cs.Status == minyi.CaseOpen || cs.Status == minyi.CaseRouting
	v.CanReply = live && u.Role == core.RoleDepartment && cs.Status == minyi.CaseOpen && cs.MergedInto == ""
	v.CanMerge = live && u.Role == core.RoleSupervisor && unanswered && cs.MergedInto == "" && len(cs.RepeatOf) > 0 && len(v.Merged) == 0
	v.CanDecide = live && u.Role == core.RoleSupervisor && v.Pending != nil
	v.CanReassign = live && u.Role == core.RoleSupervisor && unanswered && cs.MergedInto == ""
	v.CanRate = live && (u.Role == core.RoleSupervisor || u.Role == core.RoleAdmin) && cs.Status == minyi.CaseAnswered
	for _, d := range s.DepartmentList() {
		if d.ID != cs.Department {
			v.Departments = append(v.Departments, d)
		}
	}
	return s.render(c, http.StatusOK, "case", cs.Title, v)
}

// eventItem is a timeline entry as the case page shows it: who acted, by
// name, and the due date only where it changed.
type eventItem struct {
	minyi.CaseEvent
	ActorName string
	NewDue    bool
}

func (s *server) eventItems(events []minyi.CaseEvent) []eventItem {
	names := s.DepartmentNames()
	items := make([]eventItem, 0, len(events))
	var due time.Time
	for _, e := range events {
		it := eventItem{CaseEvent: e, ActorName: e.Actor}
		if l, ok := labels.Lookup("actor." + e.Actor); ok {
			it.ActorName = l
		} else if n := names[e.Actor]; n != "" {
			it.ActorName = n
		}
		if !e.Due.IsZero() && !e.Due.Equal(due) {
			it.NewDue, due = true, e.Due
		}
		items = append(items, it)
	}
	return items
}

// eventDetail shows the bilingual or English details the case workflow
// writes in the page's words; a citizen's or clerk's text stays as it is.
func eventDetail(e minyi.CaseEvent) string {
	d := e.Detail
	switch e.Type {
	case minyi.EventExtensionRequested:
		return core.ExtensionDetail(d)
	case minyi.EventExtensionApproved:
		if n, reason, ok := strings.Cut(d, " days approved: "); ok {
			if days, err := strconv.Atoi(n); err == nil {
				return strings.TrimSpace(labels.Tf("ext.days_approved", days) + reason)
			}
		}
	case minyi.EventMerged:
		if rest, ok := strings.CutPrefix(d, workflows.MergedDetail); ok {
			into, reason, _ := strings.Cut(rest, ": ")
			return strings.TrimSpace(labels.Tf("case.merged_detail", into) + reason)
		}
	case minyi.EventReplied:
		if rest, ok := strings.CutPrefix(d, "[未解决 unresolved] "); ok {
			return labels.T("case.unresolved") + " " + rest
		}
	case minyi.EventReminder, minyi.EventOverdue, minyi.EventUrge, minyi.EventSupervise, minyi.EventNotice:
		if strings.HasPrefix(d, "due ") {
			return "" // the due date shows beside the entry
		}
	}
	return d
}

// caseForm serves a page form for an action: the checks and the workflow
// of the API's caseAction, then back to the case page with a confirmation.
func (s *server) caseForm(update, flash string, decode func(echo.Context, *minyi.User) (any, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.RunCaseAction(c, update, decode); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, s.afterForm(c, flash))
	}
}

// afterForm is where a form returns to: the page it names in back (one of
// ours), else the case page; a case the department gave back (回退) is no
// longer its own, so that one returns to the inbox.
func (s *server) afterForm(c echo.Context, flash string) string {
	to := "/cases/" + url.PathEscape(c.Param("id"))
	switch back := c.FormValue("back"); {
	case back == "extensions" || back == "overdue" || back == "inbox":
		to = "/" + back
	case flash == "returned":
		to = "/inbox"
	}
	return to + "?flash=" + flash
}

// replyForm takes a reply with its attachments: the files are kept under
// AttachmentDir and named in the reply by the link that serves them.
func (s *server) replyForm(c echo.Context) error {
	var files []*multipart.FileHeader
	if form, err := c.MultipartForm(); err == nil {
		files = slices.DeleteFunc(form.File["attachments"], func(f *multipart.FileHeader) bool { return f.Filename == "" })
	}
	if len(files) > 0 && s.AttachmentDir == "" {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("case.no_attachments"))
	}
	if len(files) > core.MaxAttachments {
		return minyi.Errorf(minyi.EINVALID, "a reply has at most %d attachments", core.MaxAttachments)
	}
	var saved []string
	_, err := s.RunCaseAction(c, workflows.UpdateReply, func(c echo.Context, u *minyi.User) (any, error) {
		b := core.ReplyBody{Text: c.FormValue("text"), Resolved: c.FormValue("resolved") == "yes"}
		if _, err := core.ReplyArgs(u, b); err != nil { // check before keeping any file
			return nil, err
		}
		for _, f := range files {
			name, err := s.saveAttachment(c.Param("id"), f)
			if err != nil {
				return nil, err
			}
			saved = append(saved, name)
			b.Attachments = append(b.Attachments, fileLink(c.Param("id"), name))
		}
		return core.ReplyArgs(u, b)
	})
	if err != nil {
		for _, name := range saved {
			os.Remove(filepath.Join(s.caseDir(c.Param("id")), name))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, s.afterForm(c, "replied"))
}

func init() {
	templateFuncs["extDetail"] = core.ExtensionDetail
	templateFuncs["eventDetail"] = eventDetail
	templateFuncs["deref"] = func(p *int) int { return *p }
	templateFuncs["mib"] = func(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB" }
	templateFuncs["decisionForm"] = func(id, csrf, back string) decisionFormData { return decisionFormData{id, csrf, back} }
}

// decisionFormData is the approve/deny form of an extension request, on
// the case page and in the queue.
type decisionFormData struct{ ID, CSRF, Back string }
