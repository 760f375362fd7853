package api_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"minyi"
	"minyi/api"
)

const caseDay = 24 * time.Hour

// seedStats stores cases whose 30-day figures are worked out by hand:
//
//	water    received 4 in window: 2 answered (1 of 3 due on time), 1 returned,
//	         1 rated satisfied, 2 open of which 1 overdue; one more case 40 days ago
//	housing  received 2: both answered on time (1 due), rated dissatisfied and basic
//	parks    received 1, open, not due; no configured name
//	routing  one case without department: in no department's figures
func seedStats(e *caseEnv) {
	at := func(d time.Duration) time.Time { return caseNow.Add(d) }
	answered := func(c minyi.Case, when time.Time, onTime bool) minyi.Case {
		c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, when, onTime
		return c
	}
	e.put(answered(minyi.Case{ID: "w1", Department: "water", Received: at(-20 * caseDay), Due: at(-10 * caseDay)}, at(-12*caseDay), true), nil)
	w2 := answered(minyi.Case{ID: "w2", Department: "water", Received: at(-15 * caseDay), Due: at(-5 * caseDay), Returns: 1}, at(-3*caseDay), false)
	w2.Status, w2.Rating = minyi.CaseClosed, minyi.RatingSatisfied
	e.put(w2, nil)
	e.put(minyi.Case{ID: "w3", Department: "water", Received: at(-10 * caseDay), Due: at(-caseDay)}, nil)
	e.put(minyi.Case{ID: "w4", Department: "water", Received: at(-2 * caseDay), Due: at(5 * caseDay)}, nil)
	e.put(minyi.Case{ID: "w-old", Department: "water", Received: at(-40 * caseDay), Due: at(-30 * caseDay)}, nil)
	h1 := answered(minyi.Case{ID: "h1", Department: "housing", Received: at(-5 * caseDay), Due: at(-caseDay)}, at(-2*caseDay), true)
	h1.Status, h1.Rating = minyi.CaseClosed, minyi.RatingDissatisfied
	e.put(h1, nil)
	h2 := answered(minyi.Case{ID: "h2", Department: "housing", Received: at(-3 * caseDay), Due: at(2 * caseDay)}, at(-caseDay), true)
	h2.Status, h2.Rating = minyi.CaseClosed, minyi.RatingBasic
	e.put(h2, nil)
	e.put(minyi.Case{ID: "p1", Department: "parks", Received: at(-caseDay), Due: at(9 * caseDay)}, nil)
	e.put(minyi.Case{ID: "r1", Status: minyi.CaseRouting, Received: at(-caseDay)}, nil)
}

var wantStats = []api.DepartmentRow{
	{Name: "市住建局", DepartmentStats: minyi.DepartmentStats{Department: "housing", Received: 2, Answered: 2, Due: 1,
		AnsweredOnTime: 1, Rated: 2, Satisfied: 1, ResponseRate: ptr(1), OnTimeRate: ptr(1), ReturnRate: ptr(0), SatisfactionRate: ptr(0.5)}},
	// Nothing of parks fell due or was rated: those rates are not measured (nil).
	{DepartmentStats: minyi.DepartmentStats{Department: "parks", Received: 1, Open: 1, ResponseRate: ptr(0), ReturnRate: ptr(0)}},
	{Name: "市水务局", DepartmentStats: minyi.DepartmentStats{Department: "water", Received: 4, Answered: 2, Due: 3,
		AnsweredOnTime: 1, Returned: 1, Rated: 1, Satisfied: 1, Open: 2, Overdue: 1,
		ResponseRate: ptr(0.5), OnTimeRate: ptr(1.0 / 3), ReturnRate: ptr(0.25), SatisfactionRate: ptr(1)}},
}

func ptr(f float64) *float64 { return &f }

func TestDepartmentStats(t *testing.T) {
	e := newCaseEnv(t)
	seedStats(e)
	for _, window := range []string{"", "30d", "720h"} {
		rec := e.do("GET", "/api/departments/stats?window="+window, tokAnalyst, "")
		caseWant(t, rec, http.StatusOK, "")
		rep := caseDecode[api.StatsReport](t, rec)
		if !reflect.DeepEqual(rep.Departments, wantStats) {
			t.Errorf("window %q:\n got %+v\nwant %+v", window, rep.Departments, wantStats)
		}
		if rep.Window != "30d" || !rep.To.Equal(caseNow) || !rep.From.Equal(caseNow.Add(-30*caseDay)) {
			t.Errorf("window %q reported as %s [%s, %s)", window, rep.Window, rep.From, rep.To)
		}
	}
	// A 2-day window holds w4 (received exactly 2 days ago) and p1; h2, 3 days old, is out.
	rec := e.do("GET", "/api/departments/stats?window=2d", tokWater, "")
	caseWant(t, rec, http.StatusOK, "")
	rep := caseDecode[api.StatsReport](t, rec)
	var got []string
	for _, d := range rep.Departments {
		got = append(got, fmt.Sprintf("%s:%d", d.Department, d.Received))
	}
	if !reflect.DeepEqual(got, []string{"parks:1", "water:1"}) {
		t.Errorf("2d window: %v", got)
	}
	for _, w := range []string{"0d", "367d", "abc", "-1h", "1.5d", "9000h", "0"} {
		if rec := e.do("GET", "/api/departments/stats?window="+w, tokAnalyst, ""); rec.Code != 400 {
			t.Errorf("window %q: %d, want 400", w, rec.Code)
		}
	}
}

func TestLeagueTable(t *testing.T) {
	e := newCaseEnv(t)
	oct := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, minyi.ChinaTime) }
	// Eleven departments with ten October cases each, all due in October;
	// department k answers k-1 of them on time, water all ten.
	depts := []string{"d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10", "water"}
	for k, dept := range depts {
		for i := range 10 {
			c := minyi.Case{ID: fmt.Sprintf("%s-%d", dept, i), Department: dept, Received: oct(1 + i), Due: oct(11 + i),
				Status: minyi.CaseAnswered, Answered: oct(5 + i), OnTime: true}
			if i >= k {
				c.Answered, c.OnTime = oct(25), false
			}
			e.put(c, nil)
		}
	}
	// Outside October (China time): late cases that would sink water.
	e.put(minyi.Case{ID: "water-sep", Department: "water", Received: time.Date(2026, 9, 30, 23, 59, 0, 0, minyi.ChinaTime),
		Due: oct(10)}, nil)
	e.put(minyi.Case{ID: "water-nov", Department: "water", Received: time.Date(2026, 11, 1, 0, 0, 0, 0, minyi.ChinaTime),
		Due: caseNow.Add(-caseDay)}, nil)

	for _, q := range []string{"?month=2026-10", ""} {
		rec := e.do("GET", "/api/leaguetable"+q, tokDepartmentOrAnalyst(q), "")
		caseWant(t, rec, http.StatusOK, "")
		lt := caseDecode[api.LeagueTable](t, rec)
		if lt.Month != "2026-10" || !lt.From.Equal(oct(1).Add(-9*time.Hour)) {
			t.Errorf("%q: month %s from %s", q, lt.Month, lt.From)
		}
		if got := rowIDs(lt.Red); !reflect.DeepEqual(got, []string{"water", "d10", "d09", "d08", "d07"}) {
			t.Errorf("%q: red list %v", q, got)
		}
		if got := rowIDs(lt.Black); !reflect.DeepEqual(got, []string{"d01", "d02", "d03", "d04", "d05"}) {
			t.Errorf("%q: black list %v", q, got)
		}
		if lt.Red[0].Name != "市水务局" || *lt.Red[0].OnTimeRate != 1 || lt.Red[0].Received != 10 {
			t.Errorf("%q: top of the red list: %+v", q, lt.Red[0])
		}
		if b := lt.Black[1]; *b.OnTimeRate != 0.1 || b.Due != 10 {
			t.Errorf("%q: d02 = %+v, want 10%% on time of 10 due", q, b)
		}
		if len(lt.Departments) != 11 {
			t.Errorf("%q: %d departments, want 11", q, len(lt.Departments))
		}
	}
	rec := e.do("GET", "/api/leaguetable?month=2026-12", tokAnalyst, "")
	caseWant(t, rec, http.StatusOK, "")
	if lt := caseDecode[api.LeagueTable](t, rec); len(lt.Red) != 0 || len(lt.Black) != 0 || lt.Red == nil {
		t.Errorf("a month without cases: %+v", lt)
	}
	for _, m := range []string{"2026-13", "2026/10", "October", "2026-10-01"} {
		caseWant(t, e.do("GET", "/api/leaguetable?month="+m, tokAnalyst, ""), http.StatusBadRequest, minyi.EINVALID)
	}
}

// tokDepartmentOrAnalyst shows that the league table is public to every role.
func tokDepartmentOrAnalyst(q string) string {
	if q == "" {
		return tokWater
	}
	return tokAnalyst
}

func rowIDs(rows []api.DepartmentRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Department)
	}
	return out
}

func TestDepartmentEscalations(t *testing.T) {
	e := newCaseEnv(t)
	ctx := context.Background()
	for _, esc := range []minyi.DepartmentEscalation{
		{Key: "water-supervise-1001", Department: "water", Rung: minyi.RungSupervise, At: time.Date(2026, 10, 1, 8, 0, 0, 0, minyi.ChinaTime), OnTimeRate: 0.8, Reason: "按时答复率低于90%"},
		{Key: "water-supervise-1120", Department: "water", Rung: minyi.RungSupervise, At: caseNow.Add(-3 * caseDay), OnTimeRate: 0.85, Reason: "按时答复率低于90%"},
		{Key: "housing-notice-1122", Department: "housing", Rung: minyi.RungNotice, At: caseNow.Add(-caseDay), OnTimeRate: 0.5, Reason: "按时答复率低于60%"},
	} {
		if err := e.store.PutDepartmentEscalation(ctx, esc); err != nil {
			t.Fatal(err)
		}
	}
	list := func(token, q string) []string {
		t.Helper()
		rec := e.do("GET", "/api/departments/escalations"+q, token, "")
		caseWant(t, rec, http.StatusOK, "")
		body := caseDecode[struct{ Escalations []minyi.DepartmentEscalation }](t, rec)
		keys := []string{}
		for _, esc := range body.Escalations {
			keys = append(keys, esc.Key)
		}
		return keys
	}
	cases := []struct {
		token, q string
		want     []string
	}{
		{tokSupervisor, "", []string{"housing-notice-1122", "water-supervise-1120", "water-supervise-1001"}},
		{tokSupervisor, "?since=2026-11-01", []string{"housing-notice-1122", "water-supervise-1120"}},
		{tokSupervisor, "?department=housing", []string{"housing-notice-1122"}},
		{tokWater, "", []string{"water-supervise-1120", "water-supervise-1001"}},
		{tokWater, "?department=water&since=2026-11-01", []string{"water-supervise-1120"}},
	}
	for _, c := range cases {
		if got := list(c.token, c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q: %v, want %v", c.token, c.q, got, c.want)
		}
	}
	caseWant(t, e.do("GET", "/api/departments/escalations?department=housing", tokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	caseWant(t, e.do("GET", "/api/departments/escalations?since=soon", tokSupervisor, ""), http.StatusBadRequest, minyi.EINVALID)
}
