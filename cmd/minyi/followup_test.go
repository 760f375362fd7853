package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/activities"
	"minyi/notify"
)

// A citizen's 追问 reaches the handling department's webhook at once, with
// the case and what was asked; a case with no department tells no one.
func TestFollowUpNoticeReachesTheDepartment(t *testing.T) {
	got := make(chan string, 2)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	defer hook.Close()
	f := followUpNotices{logger: slog.Default(), acts: &activities.Activities{Logger: slog.Default(),
		Recipients: activities.Recipients{Departments: map[string]notify.Notifier{"housing": notify.Webhook{URL: hook.URL}}}}}

	f.FollowedUp(minyi.Case{ID: "case-unassigned", Title: "路灯"}, "还没修")
	f.FollowedUp(minyi.Case{ID: "case-1", Title: "人民路路灯不亮", Department: "housing"}, "另一盏也坏了")
	select {
	case body := <-got:
		for _, want := range []string{`"follow_up"`, "case-1", "人民路路灯不亮", "另一盏也坏了", "housing"} {
			if !strings.Contains(body, want) {
				t.Errorf("notice %s lacks %s", body, want)
			}
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no notice reached the department's webhook")
	}
	select {
	case body := <-got:
		t.Errorf("a second notice: %s", body)
	case <-time.After(200 * time.Millisecond):
	}
}
