// Package web is the staff's pages: their routes, handlers, templates and
// static files, rendered on the server inside one layout. It shares the
// app (sessions, rules, services) with the JSON API but never imports it.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// The pages are html/template files: each file under templates/ defines
// "content" (and may define "title"), rendered inside layout.html. Static
// files are our own CSS and JS plus the npm packages that `make assets`
// copies into static/vendor (never committed).
var (
	//go:embed templates
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// Page is what every template receives: the page's own data in Data, and
// what the layout needs around it.
type Page struct {
	Title  string
	User   *minyi.User
	CSRF   string
	Nav    []NavItem
	Active string // path of the nav item to highlight
	Flash  string // a one-line confirmation after a form post
	Data   any
}

// NavItem is one entry of the top navigation.
type NavItem struct {
	Path  string
	Label string
}

// nav lists every page in the top navigation with the roles that see it; a
// role's home page is its first entry.
var nav = []struct {
	path, label string
	roles       []minyi.Role
}{
	{"/inbox", "nav.inbox", []minyi.Role{core.RoleDepartment}},
	{"/answered", "nav.answered", []minyi.Role{core.RoleDepartment}},
	{"/overdue", "nav.overdue", []minyi.Role{core.RoleSupervisor}},
	{"/stats", "nav.stats", []minyi.Role{core.RoleSupervisor, core.RoleAdmin}},
	{"/extensions", "nav.extensions", []minyi.Role{core.RoleSupervisor}},
	{"/escalations", "nav.escalations", []minyi.Role{core.RoleSupervisor}},
	{"/portal/held", "portal.nav.review", []minyi.Role{core.RoleSupervisor, core.RoleAdmin}},
	{"/search", "nav.search", []minyi.Role{core.RoleAnalyst, core.RoleSupervisor}},
	{"/trends", "nav.trends", []minyi.Role{core.RoleAnalyst, core.RoleSupervisor}},
	{"/alerts", "nav.alerts", []minyi.Role{core.RoleAnalyst}},
	{"/reports", "nav.reports", core.ReportReaders},
	{"/incidents", "incident.nav", incidentPageReaders},
	{"/watch", "watch.nav", []minyi.Role{core.RoleAnalyst}},
	{"/admin/departments", "nav.departments", []minyi.Role{core.RoleAdmin}},
	{"/admin/rules", "nav.rules", []minyi.Role{core.RoleAdmin}},
	{"/admin/deadlines", "nav.deadlines", []minyi.Role{core.RoleAdmin}},
	{"/admin/sources", "nav.sources", []minyi.Role{core.RoleAdmin}},
	{"/admin/users", "nav.users", []minyi.Role{core.RoleAdmin}},
	{"/admin/audit", "nav.audit", []minyi.Role{core.RoleAdmin}},
	{"/admin/import", "nav.import", []minyi.Role{core.RoleAdmin}},
}

func navFor(u *minyi.User) []NavItem {
	var items []NavItem
	for _, n := range nav {
		if u != nil && slices.Contains(n.roles, u.Role) {
			items = append(items, NavItem{Path: n.path, Label: labels.T(n.label)})
		}
	}
	return items
}

// homeFor is where a user lands after logging in.
func homeFor(u *minyi.User) string {
	if items := navFor(u); len(items) > 0 {
		return items[0].Path
	}
	return "/account"
}

var (
	pagesOnce sync.Once
	pages     map[string]*template.Template
	pagesErr  error
)

// loadPages parses every page once, each with the layout and the partials
// several pages share.
func loadPages() (map[string]*template.Template, error) {
	pagesOnce.Do(func() {
		pages = map[string]*template.Template{}
		files, err := fs.Glob(templateFS, "templates/*.html")
		if err != nil {
			pagesErr = err
			return
		}
		for _, f := range files {
			name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", f)
			if err != nil {
				pagesErr = err
				return
			}
			pages[name] = t
		}
	})
	return pages, pagesErr
}

// render writes the page template name with data inside the layout. It
// renders to a buffer first so that a template error is a clean 500, never
// half a page.
func (s *server) render(c echo.Context, status int, name, title string, data any) error {
	all, err := loadPages()
	if err != nil {
		return err
	}
	t, ok := all[name]
	if !ok {
		return minyi.Errorf(minyi.EINTERNAL, "no page template %q", name)
	}
	u := core.Principal(c)
	p := Page{Title: title, User: u, CSRF: core.CSRFToken(c), Nav: navFor(u), Active: c.Request().URL.Path, Data: data}
	if f, ok := c.Get(flashKey).(string); ok {
		p.Flash = f
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// ErrorPage renders an error for a browser inside the layout.
func ErrorPage(c echo.Context, status int, title string, data any) error {
	return (&server{}).render(c, status, "error", title, data)
}

const flashKey = "minyi.flash"

// page guards a web page: without a user it sends the browser to the login
// page and back afterwards; a user of another role gets a 403 page.
func (s *server) page(roles ...minyi.Role) echo.MiddlewareFunc {
	if len(roles) == 0 {
		roles = minyi.Roles // people only: an intake client has no pages
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := s.Authenticate(c)
			if u == nil {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			c.Set(core.PrincipalKey, u)
			core.NoStore(c)
			if !slices.Contains(roles, u.Role) {
				s.Denied(c, u)
				return minyi.Errorf(minyi.EFORBIDDEN, "%s", labels.T("error.role_forbidden"))
			}
			return next(c)
		}
	}
}

// home sends a user to their role's first page.
func (s *server) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, homeFor(core.Principal(c)))
}

func staticHandler() echo.HandlerFunc {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return func(c echo.Context) error {
		// A name that is no valid file path (bytes that are not UTF-8, a
		// NUL) is simply not there; http.FS would call it a server error.
		if name := strings.TrimPrefix(c.Request().URL.Path, "/static/"); !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
			return minyi.Errorf(minyi.ENOTFOUND, "no static file %q", name)
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// server is the app as the pages serve it, with the history imports
// the admin has started.
type server struct {
	*core.Server
	imports *importJobs
}

// Routes registers every page and the static files.
func Routes(srv *core.Server, e *echo.Echo) {
	s := &server{Server: srv}
	e.GET("/static/*", staticHandler())
	e.GET("/", s.home, s.page())
	e.GET(apiDocPath, s.apiDocPage, s.page())
	s.analystRoutes(e)
	s.reportRoutes(e)
	s.incidentRoutes(e)
	s.watchRoutes(e)
	s.casePages(e)
	s.accountRoutes(e)
	s.adminRoutes(e)
	s.portalReviewRoutes(e)
}
