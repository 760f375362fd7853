package core

import (
	"context"
	"strings"

	"minyi"
)

// NewUser checks and hashes a new account; the CLI and the admin page
// share it.
func NewUser(login, name string, role minyi.Role, department, password string, departments []minyi.Department) (minyi.User, error) {
	u := minyi.User{Login: strings.ToLower(strings.TrimSpace(login)), Name: strings.TrimSpace(name), Role: role}
	if role == RoleDepartment {
		u.Department = strings.TrimSpace(department)
	}
	if err := u.Validate(); err != nil {
		return u, err
	}
	if u.Department != "" && len(departments) > 0 && !departmentKnown(departments, u.Department) {
		return u, minyi.Errorf(minyi.EINVALID, "unknown department %q", u.Department)
	}
	h, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	u.PasswordHash = h
	return u, nil
}

func departmentKnown(depts []minyi.Department, id string) bool {
	for _, d := range depts {
		if d.ID == id {
			return true
		}
	}
	return false
}

// EnsureUsers creates the users that do not exist yet, leaving existing
// ones alone (the demo's accounts, created at every start). It returns the
// logins it created.
func EnsureUsers(ctx context.Context, store minyi.AccountStore, users []minyi.User) ([]string, error) {
	var created []string
	for _, u := range users {
		err := store.CreateUser(ctx, u)
		switch {
		case err == nil:
			created = append(created, u.Login)
		case minyi.ErrorCode(err) == minyi.ECONFLICT:
		default:
			return created, err
		}
	}
	return created, nil
}
