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
)

// Roles lists the roles in the order a form offers them.
var Roles = []Role{RoleAnalyst, RoleDepartment, RoleSupervisor, RoleAdmin}

// Valid tells a known role from anything else.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
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
	}
	return string(r)
}

// User is someone who logs in, or an API client acting for them.
type User struct {
	Login        string    `json:"login"` // unique, lower case; the key
	Name         string    `json:"name"`  // display name, e.g. 市住建局 办理员
	Role         Role      `json:"role"`
	Department   string    `json:"department,omitempty"` // department id, for RoleDepartment only
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
		return Errorf(EINVALID, "user %q: role must be analyst, department, supervisor or admin, got %q", u.Login, u.Role)
	case u.Role == RoleDepartment && u.Department == "":
		return Errorf(EINVALID, "user %q: a department user needs a department", u.Login)
	case u.Role != RoleDepartment && u.Department != "":
		return Errorf(EINVALID, "user %q: only department users have a department", u.Login)
	}
	return nil
}

// SeesAllDepartments tells roles that are not confined to one department.
func (u *User) SeesAllDepartments() bool { return u.Role != RoleDepartment }
