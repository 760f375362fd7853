// Package core is the server every staff audience of the HTTP layer stands
// on: an echo server over the root interfaces (Store, Index) and a Temporal
// client that starts ingestion, with its middleware, the one error writer,
// sessions, CSRF, the login throttle, tokens and authorization, and the
// case, statistics and export services that the JSON API (api/rest) and
// the staff pages (api/web) share. It imports neither; package api mounts
// both on it.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
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

// Ingester hands a stored document to the ingest pipeline.
type Ingester interface {
	Ingest(ctx context.Context, doc minyi.Document) error
}

// Workdays counts working days (calendar.Calendar).
type Workdays interface {
	// WorkdaysBetween counts the working days after a's date up to b's,
	// negative when b is before a.
	WorkdaysBetween(a, b time.Time) int
}

// CaseUpdater carries an action to the case workflow and returns the case
// after it. update is one of the workflows.Update* names and arg its request.
type CaseUpdater interface {
	UpdateCase(ctx context.Context, caseID, update string, arg any) (minyi.Case, error)
}

// DefaultMaxBodyBytes bounds a request body; a larger one is a 413.
const DefaultMaxBodyBytes = 1 << 20

// Server serves the API.
type Server struct {
	Store        minyi.Store
	Index        minyi.Index
	Ingester     Ingester
	Logger       *slog.Logger
	MaxBodyBytes int64
	Now          func() time.Time
	// Users may call the case, statistics and export endpoints (auth.go).
	Users []TokenUser
	// Departments name the department ids in statistics and exports; the
	// Admin.Router's departments, which the admin pages edit, take over when set.
	Departments []minyi.Department
	// Cases carries department and supervisor actions to the case workflows.
	Cases CaseUpdater
	// Reports delivers a report when it is published; nil publishes
	// without delivering.
	Reports ReportDeliverer
	// Incidents starts the case workflow of each 舆情事件 raised; nil
	// refuses to raise one.
	Incidents IncidentStarter
	// Alerts keeps the keyword subscriptions the alerts page edits; nil
	// shows the page without them.
	Alerts AlertBook
	// Calendar counts the working days left on the inbox; without one the
	// inbox shows "—".
	Calendar Workdays
	// AttachmentDir keeps the files uploaded with replies (under the data
	// dir); without one a reply takes no files.
	AttachmentDir string
	// Demo shows the demo accounts' hint on the login page.
	Demo bool
	// SessionIdle and SessionMax end sessions (defaults 30 min and 12 h).
	SessionIdle, SessionMax time.Duration
	// Admin is what the admin pages show and do (web/admin.go).
	Admin *Admin
	// TrustedProxies are the TLS-terminating proxies in front of the
	// server: from them, and only from them, X-Forwarded-Proto makes the
	// session cookie Secure and X-Forwarded-For names the client's address
	// (for the login lock).
	TrustedProxies []netip.Prefix

	echo   *echo.Echo
	users  []authUser
	logins Throttle
}

// audiences mount their routes on the server's echo, and errorPage
// renders an error for a browser; the api package, which knows the
// audiences, sets both (Mount).
var (
	audiences []func(*Server, *echo.Echo)
	errorPage = func(c echo.Context, status int, title string, data any) error {
		return minyi.Errorf(minyi.EINTERNAL, "no error page")
	}
)

// Mount sets the audiences whose routes Handler registers, in order, and
// the page an error is to a browser.
func Mount(page func(c echo.Context, status int, title string, data any) error, mounts ...func(*Server, *echo.Echo)) {
	errorPage, audiences = page, mounts
}

// Handler builds the routes; call it once.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// The client's address is the peer's, or what a configured proxy says
	// it is: nobody else dodges (or aims) the per-address login lock with
	// a header.
	e.IPExtractor = echo.ExtractIPDirect()
	if len(s.TrustedProxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, p := range s.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(prefixNet(p)))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	e.Use(middleware.Recover())
	e.Use(httpx.SecurityHeaders)
	e.Use(s.requestLog)
	e.Use(metricsMiddleware)
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: BodyLimit(s.MaxBodyBytes),
		// A reply with attachments and an import upload have their own,
		// larger limits (web/cases.go, web/admin.go).
		Skipper: func(c echo.Context) bool { return c.Path() == ReplyFormPath || isUpload(c) }}))
	e.Use(s.csrfProtect)

	e.GET("/healthz", s.healthz)
	s.loadUsers()
	for _, mount := range audiences {
		mount(s, e)
	}
	s.echo = e
	return e
}

func prefixNet(p netip.Prefix) *net.IPNet {
	p = p.Masked()
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

// Routes lists every route Handler registered, for tests that must reach
// all of them (the route fuzzer).
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

func (s *Server) healthz(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := s.Store.CountDocuments(ctx); err != nil {
		return err
	}
	if _, err := s.Index.Count(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// Health answers GET /healthz.
type Health struct {
	Status string `json:"status"`
}

func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.Logger.Debug("http", "method", c.Request().Method, "path", c.Path(),
			"status", c.Response().Status, "took", time.Since(start))
		return nil
	}
}

// httpStatus maps domain error codes to HTTP, the one place that knows both.
var httpStatus = map[string]int{
	minyi.ECONFLICT:     http.StatusConflict,
	minyi.EINVALID:      http.StatusBadRequest,
	minyi.ENOTFOUND:     http.StatusNotFound,
	minyi.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	minyi.EFORBIDDEN:    http.StatusForbidden,
	minyi.EUNAUTHORIZED: http.StatusUnauthorized,
	minyi.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	minyi.EUNAVAILABLE:  http.StatusServiceUnavailable,
	minyi.EINTERNAL:     http.StatusInternalServerError,
}

// retryAfterSeconds is what a 503 asks a client to wait: about the time the
// intake's own retries take to notice that a dependency is back.
const retryAfterSeconds = "5"

// echoCodes gives echo's own errors (unknown route, body too large) a domain code.
var echoCodes = map[int]string{
	http.StatusNotFound:              minyi.ENOTFOUND,
	http.StatusMethodNotAllowed:      minyi.EINVALID,
	http.StatusRequestEntityTooLarge: minyi.ETOOLARGE,
	http.StatusBadRequest:            minyi.EINVALID,
	http.StatusUnsupportedMediaType:  minyi.EINVALID,
}

// ErrorBody is every error answer's JSON, the one shape the contract documents.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var body ErrorBody
	var he *echo.HTTPError
	status := http.StatusInternalServerError
	if errors.As(err, &he) && echoCodes[he.Code] != "" {
		status, body.Error.Code = he.Code, echoCodes[he.Code]
		body.Error.Message = http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			body.Error.Message = m
		}
	} else {
		body.Error.Code, body.Error.Message = minyi.ErrorCode(err), minyi.ErrorMessage(err)
		status = httpStatus[body.Error.Code]
	}
	if status == http.StatusForbidden {
		s.auditDenial(c, body.Error.Message)
	}
	if status == http.StatusServiceUnavailable {
		// A dependency is down for a moment: a client should come back, and
		// nothing it sent was acknowledged.
		c.Response().Header().Set("Retry-After", retryAfterSeconds)
	}
	if status >= 500 {
		s.Logger.Error("http request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	if wantsHTML(c) {
		if status >= 500 || he != nil && echoCodes[he.Code] != "" && body.Error.Message == http.StatusText(he.Code) {
			// echo's own English status text, or an internal detail: a
			// person reads the Chinese name of the status instead.
			body.Error.Message = labels.T(fmt.Sprintf("error.%d", status))
		}
		data := struct {
			Status  int
			Message string
		}{status, body.Error.Message}
		title := labels.T(fmt.Sprintf("error.%d", status))
		if strings.HasPrefix(title, "error.") {
			title = labels.T("error.title")
		}
		if err := errorPage(c, status, title, data); err == nil {
			return
		}
	}
	if err := c.JSON(status, body); err != nil {
		s.Logger.Warn("writing error response", "err", err)
	}
}

// isUpload tells the body limit to leave the history upload to its own.
func isUpload(c echo.Context) bool {
	r := c.Request()
	return r.Method == http.MethodPost && r.URL.Path == "/admin/import"
}

// csrfTokenKey is where the session middleware leaves the form token.
const csrfTokenKey = "minyi.csrf"

func CSRFToken(c echo.Context) string {
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
