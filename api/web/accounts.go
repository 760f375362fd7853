package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

func (s *server) accountRoutes(e *echo.Echo) {
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
	anyone := s.page()
	e.GET("/account", s.accountPage, anyone)
	e.POST("/account", s.changePassword, anyone)
	e.POST("/account/tokens", s.createToken, anyone)
	e.POST("/account/tokens/:id/delete", s.revokeToken, anyone)
	admin := s.page(core.RoleAdmin)
	e.GET("/admin/users", s.usersPage, admin)
	e.POST("/admin/users", s.createUser, admin)
	e.POST("/admin/users/:login/disable", s.setDisabled(true), admin)
	e.POST("/admin/users/:login/enable", s.setDisabled(false), admin)
	e.POST("/admin/users/:login/password", s.resetPassword, admin)
	e.GET("/admin/audit", s.auditPage, admin)
	e.GET("/admin/audit.csv", s.auditCSV, admin)
}

// accountData is the account page's data.
type accountData struct {
	Error    string
	Tokens   []minyi.APIToken
	NewToken string // shown once, right after it was made
	Stored   bool   // the user is in the store (not a configured token)
}

func (s *server) renderAccount(c echo.Context, status int, d accountData) error {
	u := core.Principal(c)
	ctx := c.Request().Context()
	if _, err := s.Store.User(ctx, u.Login); err == nil {
		d.Stored = true
		toks, err := s.Store.APITokens(ctx, u.Login)
		if err != nil {
			return err
		}
		d.Tokens = toks
	} else if minyi.ErrorCode(err) != minyi.ENOTFOUND {
		return err
	}
	return s.render(c, status, "account", labels.T("account.title"), d)
}

func (s *server) accountPage(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, accountData{})
}

// formError re-renders a form with a user's mistake; anything else is a
// real error.
func formError(err error) (int, string, bool) {
	switch minyi.ErrorCode(err) {
	case minyi.EINVALID:
		return http.StatusBadRequest, minyi.ErrorMessage(err), true
	case minyi.ECONFLICT:
		return http.StatusConflict, minyi.ErrorMessage(err), true
	case minyi.ENOTFOUND:
		return http.StatusNotFound, minyi.ErrorMessage(err), true
	}
	return 0, "", false
}

func (s *server) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	err := func() error {
		u, err := s.Store.User(ctx, core.Principal(c).Login)
		if err != nil {
			return err
		}
		if !core.CheckPassword(u.PasswordHash, c.FormValue("current")) {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("account.wrong_current"))
		}
		if c.FormValue("new") != c.FormValue("confirm") {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("account.mismatch"))
		}
		h, err := core.HashPassword(c.FormValue("new"))
		if err != nil {
			return err
		}
		u.PasswordHash = h
		if err := s.Store.UpdateUser(ctx, *u); err != nil {
			return err
		}
		// Every other session and every API token of the user ends: whoever
		// knew the old password may have made one. This session starts anew.
		if err := s.endAccess(ctx, u.Login); err != nil {
			return err
		}
		s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditPassword, Target: u.Login})
		return s.StartSession(c, u)
	}()
	if status, msg, ok := formError(err); ok {
		return s.renderAccount(c, status, accountData{Error: msg})
	} else if err != nil {
		return err
	}
	c.Set(flashKey, labels.T("account.changed"))
	return s.renderAccount(c, http.StatusOK, accountData{})
}

func (s *server) createToken(c echo.Context) error {
	ctx := c.Request().Context()
	u := core.Principal(c)
	if _, err := s.Store.User(ctx, u.Login); err != nil {
		if status, msg, ok := formError(err); ok {
			return s.renderAccount(c, status, accountData{Error: msg})
		}
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		name = "API"
	}
	if len([]rune(name)) > 100 {
		return s.renderAccount(c, http.StatusBadRequest, accountData{Error: labels.T("token.name_long")})
	}
	token := "minyi_" + core.RandomToken(24)
	t := minyi.APIToken{ID: core.RandomToken(9), Login: u.Login, Name: name, TokenHash: core.HashSecret(token), Created: s.Now()}
	if err := s.Store.CreateAPIToken(ctx, t); err != nil {
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditTokenCreate, Target: t.ID, Detail: name})
	c.Set(flashKey, labels.T("token.created"))
	return s.renderAccount(c, http.StatusCreated, accountData{NewToken: token})
}

func (s *server) revokeToken(c echo.Context) error {
	u := core.Principal(c)
	id := c.Param("id")
	if err := s.Store.DeleteAPIToken(c.Request().Context(), u.Login, id); err != nil {
		if status, msg, ok := formError(err); ok {
			return s.renderAccount(c, status, accountData{Error: msg})
		}
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditTokenRevoke, Target: id})
	c.Set(flashKey, labels.T("token.revoked"))
	return s.renderAccount(c, http.StatusOK, accountData{})
}

// usersData is the user administration page's data.
type usersData struct {
	Error       string
	Users       []minyi.User
	Roles       []minyi.Role
	Departments []minyi.Department
	Form        minyi.User // what was typed, kept after a mistake
}

func (s *server) renderUsers(c echo.Context, status int, d usersData) error {
	users, err := s.Store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	d.Users, d.Roles, d.Departments = users, minyi.Roles, s.DepartmentList()
	return s.render(c, status, "users", labels.T("users.title"), d)
}

func (s *server) usersPage(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersData{})
}

func (s *server) createUser(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := core.NewUser(c.FormValue("login"), c.FormValue("name"), minyi.Role(c.FormValue("role")),
		c.FormValue("department"), c.FormValue("password"), s.DepartmentList())
	if err == nil {
		u.Created = s.Now()
		err = s.Store.CreateUser(ctx, u)
	}
	if status, msg, ok := formError(err); ok {
		u.PasswordHash = ""
		return s.renderUsers(c, status, usersData{Error: msg, Form: u})
	} else if err != nil {
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditUserAdd, Target: u.Login,
		Detail: strings.TrimSpace(string(u.Role) + " " + u.Department)})
	c.Set(flashKey, labels.Tf("users.created", u.Login))
	return s.renderUsers(c, http.StatusCreated, usersData{})
}

// updateUser loads login, applies change, stores it and ends the user's
// sessions when end is set.
func (s *server) updateUser(ctx context.Context, login string, end bool, change func(*minyi.User) error) error {
	u, err := s.Store.User(ctx, login)
	if err != nil {
		return err
	}
	if err := change(u); err != nil {
		return err
	}
	if err := s.Store.UpdateUser(ctx, *u); err != nil {
		return err
	}
	if end {
		return s.endAccess(ctx, login)
	}
	return nil
}

// endAccess logs a user out everywhere and revokes their API tokens, after
// a password is changed or reset or the account is disabled.
func (s *server) endAccess(ctx context.Context, login string) error {
	if err := s.Store.DeleteUserSessions(ctx, login); err != nil {
		return err
	}
	tokens, err := s.Store.APITokens(ctx, login)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if err := s.Store.DeleteAPIToken(ctx, login, t.ID); err != nil && minyi.ErrorCode(err) != minyi.ENOTFOUND {
			return err
		}
	}
	return nil
}

func (s *server) setDisabled(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		login, me := c.Param("login"), core.Principal(c)
		err := s.updateUser(c.Request().Context(), login, disabled, func(u *minyi.User) error {
			if disabled && u.Login == me.Login {
				return minyi.Errorf(minyi.EINVALID, "%s", labels.T("users.not_self"))
			}
			u.Disabled = disabled
			return nil
		})
		if status, msg, ok := formError(err); ok {
			return s.renderUsers(c, status, usersData{Error: msg})
		} else if err != nil {
			return err
		}
		action, flash := minyi.AuditUserEnable, "users.enabled"
		if disabled {
			action, flash = minyi.AuditUserDisable, "users.disabled"
		}
		s.Audit(c, minyi.AuditEntry{Actor: me.Login, Action: action, Target: login})
		c.Set(flashKey, labels.Tf(flash, login))
		return s.renderUsers(c, http.StatusOK, usersData{})
	}
}

func (s *server) resetPassword(c echo.Context) error {
	login := c.Param("login")
	err := s.updateUser(c.Request().Context(), login, true, func(u *minyi.User) error {
		h, err := core.HashPassword(c.FormValue("password"))
		u.PasswordHash = h
		return err
	})
	if status, msg, ok := formError(err); ok {
		return s.renderUsers(c, status, usersData{Error: msg})
	} else if err != nil {
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditPasswordSet, Target: login})
	c.Set(flashKey, labels.Tf("users.password_set", login))
	return s.renderUsers(c, http.StatusOK, usersData{})
}

// auditLimit is how many entries the audit page shows; the CSV holds up
// to auditExportLimit, the newest first.
const (
	auditLimit       = 500
	auditExportLimit = 100_000
)

// auditCSV exports the audit log for an inspection, itself an audited export.
func (s *server) auditCSV(c echo.Context) error {
	entries, err := s.Store.Audit(c.Request().Context(), auditExportLimit)
	if err != nil {
		return err
	}
	header := []string{labels.T("audit.at"), labels.T("audit.actor"), labels.T("audit.action"), labels.T("audit.target"),
		labels.T("audit.detail"), labels.T("audit.address")}
	return s.WriteCSV(c, "audit.csv", header, func(emit func([]any) error) error {
		for _, e := range entries {
			if err := emit([]any{e.At, e.Actor, actionLabel(e.Action), e.Target, e.Detail, e.Address}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *server) auditPage(c echo.Context) error {
	entries, err := s.Store.Audit(c.Request().Context(), auditLimit)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "audit", labels.T("audit.title"), entries)
}
