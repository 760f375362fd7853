package api

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
	{"/inbox", "nav.inbox", []minyi.Role{RoleDepartment}},
	{"/answered", "nav.answered", []minyi.Role{RoleDepartment}},
	{"/overdue", "nav.overdue", []minyi.Role{RoleSupervisor}},
	{"/stats", "nav.stats", []minyi.Role{RoleSupervisor, RoleAdmin}},
	{"/extensions", "nav.extensions", []minyi.Role{RoleSupervisor}},
	{"/escalations", "nav.escalations", []minyi.Role{RoleSupervisor}},
	{"/search", "nav.search", []minyi.Role{RoleAnalyst, RoleSupervisor}},
	{"/trends", "nav.trends", []minyi.Role{RoleAnalyst, RoleSupervisor}},
	{"/alerts", "nav.alerts", []minyi.Role{RoleAnalyst}},
	{"/admin/departments", "nav.departments", []minyi.Role{RoleAdmin}},
	{"/admin/rules", "nav.rules", []minyi.Role{RoleAdmin}},
	{"/admin/deadlines", "nav.deadlines", []minyi.Role{RoleAdmin}},
	{"/admin/sources", "nav.sources", []minyi.Role{RoleAdmin}},
	{"/admin/users", "nav.users", []minyi.Role{RoleAdmin}},
	{"/admin/audit", "nav.audit", []minyi.Role{RoleAdmin}},
	{"/admin/import", "nav.import", []minyi.Role{RoleAdmin}},
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
func (s *Server) render(c echo.Context, status int, name, title string, data any) error {
	all, err := loadPages()
	if err != nil {
		return err
	}
	t, ok := all[name]
	if !ok {
		return minyi.Errorf(minyi.EINTERNAL, "no page template %q", name)
	}
	u := principal(c)
	p := Page{Title: title, User: u, CSRF: csrfToken(c), Nav: navFor(u), Active: c.Request().URL.Path, Data: data}
	if f, ok := c.Get(flashKey).(string); ok {
		p.Flash = f
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

const flashKey = "minyi.flash"

// csrfTokenKey is where the session middleware leaves the form token.
const csrfTokenKey = "minyi.csrf"

func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfTokenKey).(string)
	return t
}

// wantsHTML tells a browser (which asks for text/html) from an API client.
func wantsHTML(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return false
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html")
}

// page guards a web page: without a user it sends the browser to the login
// page and back afterwards; a user of another role gets a 403 page.
func (s *Server) page(roles ...minyi.Role) echo.MiddlewareFunc {
	if len(roles) == 0 {
		roles = minyi.Roles // people only: an intake client has no pages
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := s.authenticate(c)
			if u == nil {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			c.Set(principalKey, u)
			noStore(c)
			if !slices.Contains(roles, u.Role) {
				s.denied(c, u)
				return minyi.Errorf(minyi.EFORBIDDEN, "%s", labels.T("error.role_forbidden"))
			}
			return next(c)
		}
	}
}

// home sends a user to their role's first page.
func (s *Server) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, homeFor(principal(c)))
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

// securityHeaders are on every response: no sniffing, no framing, no
// referrer leaving the site, and a CSP that allows only our own scripts and
// styles, which is why no page has inline script or style.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setSecurityHeaders(c.Response().Header())
		return next(c)
	}
}

func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
}

// WithSecurityHeaders gives a handler outside the echo server (readiness,
// a worker's probes) the headers every answer of ours carries.
func WithSecurityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		h.ServeHTTP(w, r)
	})
}

func (s *Server) webRoutes(e *echo.Echo) {
	e.GET("/static/*", staticHandler())
	e.GET("/", s.home, s.page())
	e.GET(apiDocPath, s.apiDocPage, s.page())
	s.analystRoutes(e)
	s.casePages(e)
	s.accountRoutes(e)
	s.adminRoutes(e)
}
