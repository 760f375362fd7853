package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/api/core"
	"minyi/api/rest"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/demosite"
	"minyi/routing"
	"minyi/workflows"
)

var supervisor = demoToken("supervisor")

// waitCases polls until source ("" for all) has n cases and settled says
// they are ready.
func (ta *testApp) waitCases(t *testing.T, source string, n int, settled func([]minyi.Case) bool) []minyi.Case {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		cases := ta.cases(t, source)
		if (n < 0 || len(cases) == n) && settled(cases) {
			return cases
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d cases of %q after 3 minutes, want %d settled", len(cases), source, n)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func (ta *testApp) cases(t *testing.T, source string) []minyi.Case {
	var list rest.CaseList
	if code := ta.do(t, http.MethodGet, "/api/cases?page_size=100", supervisor, nil, &list); code != http.StatusOK {
		t.Fatalf("listing cases: %d", code)
	}
	var cases []minyi.Case
	for _, c := range list.Cases {
		if source == "" || c.Source == source {
			cases = append(cases, c)
		}
	}
	return cases
}

// TestCasesEndToEnd: demo mailbox letters crawled over HTTP become case
// workflows on the real Temporal server; they are routed, old ones escalate,
// departments answer through the API, and the stats add up.
func TestCasesEndToEnd(t *testing.T) {
	now := time.Now()
	start := now.In(minyi.ChinaTime).Truncate(24*time.Hour).AddDate(0, 0, -40)
	ta := startTestApp(t, demosite.Options{Seed: 3, Threads: 3, Letters: 30, Start: start, Now: time.Now})
	letters := ta.site.Letters()
	router, _ := routing.New(routing.DemoConfig())
	cal, _ := calendar.New(nil)
	policy := deadline.DefaultPolicy()

	res := ta.crawl(t, "demo-mailbox", false)
	if res.Run.NewItems != len(letters) {
		t.Fatalf("crawled %d letters, want %d", res.Run.NewItems, len(letters))
	}
	byDoc := map[string]demosite.Letter{}
	answered := 0
	for _, l := range letters {
		byDoc[minyi.DocumentID("demo-mailbox", l.No)] = l
		if !l.ReplyTime.IsZero() {
			answered++
		}
	}
	cases := ta.waitCases(t, "demo-mailbox", len(letters), func(cs []minyi.Case) bool {
		n := 0
		for _, c := range cs {
			if !c.Answered.IsZero() {
				n++ // answered, or already closed when the rating window has passed
			}
		}
		return n == answered
	})

	t.Run("every letter is routed and answered where the site shows a reply", func(t *testing.T) {
		for _, c := range cases {
			l := byDoc[c.DocumentID]
			typ, _ := routing.ParseType(l.Type)
			due := policy.Plan(cal, "demo-mailbox", typ, l.Published).Due
			if !c.Due.Equal(due) || c.MessageType != typ {
				t.Errorf("%s (%s): due %v type %s, want %v %s", c.ID, l.No, c.Due, c.MessageType, due, typ)
			}
			if c.Routing == nil || c.Routing.Reason == "" {
				t.Errorf("%s: no routing reason", c.ID)
			}
			if l.ReplyTime.IsZero() {
				continue
			}
			unit, _ := router.Directory().ByName(l.ReplyUnit)
			if c.Department != unit.ID || !c.Answered.Equal(l.ReplyTime) || c.OnTime != !l.ReplyTime.After(due) {
				t.Errorf("%s: %s answered %v on time %v; want %s %v %v", c.ID, c.Department, c.Answered, c.OnTime,
					unit.ID, l.ReplyTime, !l.ReplyTime.After(due))
			}
		}
	})

	// An unanswered letter whose 催办 date is long past.
	var late minyi.Case
	for _, c := range cases {
		if c.Status == minyi.CaseOpen && now.After(cal.AddWorkdays(c.Due, 2)) {
			late = c
			break
		}
	}
	if late.ID == "" {
		t.Fatal("the demo data has no long-overdue open letter")
	}

	t.Run("an overdue case climbed the ladder", func(t *testing.T) {
		want := []minyi.EventType{minyi.EventReminder, minyi.EventOverdue, minyi.EventUrge}
		deadline := time.Now().Add(time.Minute)
		for {
			var d rest.CaseDetail
			ta.do(t, http.MethodGet, "/api/cases/"+late.ID, supervisor, nil, &d)
			var got []minyi.EventType
			for _, e := range d.Events {
				got = append(got, e.Type)
			}
			if containsInOrder(got, want) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s events %v, want %v in order", late.ID, got, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	})

	other := "housing"
	if late.Department == other {
		other = "ecology"
	}
	t.Run("another department can neither read nor act on the case", func(t *testing.T) {
		tok := demoToken(other)
		var body map[string]any
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/api/cases/" + late.ID, nil},
			{http.MethodPost, "/api/cases/" + late.ID + "/reply", map[string]any{"text": "冒名答复"}},
			{http.MethodPost, "/api/cases/" + late.ID + "/return", map[string]any{"reason": "不是我们"}},
			{http.MethodPost, "/api/cases/" + late.ID + "/extension", map[string]any{"reason": "忙", "days": 3}},
		} {
			if code := ta.do(t, req.method, req.path, tok, req.body, &body); code != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", req.method, req.path, other, code)
			}
		}
	})

	t.Run("the assigned department answers through the API", func(t *testing.T) {
		var c minyi.Case
		code := ta.do(t, http.MethodPost, "/api/cases/"+late.ID+"/reply", demoToken(late.Department),
			map[string]any{"text": "经核查，已安排整改。", "resolved": true}, &c)
		if code != http.StatusOK || c.Status != minyi.CaseAnswered || c.OnTime {
			t.Fatalf("reply: %d %+v", code, c)
		}
		var again map[string]any
		if code := ta.do(t, http.MethodPost, "/api/cases/"+late.ID+"/reply", demoToken(late.Department),
			map[string]any{"text": "再答一次"}, &again); code != http.StatusConflict {
			t.Errorf("second reply: %d %v, want 409", code, again)
		}
	})

	t.Run("stats report the rates of what happened", func(t *testing.T) {
		final := ta.waitCases(t, "", -1, func(cs []minyi.Case) bool {
			return slices.ContainsFunc(cs, func(c minyi.Case) bool { return c.ID == late.ID && !c.Answered.IsZero() })
		})
		at := time.Now()
		want := map[string]*minyi.DepartmentStats{}
		for _, c := range final {
			s := want[c.Department]
			if s == nil {
				s = &minyi.DepartmentStats{Department: c.Department}
				want[c.Department] = s
			}
			s.Received++
			if !c.Answered.IsZero() {
				s.Answered++
			}
			if !c.Due.After(at) {
				s.Due++
				if !c.Answered.IsZero() && c.OnTime {
					s.AnsweredOnTime++
				}
			}
			if c.Overdue(at) {
				s.Overdue++
			}
		}
		var rep core.StatsReport
		if code := ta.do(t, http.MethodGet, "/api/departments/stats?window=60d", supervisor, nil, &rep); code != http.StatusOK {
			t.Fatalf("stats: %d", code)
		}
		if len(rep.Departments) != len(want) {
			t.Fatalf("stats for %d departments, want %d", len(rep.Departments), len(want))
		}
		for _, got := range rep.Departments {
			w := want[got.Department]
			if w == nil || got.Received != w.Received || got.Answered != w.Answered || got.Due != w.Due ||
				got.AnsweredOnTime != w.AnsweredOnTime || got.Overdue != w.Overdue {
				t.Errorf("%s: got %+v, want %+v", got.Department, got.DepartmentStats, w)
				continue
			}
			if rate := float64(w.Answered) / float64(w.Received); got.ResponseRate == nil || !near(*got.ResponseRate, rate) {
				t.Errorf("%s response rate %v, want %.3f", got.Department, got.ResponseRate, rate)
			}
			switch {
			case w.Due == 0 && got.OnTimeRate != nil:
				t.Errorf("%s on-time rate %.3f with nothing due, want null", got.Department, *got.OnTimeRate)
			case w.Due > 0 && (got.OnTimeRate == nil || !near(*got.OnTimeRate, float64(w.AnsweredOnTime)/float64(w.Due))):
				t.Errorf("%s on-time rate %v, want %d/%d", got.Department, got.OnTimeRate, w.AnsweredOnTime, w.Due)
			}
		}
	})

	t.Run("the audit escalates departments below the thresholds", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		run, err := ta.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "audit-test", TaskQueue: workflows.TaskQueue},
			workflows.AuditWorkflow, activities.AuditInput{Window: 60 * 24 * time.Hour, SuperviseBelow: 0.9, NoticeBelow: 0.6})
		if err != nil {
			t.Fatal(err)
		}
		var res activities.AuditResult
		if err := run.Get(ctx, &res); err != nil {
			t.Fatal(err)
		}
		recordHistory(t, ta.client, "AuditWorkflow", run.GetID(), run.GetRunID())
		var rep core.StatsReport
		ta.do(t, http.MethodGet, "/api/departments/stats?window=60d", supervisor, nil, &rep)
		below := map[string]minyi.Rung{}
		for _, s := range rep.Departments {
			switch {
			case s.Due == 0:
			case *s.OnTimeRate < 0.6:
				below[s.Department] = minyi.RungNotice
			case *s.OnTimeRate < 0.9:
				below[s.Department] = minyi.RungSupervise
			}
		}
		if len(below) == 0 || len(res.Escalations) != len(below) {
			t.Fatalf("audit escalated %d departments, stats say %d are below the thresholds", len(res.Escalations), len(below))
		}
		for _, e := range res.Escalations {
			if below[e.Department] != e.Rung {
				t.Errorf("%s escalated to %s, want %s", e.Department, e.Rung, below[e.Department])
			}
		}
		var listed struct{ Escalations []minyi.DepartmentEscalation }
		ta.do(t, http.MethodGet, "/api/departments/escalations", supervisor, nil, &listed)
		if len(listed.Escalations) != len(res.Escalations) {
			t.Errorf("escalations endpoint lists %d, audit opened %d", len(listed.Escalations), len(res.Escalations))
		}
	})
	recordHistory(t, ta.client, "CaseWorkflow", late.ID, "")
}

func containsInOrder(got, want []minyi.EventType) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
