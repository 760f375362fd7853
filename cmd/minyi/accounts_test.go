package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"minyi"
	"minyi/api/core"
	"minyi/routing"
	"minyi/store/sqlite"
)

func TestDemoAccountsAreCreatedOnce(t *testing.T) {
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	depts := routing.DemoConfig().Departments
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{Demo: true}
	if err := setupAccounts(ctx, cfg, store, depts, logger); err != nil {
		t.Fatal(err)
	}
	users, _ := store.Users(ctx)
	if len(users) != 3+len(depts) {
		t.Fatalf("%d demo users, want %d", len(users), 3+len(depts))
	}
	u, err := store.User(ctx, depts[0].ID)
	if err != nil || u.Role != minyi.RoleDepartment || u.Department != depts[0].ID {
		t.Fatalf("department account: %+v %v", u, err)
	}
	// A second start keeps what is there, a changed password included.
	h, _ := core.HashPassword("changed-99")
	u.PasswordHash = h
	store.UpdateUser(ctx, *u)
	if err := setupAccounts(ctx, cfg, store, depts, logger); err != nil {
		t.Fatal(err)
	}
	again, _ := store.Users(ctx)
	u2, _ := store.User(ctx, depts[0].ID)
	if len(again) != len(users) || u2.PasswordHash != h {
		t.Fatalf("second start changed the accounts")
	}
}

func TestRealInstallNeedsAUser(t *testing.T) {
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	err = setupAccounts(ctx, Config{}, store, nil, logger)
	if err == nil || !strings.Contains(err.Error(), "minyi user add") {
		t.Fatalf("no users, no tokens: %v, want a refusal naming `minyi user add`", err)
	}
	if err := setupAccounts(ctx, Config{Users: []core.TokenUser{{Name: "ops", Token: "0123456789abcdefgh", Role: core.RoleAdmin}}}, store, nil, logger); err != nil {
		t.Fatalf("config tokens are enough: %v", err)
	}
	store.Close()

	// The CLI makes the first admin, in the store the config names.
	cfgFile := writeFile(t, dir, "city.yaml", "demo: true\ndata_dir: "+dir+"\n")
	var out bytes.Buffer
	run := func(stdin string, args ...string) error {
		out.Reset()
		return runUser(ctx, append(args, "--config", cfgFile), strings.NewReader(stdin), &out)
	}
	if err := run("short\n", "add", "-login", "admin", "-role", "admin"); err == nil || !strings.Contains(err.Error(), "8") {
		t.Errorf("weak password accepted: %v", err)
	}
	if err := run("first-admin1\n", "add", "-login", "admin", "-name", "管理员", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := run("", "add", "-login", "admin", "-role", "admin", "-password", "other-pass1"); err == nil {
		t.Error("a second admin with the same login was created")
	}
	if err := run("", "passwd", "-login", "admin", "-password", "second-pass2"); err != nil {
		t.Fatal(err)
	}
	if err := run("", "disable", "-login", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := run("", "list"); err != nil || !strings.Contains(out.String(), "admin") || !strings.Contains(out.String(), "disabled") {
		t.Fatalf("list: %v\n%s", err, out.String())
	}
	if err := run("", "disable", "-login", "admin", "-enable"); err != nil {
		t.Fatal(err)
	}
	if err := run("", "passwd", "-login", "nobody", "-password", "second-pass2"); err == nil {
		t.Error("passwd of an unknown user succeeded")
	}
}
