package main

import (
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/activities"
	"minyi/routing"
)

func TestAlertsConfig(t *testing.T) {
	cfg, err := fillDefaults(defaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Alerts.AlertRule != minyi.DefaultAlertRule {
		t.Errorf("rule %+v, want the default", cfg.Alerts.AlertRule)
	}
	// The demo's noise subscription opens cases: its rule sends the alert's
	// message to ecology, ahead of the keyword rules that would also match.
	r, err := routing.New(cfg.Routing)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	al := activities.Alert{Key: "k", Subscription: "noise", Keyword: "噪音", Title: "舆情预警：“噪音”负面信息激增",
		Text: "关键词“噪音”：负面 9 … 物业 电梯 拆迁", Start: end.Add(-time.Hour), End: end}
	body := al.Text + "\n" + activities.SubscriptionMarker(al.Subscription)
	got, ok := r.Route(routing.Input{Title: al.Title, Body: body, Source: activities.AlertSource, Kind: minyi.KindMessage})
	if !ok || got.Department != "ecology" || got.Rule != "alert-noise" {
		t.Errorf("alert routed %+v, want ecology by alert-noise", got)
	}

	for name, c := range map[string]struct {
		alerts AlertsConfig
		want   string
	}{
		"no name":      {AlertsConfig{Subscriptions: []activities.Subscription{{Keyword: "噪音"}}}, "no name"},
		"no keyword":   {AlertsConfig{Subscriptions: []activities.Subscription{{Name: "x"}}}, "keyword"},
		"unknown dep":  {AlertsConfig{Subscriptions: []activities.Subscription{{Name: "x", Keyword: "噪音", Department: "nope"}}}, "nope"},
		"case, no dep": {AlertsConfig{Subscriptions: []activities.Subscription{{Name: "x", Keyword: "噪音", OpenCase: true}}}, "open_case"},
		"twice":        {AlertsConfig{Subscriptions: []activities.Subscription{{Name: "x", Keyword: "a"}, {Name: "x", Keyword: "b"}}}, "two subscriptions"},
		"factor":       {AlertsConfig{AlertRule: minyi.AlertRule{Factor: 0.5}}, "factor"},
	} {
		cfg := defaultConfig()
		cfg.Alerts = c.alerts
		if _, err := fillDefaults(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one about %q", name, err, c.want)
		}
	}
}
