package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/api/core"
	"minyi/workflows"
)

// alertBook is the core.AlertBook of the running app: the keyword
// subscriptions in memory, seeded from the configuration, and every change
// written to the alert schedule so the next check uses it. Changes last
// until the process restarts; the versioned settings store (table
// settings, migration 0008) will keep them once it has Go code.
//
// Raised alerts are read from the alert workflows' results in Temporal.
type alertBook struct {
	client client.Client
	cfg    AlertsConfig
	logger *slog.Logger

	mu   sync.Mutex
	subs []activities.Subscription
	// configured are the names from the config file: only they have the
	// routing rule an open_case subscription needs.
	configured map[string]bool
}

func newAlertBook(c client.Client, cfg AlertsConfig, logger *slog.Logger) *alertBook {
	b := &alertBook{client: c, cfg: cfg, logger: logger, subs: slices.Clone(cfg.Subscriptions), configured: map[string]bool{}}
	for _, s := range cfg.Subscriptions {
		b.configured[s.Name] = true
	}
	return b
}

func (b *alertBook) Subscriptions(context.Context) ([]core.AlertSubscription, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]core.AlertSubscription, len(b.subs))
	for i, s := range b.subs {
		out[i] = core.AlertSubscription{Name: s.Name, Keyword: s.Keyword, Department: s.Department, OpenCase: s.OpenCase}
	}
	return out, nil
}

func (b *alertBook) AddSubscription(ctx context.Context, s core.AlertSubscription, author string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if slices.ContainsFunc(b.subs, func(x activities.Subscription) bool { return x.Name == s.Name }) {
		return minyi.Errorf(minyi.ECONFLICT, "已有名为“%s”的订阅", s.Name)
	}
	if s.OpenCase && !b.configured[s.Name] {
		// The case an alert opens is routed by a rule made from the config
		// at start (fillAlerts); a subscription added here has none yet.
		return minyi.Errorf(minyi.EINVALID, "预警立案交办的订阅目前须写在配置文件 alerts.subscriptions 中（需要分派规则）；可先添加不立案的订阅")
	}
	next := append(slices.Clone(b.subs), activities.Subscription{Name: s.Name, Keyword: s.Keyword, Department: s.Department, OpenCase: s.OpenCase})
	if err := b.apply(ctx, next); err != nil {
		return err
	}
	b.logger.Info("alert subscription added", "name", s.Name, "keyword", s.Keyword, "by", author)
	return nil
}

func (b *alertBook) RemoveSubscription(ctx context.Context, name, author string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.IndexFunc(b.subs, func(x activities.Subscription) bool { return x.Name == name })
	if i < 0 {
		return minyi.Errorf(minyi.ENOTFOUND, "没有名为“%s”的订阅", name)
	}
	next := slices.Delete(slices.Clone(b.subs), i, i+1)
	if err := b.apply(ctx, next); err != nil {
		return err
	}
	b.logger.Info("alert subscription removed", "name", name, "by", author)
	return nil
}

// apply updates the alert schedule, then the list; called with mu held.
func (b *alertBook) apply(ctx context.Context, subs []activities.Subscription) error {
	cfg := b.cfg
	cfg.Subscriptions = subs
	if err := ensureAlertSchedule(ctx, b.client, cfg); err != nil {
		return fmt.Errorf("updating the alert schedule: %w", err)
	}
	b.subs = subs
	return nil
}

// Raised lists the alerts of the latest completed alert workflows.
func (b *alertBook) Raised(ctx context.Context, limit int) ([]core.RaisedAlert, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	resp, err := b.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		PageSize: int32(min(limit, 100)),
		Query:    "WorkflowType = 'AlertWorkflow' AND ExecutionStatus = 'Completed'",
	})
	if err != nil {
		return nil, fmt.Errorf("listing alert workflows: %w", err)
	}
	var out []core.RaisedAlert
	for _, ex := range resp.Executions {
		var res workflows.AlertResult
		if err := b.client.GetWorkflow(ctx, ex.Execution.WorkflowId, ex.Execution.RunId).Get(ctx, &res); err != nil {
			b.logger.Warn("reading an alert workflow's result", "workflow", ex.Execution.WorkflowId, "err", err)
			continue
		}
		for _, key := range res.Alerts {
			out = append(out, raisedFromKey(key, b.cfg.Window))
			if len(out) == limit {
				return out, nil
			}
		}
	}
	return out, nil
}

// raisedFromKey reads what an alert's key says: what it watched and its
// window (activities.AlertKey).
func raisedFromKey(key string, window time.Duration) core.RaisedAlert {
	what, at, _ := strings.Cut(key, "@")
	r := core.RaisedAlert{Key: key, Title: "舆情预警：" + what}
	if t, err := time.Parse("2006-01-02T15:04Z", at); err == nil {
		r.Start, r.End = t, t.Add(window)
	}
	switch kind, name, _ := strings.Cut(what, ":"); kind {
	case "keyword":
		r.Title = fmt.Sprintf("舆情预警：订阅“%s”负面信息激增", name)
	case "topic":
		r.Title = fmt.Sprintf("舆情预警：话题 %s 负面信息激增", name)
	}
	return r
}
