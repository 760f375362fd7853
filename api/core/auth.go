package core

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
)

// The roles, as the route table names them.
const (
	RoleAnalyst    = minyi.RoleAnalyst
	RoleDepartment = minyi.RoleDepartment
	RoleSupervisor = minyi.RoleSupervisor
	RoleAdmin      = minyi.RoleAdmin
	RoleIntake     = minyi.RoleIntake
)

// MinTokenLength keeps guessable tokens out of the configuration.
const MinTokenLength = 16

// TokenUser is an API client from the configuration file: a name, a bearer
// token and the role it acts in.
type TokenUser struct {
	Name       string     `yaml:"name" json:"name"`
	Token      string     `yaml:"token" json:"-"`
	Role       minyi.Role `yaml:"role" json:"role"`
	Department string     `yaml:"department" json:"department,omitempty"`
	// Sources are the channels an intake client delivers letters for.
	Sources []string `yaml:"sources" json:"sources,omitempty"`
}

// Validate tells what is wrong with one configured user.
func (u TokenUser) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return minyi.Errorf(minyi.EINVALID, "user has no name")
	case len(u.Token) < MinTokenLength:
		return minyi.Errorf(minyi.EINVALID, "user %q: token must have at least %d characters", u.Name, MinTokenLength)
	case !u.Role.Valid():
		return minyi.Errorf(minyi.EINVALID, "user %q: role must be analyst, department, supervisor, admin or intake, got %q", u.Name, u.Role)
	case u.Role == RoleDepartment && u.Department == "":
		return minyi.Errorf(minyi.EINVALID, "user %q: a department user needs a department", u.Name)
	case u.Role != RoleDepartment && u.Department != "":
		return minyi.Errorf(minyi.EINVALID, "user %q: only department users have a department", u.Name)
	case u.Role == RoleIntake && len(u.Sources) == 0:
		return minyi.Errorf(minyi.EINVALID, "user %q: an intake client needs the sources it delivers letters for (sources: [hotline] or [\"*\"])", u.Name)
	case u.Role != RoleIntake && len(u.Sources) > 0:
		return minyi.Errorf(minyi.EINVALID, "user %q: only intake clients have sources", u.Name)
	}
	return nil
}

// ValidateUsers checks every user and that no token is shared, since a
// token is the whole identity. departments, when given, are the known ids.
func ValidateUsers(users []TokenUser, departments []minyi.Department) error {
	tokens := map[string]string{}
	for _, u := range users {
		if err := u.Validate(); err != nil {
			return err
		}
		if other, dup := tokens[u.Token]; dup {
			return minyi.Errorf(minyi.EINVALID, "users %q and %q have the same token", other, u.Name)
		}
		tokens[u.Token] = u.Name
		if u.Department != "" && len(departments) > 0 &&
			!slices.ContainsFunc(departments, func(d minyi.Department) bool { return d.ID == u.Department }) {
			return minyi.Errorf(minyi.EINVALID, "user %q: unknown department %q", u.Name, u.Department)
		}
	}
	return nil
}

const PrincipalKey = "minyi.principal"

// Principal is the authenticated user of a request; only set behind authorize.
func Principal(c echo.Context) *minyi.User {
	u, _ := c.Get(PrincipalKey).(*minyi.User)
	return u
}

// NoStore keeps every answer to a user out of browser and proxy caches: a
// case page or a case's JSON carries a petitioner's contact data, and a
// shared computer's cache is no place for it.
func NoStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}

// deniedKey marks a request whose refusal is already in the audit log.
const deniedKey = "minyi.denied"

// Denied writes a permission denial to the audit log.
func (s *Server) Denied(c echo.Context, u *minyi.User) {
	c.Set(deniedKey, true)
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditDenied,
		Target: c.Request().Method + " " + c.Request().URL.Path, Detail: string(u.Role)})
}

// auditDenial logs a 403 that no guard logged on its way out: a
// department refused another department's case, file, action or filter is
// refused deep in a handler, and every such refusal belongs in the log.
func (s *Server) auditDenial(c echo.Context, why string) {
	u := Principal(c)
	if u == nil || c.Get(deniedKey) != nil {
		return
	}
	c.Set(deniedKey, true)
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditDenied,
		Target: c.Request().Method + " " + c.Request().URL.Path, Detail: string(u.Role) + ": " + clipDetail(why)})
}

// clipDetail keeps an audit detail to a line a person reads.
func clipDetail(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}

// Authorize requires a user (a bearer token or a session) of one of roles (any
// staff role when none is given, never an intake client): 401 without a valid
// token, 403 for another role.
func (s *Server) Authorize(roles ...minyi.Role) echo.MiddlewareFunc {
	if len(roles) == 0 {
		roles = minyi.Roles
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := s.Authenticate(c)
			if u == nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="minyi"`)
				return minyi.Errorf(minyi.EUNAUTHORIZED, "a valid bearer token or a login is required")
			}
			c.Set(PrincipalKey, u)
			NoStore(c)
			if !slices.Contains(roles, u.Role) {
				s.Denied(c, u)
				return minyi.Errorf(minyi.EFORBIDDEN, "role %s may not do this", u.Role)
			}
			return next(c)
		}
	}
}

// userFor finds the user of an Authorization header. Tokens are compared as
// digests in constant time, and every user is compared, so neither the
// token's length nor which user matched shows in the response time.
func (s *Server) userFor(header string) *minyi.User {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil
	}
	got := sha256.Sum256([]byte(token))
	var found *minyi.User
	for i := range s.users {
		if subtle.ConstantTimeCompare(got[:], s.users[i].digest[:]) == 1 {
			u := s.users[i].User
			found = &u
		}
	}
	return found
}

// authUser is a configured user with its token digest, computed once.
type authUser struct {
	minyi.User
	digest [sha256.Size]byte
}

// loadUsers keeps the valid users; an invalid one is logged and cannot log
// in, rather than taking the whole API down. Configuration loading should
// reject it earlier with ValidateUsers.
func (s *Server) loadUsers() {
	s.users = nil
	seen := map[string]bool{}
	for _, u := range s.Users {
		if err := u.Validate(); err != nil {
			s.Logger.Error("ignoring API user", "err", minyi.ErrorMessage(err))
			continue
		}
		if seen[u.Token] {
			s.Logger.Error("ignoring API user with a token another user has", "user", u.Name)
			continue
		}
		seen[u.Token] = true
		s.users = append(s.users, authUser{
			User:   minyi.User{Login: u.Name, Name: u.Name, Role: u.Role, Department: u.Department, Sources: u.Sources},
			digest: sha256.Sum256([]byte(u.Token)),
		})
	}
}

// DepartmentScope returns the department a principal is confined to ("" for
// roles that see every department) and rejects asking for another one.
func DepartmentScope(u *minyi.User, asked string) (string, error) {
	if u.Role != RoleDepartment {
		return asked, nil
	}
	if asked != "" && asked != u.Department {
		return "", minyi.Errorf(minyi.EFORBIDDEN, "department %s may only see its own cases", u.Department)
	}
	return u.Department, nil
}

// mayActOn rejects a department user touching a case assigned elsewhere.
func mayActOn(u *minyi.User, c *minyi.Case) error {
	if u.Role == RoleDepartment && c.Department != u.Department {
		return minyi.Errorf(minyi.EFORBIDDEN, "case %s is not assigned to department %s", c.ID, u.Department)
	}
	return nil
}

// MayRead refuses a department a letter that is not one of its own: every
// forum post is public, but a letter is read only by the departments its
// case was assigned to, now or before (a reassigned case stays readable to
// the department that worked on it).
func (s *Server) MayRead(c echo.Context, doc *minyi.Document) error {
	u := Principal(c)
	if u.Role != RoleDepartment || doc.Kind != minyi.KindMessage {
		return nil
	}
	ctx := c.Request().Context()
	cs, err := s.Store.Case(ctx, minyi.CaseIDFor(doc.ID))
	switch {
	case err == nil && cs.Department == u.Department:
		return nil
	case err == nil:
		events, err := s.Store.CaseEvents(ctx, cs.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			if e.Department == u.Department {
				return nil
			}
		}
	case minyi.ErrorCode(err) != minyi.ENOTFOUND:
		return err
	}
	return minyi.Errorf(minyi.EFORBIDDEN, "this letter is not assigned to department %s", u.Department)
}

// ScopeSearch confines a department's searches to the public forum posts:
// the index does not know which department a letter belongs to, so no
// letter reaches a department through a hit, a facet count or a topic
// group; its own letters are in its inbox.
func (s *Server) ScopeSearch(c echo.Context, q *minyi.SearchQuery) error {
	u := Principal(c)
	if u.Role != RoleDepartment {
		return nil
	}
	if q.Kind == minyi.KindMessage {
		return minyi.Errorf(minyi.EFORBIDDEN, "a department searches the forum posts; its own letters are in its inbox")
	}
	q.Kind = minyi.KindPost
	return nil
}

// MaySeeContact tells whether the petitioner's contact data may be shown:
// to the handling department and to supervisors and admins, never to analysts.
func MaySeeContact(u *minyi.User, c *minyi.Case) bool {
	switch u.Role {
	case RoleSupervisor, RoleAdmin:
		return true
	case RoleDepartment:
		return c.Department != "" && c.Department == u.Department
	}
	return false
}
