package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// Session lifetimes: a session ends after SessionIdle without a request and
// SessionMax after login, whichever comes first.
const (
	DefaultSessionIdle = 30 * time.Minute
	DefaultSessionMax  = 12 * time.Hour
	SessionCookie      = "minyi_session"
	// touchEvery bounds the writes a busy session causes.
	touchEvery = time.Minute
)

const (
	authnKey  = "minyi.authn" // *authn, cached per request
	viaToken  = "token"
	viaCookie = "session"
)

// authn is how a request was authenticated.
type authn struct {
	user    *minyi.User
	via     string // viaToken or viaCookie
	session *minyi.Session
}

func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Authenticate finds the user of a request: a bearer token (from the
// configuration, then a user's API token), else the session cookie. A
// request that sends an Authorization header is judged by it alone. The
// session's CSRF token is left in the context for the pages.
func (s *Server) Authenticate(c echo.Context) *minyi.User {
	if a, ok := c.Get(authnKey).(*authn); ok {
		return a.user
	}
	a := s.findUser(c)
	c.Set(authnKey, a)
	if a.session != nil {
		c.Set(csrfTokenKey, a.session.CSRF)
	}
	return a.user
}

func (s *Server) findUser(c echo.Context) *authn {
	ctx := c.Request().Context()
	if header := c.Request().Header.Get(echo.HeaderAuthorization); header != "" {
		if u := s.userFor(header); u != nil {
			return &authn{user: u, via: viaToken}
		}
		scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || s.Store == nil {
			return &authn{}
		}
		t, err := s.Store.APITokenByHash(ctx, HashSecret(token))
		if err != nil {
			return &authn{}
		}
		u, err := s.Store.User(ctx, t.Login)
		if err != nil || u.Disabled {
			return &authn{}
		}
		if now := s.Now(); now.Sub(t.LastUsed) > touchEvery {
			if err := s.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
				s.Logger.Warn("recording API token use", "err", err)
			}
		}
		return &authn{user: u, via: viaToken}
	}
	ck, err := c.Cookie(SessionCookie)
	if err != nil || ck.Value == "" || s.Store == nil {
		return &authn{}
	}
	idHash := HashSecret(ck.Value)
	ses, err := s.Store.Session(ctx, idHash)
	if err != nil {
		return &authn{}
	}
	now := s.Now()
	if now.Sub(ses.LastSeen) > s.sessionIdle() || now.Sub(ses.Created) > s.sessionMax() {
		if err := s.Store.DeleteSession(ctx, idHash); err != nil {
			s.Logger.Warn("deleting an expired session", "err", err)
		}
		return &authn{}
	}
	u, err := s.Store.User(ctx, ses.Login)
	if err != nil || u.Disabled {
		return &authn{}
	}
	if now.Sub(ses.LastSeen) > touchEvery {
		if err := s.Store.TouchSession(ctx, idHash, now); err != nil {
			s.Logger.Warn("touching session", "err", err)
		}
	}
	return &authn{user: u, via: viaCookie, session: ses}
}

func (s *Server) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return DefaultSessionIdle
}

func (s *Server) sessionMax() time.Duration {
	if s.SessionMax > 0 {
		return s.SessionMax
	}
	return DefaultSessionMax
}

// StartSession logs u in: a new session in the store and its cookie.
func (s *Server) StartSession(c echo.Context, u *minyi.User) error {
	value := RandomToken(32)
	now := s.Now()
	ses := minyi.Session{IDHash: HashSecret(value), Login: u.Login, CSRF: RandomToken(24), Created: now, LastSeen: now}
	if err := s.Store.CreateSession(c.Request().Context(), ses); err != nil {
		return err
	}
	c.SetCookie(s.cookie(c, value, int(s.sessionMax().Seconds())))
	c.Set(authnKey, &authn{user: u, via: viaCookie, session: &ses})
	c.Set(csrfTokenKey, ses.CSRF)
	return nil
}

func (s *Server) cookie(c echo.Context, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	}
}

// secure tells a request that reached the browser over TLS: its own, or a
// proxy's that says so. X-Forwarded-Proto counts only from a configured
// proxy, since anyone else can send it.
func (s *Server) secure(c echo.Context) bool {
	return c.Request().TLS != nil || s.fromTrustedProxy(c) && strings.EqualFold(c.Request().Header.Get("X-Forwarded-Proto"), "https")
}

func (s *Server) fromTrustedProxy(c echo.Context) bool {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

// LoginCSRFCookie ties the login form to the browser that loaded it: a
// page elsewhere cannot post the form and log a visitor into an account of
// its choosing (login CSRF), since it can neither read nor set the cookie.
const LoginCSRFCookie = "minyi_login"

// LoginToken puts a fresh pre-session token in the login form and its
// cookie; a logged-in user's form carries the session's token instead.
func (s *Server) LoginToken(c echo.Context) {
	if s.Authenticate(c) != nil {
		return
	}
	tok := RandomToken(24)
	c.SetCookie(&http.Cookie{Name: LoginCSRFCookie, Value: tok, Path: "/login", MaxAge: 2 * 3600,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(c)})
	c.Set(csrfTokenKey, tok)
}

// LoginTokenOK checks a login post's token against its cookie. A post
// with a session was checked against the session by csrfProtect.
func (s *Server) LoginTokenOK(c echo.Context) bool {
	if a, _ := c.Get(authnKey).(*authn); a != nil && a.via == viaCookie {
		return true
	}
	ck, err := c.Cookie(LoginCSRFCookie)
	got := c.FormValue("csrf")
	return err == nil && ck.Value != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ck.Value)) == 1
}

// EndSession logs the request's session out and clears the cookie.
func (s *Server) EndSession(c echo.Context) {
	if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
		if err := s.Store.DeleteSession(c.Request().Context(), HashSecret(ck.Value)); err != nil {
			s.Logger.Warn("deleting session", "err", err)
		}
	}
	c.SetCookie(s.cookie(c, "", -1))
}

// csrfProtect rejects a state-changing request authenticated by a session
// cookie unless it carries the session's token, as form field csrf or
// header X-CSRF-Token. Bearer-token clients need none: a browser never
// sends their token by itself.
func (s *Server) csrfProtect(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		s.Authenticate(c)
		a, _ := c.Get(authnKey).(*authn)
		if a == nil || a.via != viaCookie {
			return next(c)
		}
		got := c.Request().Header.Get("X-CSRF-Token")
		switch {
		case got != "":
		case strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm):
			// An upload carries the token in its action URL: reading a
			// form field would parse (and buffer) the whole body first,
			// before the handler can stream it to disk.
			got = c.QueryParam("csrf")
		default:
			got = c.FormValue("csrf")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.session.CSRF)) != 1 {
			s.Audit(c, minyi.AuditEntry{Actor: a.user.Login, Action: minyi.AuditCSRFRejected, Target: c.Request().URL.Path})
			c.Set(deniedKey, true)      // logged as what it is, not again as a denial
			c.Set(PrincipalKey, a.user) // the error page shows the user's navigation
			return minyi.Errorf(minyi.EFORBIDDEN, "%s", labels.T("error.csrf"))
		}
		return next(c)
	}
}

// Audit appends to the audit log; a failure to write it is logged, not
// shown to the user.
func (s *Server) Audit(c echo.Context, e minyi.AuditEntry) {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	if e.Address == "" {
		e.Address = c.RealIP()
	}
	if s.Store == nil {
		return
	}
	if err := s.Store.AppendAudit(context.WithoutCancel(c.Request().Context()), e); err != nil {
		s.Logger.Error("writing the audit log", "action", e.Action, "err", err)
	}
}
