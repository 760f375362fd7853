// Package portal is the citizen's side of minyi: anonymous pages on their
// own listen address, meant for the internet, where a citizen writes a
// letter, gets its number and 查询码, tracks it, reads the reply, rates it
// and asks a follow-up (追问), and where anyone reads the letters their
// writers allowed to publish and the month's reply rates (通报); plus
// Open311 GeoReport v2 under /open311/v2/.
//
// It stands on the root package, httpx and labels, and reaches none of the
// staff's code (arch_test.go): what it may do is the few services of
// Portal, which cmd/minyi wires. A letter goes through the same intake as
// every other (stored with an outbox mark, then ingested: routing,
// deadline, case). No page shows a petitioner's name, phone, e-mail or
// address; an unpublished letter shows only to its 查询码.
package portal

import (
	"context"
	"crypto/rand"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"
)

// Store is what the portal reads and writes of the system of record.
type Store interface {
	minyi.PortalStore
	Case(ctx context.Context, id string) (*minyi.Case, error)
	CaseEvents(ctx context.Context, caseID string) ([]minyi.CaseEvent, error)
	AppendCaseEvents(ctx context.Context, events []minyi.CaseEvent) error
	DepartmentStats(ctx context.Context, from, to, now time.Time) ([]minyi.DepartmentStats, error)
	AppendAudit(ctx context.Context, e minyi.AuditEntry) error
}

// Intake hands a stored letter to the ingest pipeline, as POST
// /api/messages does; the outbox ingests it if this fails.
type Intake interface {
	Ingest(ctx context.Context, doc minyi.Document) error
}

// Rater gives a case the citizen's rating through the case workflow (its
// rate update), which reopens a case rated dissatisfied as 重办 once.
type Rater interface {
	Rate(ctx context.Context, caseID string, r minyi.Rating, comment string) (minyi.Case, error)
}

// Deadlines is the deadline policy: the working days a letter of a type
// has, and the due date of one received at a time.
type Deadlines interface {
	Plan(t minyi.MessageType, received time.Time) (workdays int, due time.Time)
}

// Mailer sends a letter's number and 查询码 to the address its writer gave.
type Mailer interface {
	SendCode(ctx context.Context, to, number, code string) error
}

// FollowUps tells the handling department of a citizen's 追问, event e of
// case c, already on the case's timeline. It must return quickly: the
// citizen's page waits for it.
type FollowUps interface {
	FollowedUp(ctx context.Context, c minyi.Case, e minyi.CaseEvent) error
}

// Portal is the public site; fill in its services and call Handler once.
type Portal struct {
	Store     Store
	Intake    Intake
	Rater     Rater
	Deadlines Deadlines
	Mailer    Mailer      // optional: without one the 查询码 is only shown
	Photos    PhotoKeeper // optional: without one the form takes no photos
	FollowUps FollowUps   // optional: without it a 追问 is only on the case's timeline
	Files     ReplyFiles  // optional: without it the writer sees the reply's text only
	// Departments names the departments (ids in cases) on public pages.
	Departments func() []minyi.Department
	// FollowUpDays is how long after the reply a follow-up (追问) joins
	// the case; default 15.
	FollowUpDays int
	// PublicStats shows the month's reply rates by department (通报).
	PublicStats bool
	// Open311Keys are the API keys that may post requests to Open311.
	Open311Keys []string
	// TrustedProxies may name the client's address in X-Forwarded-For.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	Now            func() time.Time
	// Secret signs the challenges; a random one when empty (challenges
	// then do not survive a restart, which only costs a reload).
	Secret []byte

	echo    *echo.Echo
	pages   map[string]*template.Template
	limits  limits
	seen    *nonces
	secret  []byte
	mailing chan codeMail
}

var (
	//go:embed templates
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// Handler builds the routes; call it once.
func (p *Portal) Handler() http.Handler {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.FollowUpDays <= 0 {
		p.FollowUpDays = 15
	}
	if p.Departments == nil {
		p.Departments = func() []minyi.Department { return nil }
	}
	p.secret = p.Secret
	if len(p.secret) == 0 {
		p.secret = make([]byte, 32)
		rand.Read(p.secret)
	}
	p.limits = newLimits()
	p.seen = newNonces(100_000)
	pages, err := loadPages()
	if err != nil {
		panic(err) // the embedded templates are tested
	}
	p.pages = pages
	p.startMailer()

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = p.handleError
	e.IPExtractor = ipExtractor(p.TrustedProxies)
	e.Use(middleware.Recover())
	e.Use(httpx.SecurityHeaders)
	// A letter is text, and the form's photos have their own limit.
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "256K",
		Skipper: func(c echo.Context) bool {
			return c.Path() == "/write" && c.Request().Method == http.MethodPost &&
				strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
		}}))
	e.Use(sameOrigin)

	e.GET("/", p.home)
	e.GET("/write", p.writeForm)
	e.POST("/write", p.write, middleware.BodyLimit(writeBodyLimit))
	e.GET("/track", p.trackForm)
	e.POST("/track", p.track)
	e.POST("/rate", p.rate)
	e.POST("/followup", p.followUp)
	e.POST("/track/file", p.replyFile)
	e.GET("/letters", p.letters)
	e.GET("/letters/:number", p.letter)
	e.GET("/stats", p.stats)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	static, _ := fs.Sub(staticFS, "static")
	e.StaticFS("/static", static)
	p.open311Routes(e.Group("/open311/v2"))
	p.echo = e
	return e
}

// Routes lists the portal's routes, for the route fuzzer.
func (p *Portal) Routes() []*echo.Route { return p.echo.Routes() }

// page is what every template receives.
type page struct {
	Title string
	Nav   string // the active entry of the navigation
	Stats bool   // the 通报 is public
	Data  any
}

func loadPages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t":  labels.T,
		"tf": labels.Tf,
		"date": func(t time.Time) string {
			if t.IsZero() {
				return labels.T("common.none")
			}
			return t.In(minyi.ChinaTime).Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return labels.T("common.none")
			}
			return t.In(minyi.ChinaTime).Format("2006-01-02 15:04")
		},
		"pct": func(r *float64) string {
			if r == nil {
				return labels.T("common.none")
			}
			return formatPct(*r)
		},
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		pages[n[len("templates/"):len(n)-len(".html")]] = t
	}
	return pages, nil
}

func (p *Portal) render(c echo.Context, status int, name string, pg page) error {
	t, ok := p.pages[name]
	if !ok {
		return minyi.Errorf(minyi.EINTERNAL, "no page %q", name)
	}
	pg.Stats = p.PublicStats
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return t.ExecuteTemplate(c.Response(), "layout.html", pg)
}

// handleError answers an error as a page, or in Open311's format under
// /open311/: the message of a minyi error, never an internal detail.
func (p *Portal) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := statusOf(err)
	msg := message(err, status)
	if status >= 500 {
		p.Logger.Error("portal", "path", c.Request().URL.Path, "err", err)
	}
	if isOpen311(c) {
		p.open311Error(c, status, msg)
		return
	}
	if err := p.render(c, status, "error", page{Title: labels.T("portal.error.title"), Data: msg}); err != nil {
		p.Logger.Error("portal: rendering an error", "err", err)
	}
}

func (p *Portal) home(c echo.Context) error {
	return p.render(c, http.StatusOK, "home", page{Title: labels.T("portal.title"), Nav: "home", Data: p.PublicStats})
}

// departmentName is a department's public name, its id when unknown.
func (p *Portal) departmentName(id string) string {
	for _, d := range p.Departments() {
		if d.ID == id {
			return d.Name
		}
	}
	return id
}
