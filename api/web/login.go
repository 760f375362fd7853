package web

import (
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// loginData is the login page's data.
type loginData struct {
	Login, Next, Error string
	Demo               bool
}

// safeNext keeps a redirect after login on this site.
func safeNext(next string) string {
	// One slash and then a path: "//host", "/\\host" and a slash followed by a
	// tab or newline (which browsers drop, leaving "//host") all lead away.
	if len(next) == 0 || next[0] != '/' || len(next) > 1 && (next[1] == '/' || next[1] == '\\') ||
		strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/logout") {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' || unicode.IsControl(r) {
			return ""
		}
	}
	return next
}

func (s *server) loginPage(c echo.Context) error {
	s.LoginToken(c)
	return s.render(c, http.StatusOK, "login", labels.T("login.title"),
		loginData{Next: safeNext(c.QueryParam("next")), Demo: s.Demo})
}

// renderLogin shows the login form again, with a fresh token.
func (s *server) renderLogin(c echo.Context, status int, data loginData) error {
	s.LoginToken(c)
	return s.render(c, status, "login", labels.T("login.title"), data)
}

func (s *server) login(c echo.Context) error {
	ctx := c.Request().Context()
	name := strings.ToLower(strings.TrimSpace(c.FormValue("login")))
	pw := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	data := loginData{Login: name, Next: next, Demo: s.Demo}
	now := s.Now()
	keys := []string{"login:" + name, "addr:" + c.RealIP()}
	if !s.LoginTokenOK(c) {
		data.Error = labels.T("login.expired")
		return s.renderLogin(c, http.StatusForbidden, data)
	}

	locked, lockedKey, try := s.Logins().Begin(keys, now)
	if try == nil {
		s.Audit(c, minyi.AuditEntry{Action: minyi.AuditLoginFailed, Target: name, Detail: labels.Tf("audit.reason.locked", lockName(lockedKey))})
		data.Error = labels.Tf("login.locked", int(locked.Minutes())+1)
		return s.renderLogin(c, http.StatusTooManyRequests, data)
	}
	if try.Slow {
		select {
		case <-time.After(core.ThrottleDelay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}

	u, err := s.Store.User(ctx, name)
	if err != nil && minyi.ErrorCode(err) != minyi.ENOTFOUND {
		return err
	}
	ok := false
	if u != nil {
		ok = core.CheckPassword(u.PasswordHash, pw)
	} else {
		core.CheckPassword(string(core.DummyHash), pw)
	}
	if !ok || u.Disabled {
		reason := labels.T("audit.reason.wrong_password")
		data.Error = labels.T("login.failed")
		switch {
		case u == nil:
			reason = labels.T("audit.reason.unknown")
		case ok && u.Disabled:
			reason, data.Error = labels.T("audit.reason.disabled"), labels.T("login.disabled")
		}
		s.Audit(c, minyi.AuditEntry{Action: minyi.AuditLoginFailed, Target: name, Detail: reason})
		for _, k := range try.Locked {
			s.Logger.Warn("login locked after repeated failures", "key", k, "for", core.ThrottleLockFor)
			s.Audit(c, minyi.AuditEntry{Action: minyi.AuditLocked, Target: lockName(k),
				Detail: labels.Tf("audit.reason.lock", core.ThrottleLockAfter, int(core.ThrottleLockFor.Minutes()))})
		}
		return s.renderLogin(c, http.StatusUnauthorized, data)
	}
	try.Succeeded(keys[0])
	u.LastLogin = now
	if err := s.Store.UpdateUser(ctx, *u); err != nil {
		return err
	}
	s.EndSession(c)
	if err := s.StartSession(c, u); err != nil {
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditLogin})
	if next == "" {
		next = homeFor(u)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// lockName shows a throttle key ("login:x", "addr:y") in words.
func lockName(key string) string {
	kind, v, _ := strings.Cut(key, ":")
	if kind == "addr" {
		return labels.Tf("audit.lock_addr", v)
	}
	return labels.Tf("audit.lock_login", v)
}

func (s *server) logout(c echo.Context) error {
	if u := s.Authenticate(c); u != nil {
		s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditLogout})
	}
	s.EndSession(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
