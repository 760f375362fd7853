package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/core"
	"minyi/deadline"
	"minyi/demosite"
	"minyi/routing"
	"minyi/store/sqlite"
)

// TestRoutingSeedAndStored: the first start saves the config's routing,
// without the generated alert rules, as version 1 by "config"; later starts
// take the stored version over the file and leave it alone.
func TestRoutingSeedAndStored(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg, err := fillDefaults(Config{DataDir: t.TempDir(), Routing: routing.DemoConfig(),
		Sources: []minyi.Source{demosite.MailboxSource("http://127.0.0.1:9")},
		Users:   demoUsers(routing.DemoConfig().Departments), Deadlines: deadline.DefaultPolicy(),
		Alerts: AlertsConfig{Subscriptions: testSubscriptions()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.alertRules) == 0 {
		t.Fatal("no generated alert rules")
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	rc, err := loadRouting(ctx, cfg, store, logger)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Rules) != len(routing.DemoConfig().Rules) {
		t.Fatalf("seed has %d rules, want the config's %d", len(rc.Rules), len(routing.DemoConfig().Rules))
	}
	if err := seedRouting(ctx, store, rc); err != nil {
		t.Fatal(err)
	}
	set, err := store.Setting(ctx, core.RoutingSetting)
	if err != nil || set.Version != 1 || set.Author != "config" || strings.Contains(string(set.Value), "alert-") {
		t.Fatalf("seed: %+v %v", set, err)
	}

	edited := rc
	edited.Rules = edited.Rules[:1]
	value, _ := core.EncodeRouting(edited)
	if _, err := store.PutSetting(ctx, core.RoutingSetting, 1, value, "admin", time.Now()); err != nil {
		t.Fatal(err)
	}
	rc, err = loadRouting(ctx, cfg, store, logger)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Rules) != 1 {
		t.Fatalf("after the admin's edit the start took %d rules, want the stored 1", len(rc.Rules))
	}
	if err := seedRouting(ctx, store, rc); err != nil {
		t.Fatal(err)
	}
	if set, _ := store.Setting(ctx, core.RoutingSetting); set.Version != 2 {
		t.Fatalf("a later start wrote version %d", set.Version)
	}
	r, err := routing.New(core.WithGenerated(rc, cfg.alertRules))
	if err != nil {
		t.Fatal(err)
	}
	gen := cfg.alertRules[0]
	got, ok := r.Route(routing.Input{Source: gen.Sources[0], Title: gen.Keywords[0] + " 预警", Kind: minyi.KindMessage})
	if !ok || got.Rule != gen.Name {
		t.Fatalf("an alert routes %+v, want the generated rule %s on top of the stored ones", got, gen.Name)
	}
}
