package activities

import (
	"errors"
	"net/http"
	"testing"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/notify"
)

func TestNotifyRecipients(t *testing.T) {
	f := newFixture(t)
	due := monday.AddDate(0, 0, 21)
	f.must(t, nil, f.acts.Notify, Notice{Kind: minyi.NoticeAssigned, CaseID: "case-1", Title: "工地噪音", Department: "ecology", Due: due})
	f.must(t, nil, f.acts.Notify, Notice{Kind: minyi.NoticeSupervise, CaseID: "case-1", Title: "工地噪音", Department: "ecology", Supervisor: true})
	// A department without a webhook still reaches the supervisors on 督办.
	f.must(t, nil, f.acts.Notify, Notice{Kind: minyi.NoticeSupervise, CaseID: "case-2", Department: "urban", Supervisor: true})

	dept, head, sup := f.hooks.dept.notifications(), f.hooks.head.notifications(), f.hooks.supervisors.notifications()
	if len(dept) != 2 || len(head) != 1 || len(sup) != 2 {
		t.Fatalf("department %d, head %d, supervisors %d notifications; want 2, 1, 2", len(dept), len(head), len(sup))
	}
	n := dept[0]
	if n.Kind != "assigned" || n.CaseID != "case-1" || !n.Due.Equal(due) || n.URL != "https://minyi.example.gov.cn/api/cases/case-1" {
		t.Errorf("assignment notice %+v", n)
	}
	if head[0].Kind != string(minyi.RungSupervise) || sup[1].CaseID != "case-2" || sup[1].Department != "urban" {
		t.Errorf("督办 notices: head %+v, supervisors %+v", head, sup)
	}
}

func TestNotifyFailures(t *testing.T) {
	f := newFixture(t)
	n := Notice{Kind: minyi.NoticeUrge, CaseID: "case-1", Department: "ecology"}
	// A webhook that is down fails the attempt, so Temporal retries it.
	f.hooks.dept.answer(http.StatusServiceUnavailable)
	err := f.run(t, nil, f.acts.Notify, n)
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != "notify" || app.NonRetryable() {
		t.Errorf("webhook down: %v, want a retryable notify error", err)
	}
	// A webhook that can never work (gone) is logged and dropped.
	f.hooks.dept.answer(http.StatusNotFound)
	if err := f.run(t, nil, f.acts.Notify, n); err != nil {
		t.Errorf("webhook gone: %v, want the notice dropped", err)
	}
	if got := len(f.hooks.dept.notifications()); got != 2 {
		t.Errorf("%d deliveries attempted, want 2", got)
	}
}

// A major 舆情事件 reaches the leaders, and only them; without leaders
// configured it reaches nobody and is no failure.
func TestNotifyLeaders(t *testing.T) {
	f := newFixture(t)
	leaders := newHook(t)
	f.acts.Recipients.Leaders = notify.Webhook{URL: leaders.URL}
	n := Notice{Kind: minyi.NoticeIncident, Leaders: true, CaseID: "incident-1", Title: "供暖不热", Department: "ecology", Text: "重大"}
	f.must(t, nil, f.acts.Notify, n)
	got := leaders.notifications()
	if len(got) != 1 || got[0].Kind != "incident" || got[0].CaseID != "incident-1" {
		t.Fatalf("leaders got %+v", got)
	}
	if d, s := len(f.hooks.dept.notifications()), len(f.hooks.supervisors.notifications()); d != 0 || s != 0 {
		t.Errorf("the leaders' notice reached the department (%d) or supervisors (%d)", d, s)
	}
	f.acts.Recipients.Leaders = nil
	f.must(t, nil, f.acts.Notify, n)
}
