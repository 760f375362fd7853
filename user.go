package minyi

import (
	"strings"
	"time"
)

// Role is what a user may do (DESIGN.md "Users"). A user is a role and, for
// a department user, the department it acts for: minyi keeps nothing else
// about the people who use it.
type Role string

const (
	RoleAnalyst    Role = "analyst"    // searches posts, reads trends; never contact data
	RoleDepartment Role = "department" // acts on the cases assigned to its department
	RoleSupervisor Role = "supervisor" // decides extensions, reassigns, records 回访, exports
	RoleAdmin      Role = "admin"      // sources, departments, rules, users
	// RoleIntake is a machine client that delivers letters (a city's
	// mailbox bridge, a hotline system) for the channels it is configured
	// for, and may do nothing else. It never logs in: it exists only as a
	// token in the configuration file.
	RoleIntake Role = "intake"
)

// Roles lists the roles of people, in the order a form offers them.
var Roles = []Role{RoleAnalyst, RoleDepartment, RoleSupervisor, RoleAdmin}

// Valid tells a known role from anything else.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return r == RoleIntake
}

// Label is the role's Chinese name, as pages show it.
func (r Role) Label() string {
	switch r {
	case RoleAnalyst:
		return "舆情分析"
	case RoleDepartment:
		return "承办单位"
	case RoleSupervisor:
		return "督查"
	case RoleAdmin:
		return "管理员"
	case RoleIntake:
		return "来信接入"
	}
	return string(r)
}

// User is someone who logs in, or an API client acting for them.
type User struct {
	Login      string `json:"login"` // unique, lower case; the key
	Name       string `json:"name"`  // display name, e.g. 市住建局 办理员
	Role       Role   `json:"role"`
	Department string `json:"department,omitempty"` // department id, for RoleDepartment only
	// Sources are the channels an intake client may deliver letters for
	// (RoleIntake only; "*" for any). Not stored: intake clients are
	// configured, never created in the store.
	Sources      []string  `json:"sources,omitempty"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	LastLogin    time.Time `json:"last_login,omitzero"`
	Created      time.Time `json:"created,omitzero"`
}

// DisplayName is the name to greet a user with.
func (u *User) DisplayName() string {
	if strings.TrimSpace(u.Name) != "" {
		return u.Name
	}
	return u.Login
}

// Validate reports what is wrong with a user before it is stored.
func (u *User) Validate() error {
	switch {
	case strings.TrimSpace(u.Login) == "":
		return Errorf(EINVALID, "user has no login name")
	case u.Login != strings.ToLower(strings.TrimSpace(u.Login)):
		return Errorf(EINVALID, "login name %q must be lower case without spaces around it", u.Login)
	case !u.Role.Valid():
		return Errorf(EINVALID, "user %q: role must be analyst, department, supervisor, admin or intake, got %q", u.Login, u.Role)
	case u.Role == RoleDepartment && u.Department == "":
		return Errorf(EINVALID, "user %q: a department user needs a department", u.Login)
	case u.Role != RoleDepartment && u.Department != "":
		return Errorf(EINVALID, "user %q: only department users have a department", u.Login)
	case u.Role == RoleIntake:
		return Errorf(EINVALID, "user %q: an intake client is configured in the configuration file's users, with its token and sources, not stored as a person", u.Login)
	}
	return nil
}

// MayDeliverFor tells whether u may deliver letters for source: intake
// clients for their own sources only, nobody else at all.
func (u *User) MayDeliverFor(source string) bool {
	if u.Role != RoleIntake {
		return false
	}
	for _, s := range u.Sources {
		if s == source || s == "*" {
			return true
		}
	}
	return false
}

// SeesAllDepartments tells roles that are not confined to one department.
func (u *User) SeesAllDepartments() bool { return u.Role != RoleDepartment }
