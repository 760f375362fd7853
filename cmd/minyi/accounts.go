package main

import (
	"context"
	"fmt"
	"log/slog"

	"minyi/api/core"

	"golang.org/x/crypto/bcrypt"

	"minyi"
)

// demoPassword is every demo account's password; it exists only in demo mode.
const demoPassword = "minyi-demo"

// demoAccounts are the demo's logins: one per role and one per department
// (its id), all with demoPassword.
// Only the logins want accepts are made (hashing takes a while).
func demoAccounts(depts []minyi.Department, want func(login string) bool) ([]minyi.User, error) {
	type acct struct {
		login, name string
		role        minyi.Role
		dept        string
	}
	list := []acct{
		{"admin", "演示 管理员", minyi.RoleAdmin, ""},
		{"supervisor", "演示 督查室", minyi.RoleSupervisor, ""},
		{"analyst", "演示 舆情分析", minyi.RoleAnalyst, ""},
	}
	for _, d := range depts {
		list = append(list, acct{d.ID, d.Name, minyi.RoleDepartment, d.ID})
	}
	var users []minyi.User
	for _, a := range list {
		if !want(a.login) {
			continue
		}
		// The demo password is known by design and is exempt from the
		// password rule (it has no digit); real accounts go through
		// core.NewUser, which applies it.
		u := minyi.User{Login: a.login, Name: a.name, Role: a.role, Department: a.dept}
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.login, err)
		}
		h, err := bcrypt.GenerateFromPassword([]byte(demoPassword), bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = string(h)
		users = append(users, u)
	}
	return users, nil
}

// setupAccounts gives the demo its accounts (idempotent: existing ones are
// left alone, a changed password included) and refuses a real install that
// nobody could log in to.
func setupAccounts(ctx context.Context, cfg Config, store minyi.Store, depts []minyi.Department, logger *slog.Logger) error {
	existing, err := store.Users(ctx)
	if err != nil {
		return fmt.Errorf("reading users: %w", err)
	}
	if !cfg.Demo {
		if len(existing) == 0 && len(cfg.Users) == 0 {
			return fmt.Errorf("no user can log in: the store has no users and the config no tokens; " +
				"create the first admin with `minyi user add --config <file> -login admin -role admin` and start again")
		}
		return nil
	}
	have := map[string]bool{}
	for _, u := range existing {
		have[u.Login] = true
	}
	missing, err := demoAccounts(depts, func(login string) bool { return !have[login] })
	if err != nil {
		return err
	}
	if _, err := core.EnsureUsers(ctx, store, missing); err != nil {
		return fmt.Errorf("creating demo accounts: %w", err)
	}
	logins := []string{"admin", "supervisor", "analyst"}
	for _, d := range depts {
		logins = append(logins, d.ID)
	}
	logger.Info("demo accounts (log in at the web interface)", "logins", logins, "password", demoPassword)
	return nil
}
